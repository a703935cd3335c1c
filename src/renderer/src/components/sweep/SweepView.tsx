/**
 * The Sweep view: define a grid over a strategy's params on the editor's config, run it on
 * this machine with progress and Cancel, then read the results as a sortable table, a heatmap
 * and (walk-forward) in-sample beside out-of-sample. A run opens as a normal replay.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TapedeckApi } from '../../../../shared/ipc-contract';
import type { StrategyListing } from '../../../../shared/strategy/trading-contract';
import {
  fromWireRows,
  type SweepCell,
  type SweepProgress,
  type SweepStarted,
} from '../../../../shared/sweep-contract';
import { errorMessage, errorIssues } from '../../api/rpc-protocol';
import { setPath, type Draft } from '../../state/config-draft';
import {
  buildSpec,
  emptyForm,
  problemsByField,
  withFixedParams,
  type FormProblems,
  type SweepForm as Form,
} from '../../state/sweep-form';
import { lastSweepForm, savedSweepForm, saveSweepForm } from '../../state/sweep-form-store';
import type { SweepTable } from '../../state/sweep-table';
import { SweepForm } from './SweepForm';
import { SweepHeatmap } from './SweepHeatmap';
import { SweepResults } from './SweepResults';
import { SweepRunBar } from './SweepRunBar';
import { WalkForwardTable } from './WalkForwardTable';

/** What opening a run needs: the strategy with this run's params, over this run's days. */
export interface SweepRunChoice {
  strategy: string;
  params: Record<string, number | boolean | string>;
  startDate: string;
  endDate: string;
}

interface Props {
  api: TapedeckApi;
  /** The editor's config: every run starts from it. */
  config: Draft;
  /** Why the config cannot run, or null. */
  configProblem: string | null;
  /** The config's own dates, the default window. */
  startDate: string;
  endDate: string;
  visible: boolean;
  onOpenRun: (run: SweepRunChoice) => void;
}

const isIn = (sampleColumn: number) => (row: SweepCell[]) => row[sampleColumn] === 'in';

