/**
 * The replay workstation: toolbar, charts, the session's panels, the config editor and the
 * drag-in import, all on one SessionController. Keyboard shortcuts and the desktop menu's
 * commands are wired here; everything else lives in its own component.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, GapInfo, MenuCommand } from '../../shared/ipc-contract';
import type { CatalogEntry } from '../../shared/import-contract';
import type { ApiHandle } from './api/get-api';
import { toImportFile, isImportable, uploadProblem } from './api/file-upload';
import { errorMessage } from './api/rpc-protocol';
import { ChartGrid } from './components/charts/ChartGrid';
import type { JumpRequest } from './components/charts/ChartPanel';
import { ConfigEditor } from './components/config/ConfigEditor';
import { CatalogPanel } from './components/import/CatalogPanel';
import { ImportDialog, type ImportRequest } from './components/import/ImportDialog';
import { ImportDropZone } from './components/import/ImportDropZone';
import { LogPane } from './components/panels/LogPane';
import { QualityPanel } from './components/panels/QualityPanel';
import { QueuePanel } from './components/panels/QueuePanel';
import { SessionDataPanel } from './components/panels/SessionDataPanel';
import { TradingPanel } from './components/trading/TradingPanel';
import { SweepView, type SweepRunChoice } from './components/sweep/SweepView';
import { Toolbar, type AppView, type ChartLayout } from './components/toolbar/Toolbar';
import { useSlice } from './hooks/use-slice';
import { useConfigDraft } from './hooks/use-config-draft';
import { useReplayShortcuts } from './hooks/use-replay-shortcuts';
import { getPath, isDraft, setPath } from './state/config-draft';
import { cellSymbols } from './state/layout';
import type { SessionController } from './state/session-controller';
import { baseName } from './state/preview-format';
import { startAtToUtc } from './state/start-at';
import { configZone, sessionZone } from '../../shared/session-zone';
import {
  displayZone,
  savedZoneChoice,
  saveZoneChoice,
  type ZoneChoice,
} from './state/display-zone';

interface Props {
  handle: ApiHandle;
  controller: SessionController;
}

type Level = 'info' | 'warn' | 'error';

export function App({ handle, controller }: Props) {
  const { api } = handle;
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null);
  const config = useConfigDraft({});
  const [configName, setConfigName] = useState<string | null>(null);
  const [startAt, setStartAt] = useState('');
  const [layout, setLayout] = useState<ChartLayout>(1);
  const [chosen, setChosen] = useState<string[]>([]);
  const [jump, setJump] = useState<JumpRequest | null>(null);
  const [catalog, setCatalog] = useState<CatalogEntry[]>([]);
  const [importRequest, setImportRequest] = useState<ImportRequest | null>(null);
  const [sidebarOpen, setSidebarOpen] = useState(true);
  const [startFailure, setStartFailure] = useState<string | null>(null);
  const [record, setRecord] = useState(false);
  const [zoneChoice, setZoneChoice] = useState<ZoneChoice>(savedZoneChoice);
  const [view, setView] = useState<AppView>('replay');
  useSlice(controller.model, 'info');
  const info = controller.model.info;
  const symbols = info?.symbols ?? [];
  const zone = displayZone(zoneChoice, symbols);
  // The picker reads the zone of the config it starts (of the open session while the draft
  // has problems), never the computer's.
  const startZone = config.result.ok
    ? configZone(config.result.config)
    : sessionZone(symbols.map((s) => s.calendar));

  const log = useCallback(
    (level: Level, message: string) => controller.model.log({ time: Date.now(), level, message }),
    [controller],
  );

  const refreshCatalog = useCallback(async () => {
    try {
      setCatalog(await api.catalog());
    } catch (error) {
      log('error', `catalog: ${errorMessage(error)}`);
    }
  }, [api, log]);

  // Start-up: app info and the default config, the running session if any, the catalog.
  const loadConfig = config.load;
  useEffect(() => {
    void controller.attach();
    api.appInfo().then(
      (value) => {
        setAppInfo(value);
        if (isDraft(value.defaultConfig)) {
          loadConfig(value.defaultConfig);
          setConfigName(value.defaultConfigName);
        } else {
          log('warn', 'No default config found: run npm run demo-data, or write one here.');
        }
      },
      (error: unknown) => log('error', `appInfo: ${errorMessage(error)}`),
    );
    void refreshCatalog();
    const offConnection = handle.onConnection((state) => {
      if (state === 'reconnected') {
        log('info', 'Reconnected to the host; catching up');
        void controller.resync();
      } else if (state === 'closed') {
        log('warn', 'Lost the connection to the host; reconnecting…');
      }
    });
    const onChartError = (e: Event): void =>
      log(
        'error',
        `A chart failed to draw and is redrawn: ${errorMessage((e as CustomEvent).detail)}`,
      );
    window.addEventListener('tapedeck:chart-error', onChartError);
    return () => {
      controller.detach();
      offConnection();
      window.removeEventListener('tapedeck:chart-error', onChartError);
    };
  }, [api, controller, handle, loadConfig, log, refreshCatalog]);

  const startFiles = useCallback(
    (files: File[]) => {
      const accepted = files.filter((f) => isImportable(f.name));
      const refused = files
        .filter((f) => !accepted.includes(f))
        .map((f) => `${f.name}: not a file the importer reads (.parquet, .csv, .txt, .zip, .gz)`);
      if (accepted.length === 0) {
        // Nothing to preview: the dialog opens on the reason, where the user chose the files.
        if (refused.length === 0) return;
        setImportRequest((prev) => ({
          names: files.map((f) => f.name),
          read: () => Promise.resolve([]),
          seq: (prev?.seq ?? 0) + 1,
          refused,
        }));
        return;
      }
      for (const message of refused) log('warn', `${message}; skipped`);
      // Uploaded files (browser mode) are checked against the host's cap before any is sent.
      const tooMuch = handle.pathForFile ? null : uploadProblem(accepted);
      if (tooMuch) {
        log('error', tooMuch);
        return;
      }
      setImportRequest((prev) => ({
        names: accepted.map((f) => f.name),
        read: () => Promise.all(accepted.map((f) => toImportFile(f, handle.pathForFile, api))),
        seq: (prev?.seq ?? 0) + 1,
      }));
    },
    [api, handle, log],
  );

  // The desktop menu's commands (never sent in browser mode).
  const draftRef = useRef(config.draft);
  draftRef.current = config.draft;
  useEffect(() => {
    return api.onMenuCommand((command: MenuCommand) => {
      if (command.command === 'configOpened') {
        if (isDraft(command.config)) {
          loadConfig(command.config);
          setConfigName(baseName(command.path));
        } else {
          log('error', `${command.path}: not a JSON object`);
        }
      } else if (command.command === 'saveConfigAs') {
        api.saveConfigAs({ config: draftRef.current }).then(
          (saved) => saved && log('info', `Saved config to ${saved.path}`),
          (error: unknown) => log('error', `Save as: ${errorMessage(error)}`),
        );
      } else if (command.command === 'importFiles') {
        setImportRequest((prev) => ({
          names: command.files.map((f) => baseName(f.path)),
          read: () => Promise.resolve(command.files),
          seq: (prev?.seq ?? 0) + 1,
        }));
      }
    });
  }, [api, loadConfig, log]);

  useReplayShortcuts(controller);

  const fileInput = useRef<HTMLInputElement>(null);
  const result = config.result;
  const startError =
    config.rawError ?? (result.ok ? null : 'The config has problems (see the editor)');
  // Only a live session on a feed has anything to record.
  const recordable = result.ok && result.config.mode === 'live' && result.config.feed !== undefined;
  const start = (): void => {
    if (!result.ok || config.rawError) return;
    const at = startAt.trim() === '' ? undefined : (startAtToUtc(startAt, startZone) ?? undefined);
    if (startAt.trim() !== '' && at === undefined) {
      setStartFailure(`Start at: "${startAt}" is not a date and time`);
      return;
    }
    setStartFailure(null);
    void controller
      .start(config.draft, at, recordable && record)
      .then((r) => setStartFailure(r.ok ? null : r.error));
  };
  /** A sweep's run as a normal replay: the editor's config with that strategy and window. */
  const openRun = (run: SweepRunChoice): void => {
    let draft = setPath(config.draft, 'strategy', { file: run.strategy, params: run.params });
    draft = setPath(draft, 'backtest_config.start_date', run.startDate);
    draft = setPath(draft, 'backtest_config.end_date', run.endDate);
    loadConfig(draft);
    setStartAt('');
    setStartFailure(null);
    setView('replay');
    const params = Object.entries(run.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    log(
      'info',
      `Opening the sweep's run: ${run.strategy} ${params}, ${run.startDate}..${run.endDate}`,
    );
    void controller
      .start(draft, undefined, false)
      .then((r) => setStartFailure(r.ok ? null : r.error));
  };
  const onJump = (symbol: string, gap: Pick<GapInfo, 'start' | 'end'>): void => {
    const cells = cellSymbols(layout, symbols, chosen);
    if (!cells.includes(symbol)) {
      const next = [...cells];
      next[0] = symbol;
      setChosen(next);
    }
    setJump((prev) => ({ symbol, start: gap.start, end: gap.end, seq: (prev?.seq ?? 0) + 1 }));
  };
  // An edit is the answer to a refused Start: its explanation goes until the next press.
  useEffect(() => setStartFailure(null), [config.draft]);
  const startDate = getPath(config.draft, 'backtest_config.start_date');
  const endDate = getPath(config.draft, 'backtest_config.end_date');

  return (
    <div className={`workstation ${sidebarOpen ? 'with-sidebar' : ''}`}>
      <Toolbar
        controller={controller}
        canStart={startError === null}
        startBlockedReason={startError}
        onStart={start}
        recordable={recordable}
        record={record}
        onRecord={setRecord}
        startFailure={startFailure}
        onGoTo={() => {
          const at = startAtToUtc(startAt, startZone);
          if (at === null) setStartFailure(`Start at: "${startAt}" is not a date and time`);
          else void controller.seek(at);
        }}
        onDismissStartFailure={() => setStartFailure(null)}
        startAt={startAt}
        startZone={startZone}
        onStartAt={setStartAt}
        startAtMin={typeof startDate === 'string' ? `${startDate}T00:00` : undefined}
        startAtMax={typeof endDate === 'string' ? `${endDate}T23:59:59` : undefined}
        layout={layout}
        onLayout={setLayout}
        onImport={() => fileInput.current?.click()}
        sidebarOpen={sidebarOpen}
        onToggleSidebar={() => setSidebarOpen((v) => !v)}
        zoneChoice={zoneChoice}
        onZoneChoice={(choice) => {
          setZoneChoice(choice);
          saveZoneChoice(choice);
        }}
        zone={zone}
        view={view}
        onView={setView}
      />
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        aria-label="Import files"
        accept=".parquet,.csv,.txt,.zip,.gz"
        onChange={(e) => {
          startFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
      <aside id="sidebar" className="sidebar" aria-label="Config and data" hidden={!sidebarOpen}>
        <ConfigEditor
          api={api}
          config={config}
          name={configName}
          onName={setConfigName}
          catalog={catalog}
          log={log}
          desktop={handle.host === 'electron'}
        />
        <CatalogPanel entries={catalog} onRefresh={() => void refreshCatalog()} />
      </aside>
      <SweepView
        api={api}
        config={config.draft}
        configProblem={startError}
        startDate={typeof startDate === 'string' ? startDate : ''}
        endDate={typeof endDate === 'string' ? endDate : ''}
        visible={view === 'sweep'}
        onOpenRun={openRun}
      />
      <main className="charts" aria-label="Charts" hidden={view !== 'replay'}>
        {info === null ? (
          <div className="charts-empty">
            <p>
              {appInfo === null
                ? 'Connecting…'
                : 'Pick a start time if you like, then press Start to load the session.'}
            </p>
          </div>
        ) : (
          <ChartGrid
            controller={controller}
            layout={layout}
            symbols={symbols}
            chosen={chosen}
            onChoose={(index, symbol) => {
              const next = cellSymbols(layout, symbols, chosen);
              next[index] = symbol;
              setChosen(next);
            }}
            jump={jump}
            zone={zone}
          />
        )}
      </main>
      <div className="dock" hidden={view !== 'replay'}>
        <div className="dock-column wide">
          <SessionDataPanel controller={controller} zone={zone} onJump={onJump} />
          <QualityPanel controller={controller} zone={zone} />
        </div>
        <div className="dock-column">
          <TradingPanel
            controller={controller}
            zone={zone}
            onJump={(symbol, time) =>
              onJump(symbol, { start: time - 300_000, end: time + 300_000 })
            }
          />
        </div>
        <div className="dock-column">
          <QueuePanel controller={controller} zone={zone} />
        </div>
        <div className="dock-column">
          <LogPane controller={controller} />
        </div>
      </div>
      <ImportDropZone onFiles={startFiles} />
      <ImportDialog
        api={api}
        request={importRequest}
        onImported={() => void refreshCatalog()}
        log={log}
      />
    </div>
  );
}