export function SweepView({ api, config, configProblem, visible, onOpenRun, ...props }: Props) {
  const [strategies, setStrategies] = useState<StrategyListing[]>([]);
  // The grid as the page left it (reloads keep it), else an empty one over the config's dates.
  const [form, setForm] = useState<Form>(
    () => lastSweepForm() ?? emptyForm({ start: props.startDate, end: props.endDate }),
  );
  useEffect(() => saveSweepForm(form), [form]);
  const [problems, setProblems] = useState<FormProblems>({});
  const [started, setStarted] = useState<SweepStarted | null>(null);
  const [progress, setProgress] = useState<SweepProgress | null>(null);
  const [rows, setRows] = useState<SweepCell[][]>([]);
  const [cancelling, setCancelling] = useState(false);
  const [starting, setStarting] = useState(false);
  const current = useRef<string | null>(null);
  /** Progress for a sweep whose start has not answered yet, held until it does. */
  const early = useRef<SweepProgress[]>([]);

  useEffect(() => {
    if (!visible) return;
    api
      .listStrategies()
      .then(setStrategies, (error: unknown) =>
        setProblems({ strategy: [`cannot list strategies: ${errorMessage(error)}`] }),
      );
  }, [api, visible]);

  /** Run ids held, so a row heard twice (a resync overlapping a push) is kept once. */
  const seen = useRef(new Set<string>());
  const apply = useCallback((p: SweepProgress) => {
    setProgress(p);
    // run_id is the table's first column.
    const fresh = fromWireRows(p.rows).filter((row) => !seen.current.has(String(row[0])));
    for (const row of fresh) seen.current.add(String(row[0]));
    if (fresh.length) setRows((prev) => [...prev, ...fresh]);
    if (p.state !== 'running') setCancelling(false);
  }, []);
  const adopt = useCallback(
    (reply: SweepStarted, progress: SweepProgress | null) => {
      current.current = reply.sweepId;
      seen.current = new Set();
      setStarted(reply);
      setRows([]);
      setProgress(null);
      if (progress) apply(progress);
      for (const p of early.current.splice(0)) if (p.sweepId === reply.sweepId) apply(p);
    },
    [apply],
  );

  // A page (re)loaded while a sweep runs, or after one: pick it up where it is.
  useEffect(() => {
    api.sweepStatus().then(
      (snapshot) => {
        if (snapshot && current.current === null) adopt(snapshot.started, snapshot.progress);
      },
      () => undefined,
    );
  }, [api, adopt]);

  useEffect(
    () =>
      api.onSweepProgress((p) => {
        if (p.sweepId === current.current) apply(p);
        else if (current.current === null) early.current.push(p);
      }),
    [api, apply],
  );

  const fields = useMemo(
    () => strategies.find((s) => s.file === form.strategy)?.fields ?? [],
    [strategies, form.strategy],
  );
  const running = starting || progress?.state === 'running';

  const run = (): void => {
    const built = buildSpec(form, fields);
    if (!built.ok) {
      setProblems(built.problems);
      return;
    }
    setProblems({});
    setStarting(true);
    current.current = null;
    early.current = [];
    const spec = withFixedParams(built.spec, config);
    let runConfig = config;
    if (built.span) {
      runConfig = setPath(runConfig, 'backtest_config.start_date', built.span.start_date);
      runConfig = setPath(runConfig, 'backtest_config.end_date', built.span.end_date);
    }
    api.sweepStart({ spec, config: runConfig }).then(
      (reply) => {
        setStarting(false);
        adopt(reply, null);
      },
      (error: unknown) => {
        setStarting(false);
        const issues = errorIssues(error);
        setProblems(issues.length ? problemsByField(issues) : { form: [errorMessage(error)] });
      },
    );
  };

  const cancel = (): void => {
    if (!started) return;
    setCancelling(true);
    api.sweepCancel({ sweepId: started.sweepId }).catch((error: unknown) => {
      setCancelling(false);
      setProblems({ form: [`Cancel: ${errorMessage(error)}`] });
    });
  };

  const table: SweepTable | null = useMemo(
    () => (started ? { columns: started.columns, rows } : null),
    [started, rows],
  );
  const open = (row: SweepCell[]): void => {
    if (!started || !table) return;
    const col = (name: string) => table.columns.indexOf(name);
    if (row[col('error')] !== null && row[col('error')] !== undefined) {
      setProblems({
        form: [`run ${String(row[col('run_id')])} failed: ${String(row[col('error')])}`],
      });
      return;
    }
    const params = { ...started.fixed };
    for (const p of started.params) {
      const value = row[col(`param_${p}`)];
      if (value !== null && value !== undefined) params[p] = value;
    }
    onOpenRun({
      strategy: started.strategy,
      params,
      startDate: String(row[col('start_date')]),
      endDate: String(row[col('end_date')]),
    });
  };
  const sampleColumn = table ? table.columns.indexOf('sample') : -1;
  const keepIn = useMemo(
    () => (sampleColumn >= 0 ? isIn(sampleColumn) : undefined),
    [sampleColumn],
  );

  return (
    <section className="sweep-view" aria-label="Sweep" hidden={!visible}>
      <aside className="sweep-side">
        <h2>Parameter sweep</h2>
        <p className="muted">
          Every run starts from the config in the editor, with the strategy below and one point of
          the grid (the editor's other params for that strategy are held fixed).
        </p>
        <SweepForm
          form={form}
          onForm={(next) => {
            // Another strategy brings back the grid kept for it, if any.
            const kept = next.strategy !== form.strategy ? savedSweepForm(next.strategy) : null;
            setForm(kept ?? next);
            setProblems({});
          }}
          strategies={strategies}
          fields={fields}
          problems={problems}
          running={running}
          onRun={run}
          runBlocked={configProblem}
        />
      </aside>
      <div className="sweep-main">
        {progress && <SweepRunBar progress={progress} cancelling={cancelling} onCancel={cancel} />}
        {!started && (
          <p className="sweep-empty muted">
            Pick a strategy, add params to the grid, then Run sweep. Results appear here as the runs
            finish.
          </p>
        )}
        {started && table && rows.length === 0 && progress && progress.state !== 'running' && (
          <p className="sweep-empty muted">No run finished before the sweep ended.</p>
        )}
        {started && table && rows.length > 0 && (
          <>
            {started.walkForward && (
              <WalkForwardTable
                table={table}
                params={started.params}
                metric={started.rankBy}
                order={started.rankOrder}
                onOpen={(id) => {
                  const row = rows.find((r) => r[table.columns.indexOf('run_id')] === id);
                  if (row) open(row);
                }}
              />
            )}
            <SweepHeatmap
              key={started.sweepId}
              table={table}
              params={started.params}
              metric={started.rankBy}
              keep={keepIn}
              note={keepIn ? 'in-sample runs' : undefined}
            />
            <SweepResults
              key={`t${started.sweepId}`}
              table={table}
              initialSort={{ column: started.rankBy, order: started.rankOrder }}
              onOpen={(i) => open(table.rows[i]!)}
            />
          </>
        )}
      </div>
    </section>
  );
}
