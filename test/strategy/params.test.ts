import { describe, expect, it } from 'vitest';
import { paramFields, parseParamArgs, resolveParams } from '../../src/shared/strategy/params';
import { parseSessionConfig } from '../../src/shared/session-config';

const specs = {
  fast: 12,
  slow: { default: 26, label: 'Slow EMA' },
  shortable: false,
  note: 'x',
  side: ['long', 'short', 'both'],
  mode: { default: 'b', choices: ['a', 'b'] },
};

describe('strategy params', () => {
  it('normalises every declaration form', () => {
    const { fields, problems } = paramFields(specs);
    expect(problems).toEqual([]);
    expect(fields).toEqual([
      { name: 'fast', kind: 'number', default: 12, label: 'fast' },
      { name: 'slow', kind: 'number', default: 26, label: 'Slow EMA' },
      { name: 'shortable', kind: 'boolean', default: false, label: 'shortable' },
      { name: 'note', kind: 'string', default: 'x', label: 'note' },
      {
        name: 'side',
        kind: 'choice',
        default: 'long',
        label: 'side',
        choices: ['long', 'short', 'both'],
      },
      { name: 'mode', kind: 'choice', default: 'b', label: 'mode', choices: ['a', 'b'] },
    ]);
  });

  it('names malformed declarations', () => {
    const { problems } = paramFields({
      a: Number.NaN,
      b: [],
      c: { label: 'x' },
      d: { default: 'z', choices: ['a'] },
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('param a');
    expect(problems[3]).toContain('not one of its choices');
  });

  it('overlays given values, refusing unknown names and naming wrong types', () => {
    const { fields } = paramFields(specs);
    expect(resolveParams(fields, { fast: 5, side: 'short' })).toEqual({
      ok: true,
      params: { fast: 5, slow: 26, shortable: false, note: 'x', side: 'short', mode: 'b' },
    });
    const bad = resolveParams(fields, { fast: '5', shortable: 1, side: 'up', nope: 1 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      'strategy.params.fast: expected a number, got a string',
      'strategy.params.shortable: expected a boolean, got a number',
      'strategy.params.side: expected one of long, short, both, got "up"',
      'strategy.params.nope: unknown param (the strategy declares: fast, slow, shortable, note, side, mode)',
    ]);
  });

  it('reads --param pairs by declared kind', () => {
    const { fields } = paramFields(specs);
    const { values, problems } = parseParamArgs(fields, [
      'fast=7',
      'shortable=true',
      'note=12',
      'slow=abc',
      'bad',
    ]);
    expect(values).toEqual({ fast: 7, shortable: true, note: '12', slow: 'abc' });
    expect(problems).toEqual(['--param bad: expected name=value']);
    const resolved = resolveParams(fields, values);
    expect(resolved.ok).toBe(false);
  });
});

describe('session config strategy and execution', () => {
  const base = { session_name: 's', data_streams: [{ type: 'bars', symbol: 'A', interval: '1m' }] };

  it('defaults the execution model', () => {
    const r = parseSessionConfig({ ...base, strategy: { file: 'ema.ts' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.strategy).toEqual({ file: 'ema.ts', params: {} });
    expect(r.config.execution).toEqual({
      latency_ms: 0,
      commission: { per_share: 0, per_order: 0, minimum: 0 },
      slippage_bps: 0,
      initial_cash: 100_000,
      respect_quote_size: false,
    });
  });

  it('refuses paths, unknown execution keys and bad numbers, naming each field', () => {
    const r = parseSessionConfig({
      ...base,
      strategy: { file: '../x.ts', params: { a: [1] } },
      execution: { latency_ms: -1, slipage_bps: 2, initial_cash: 0 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path).sort();
    expect(paths).toEqual([
      'execution',
      'execution.initial_cash',
      'execution.latency_ms',
      'strategy.file',
      'strategy.params.a',
    ]);
    expect(r.problems.find((p) => p.path === 'execution')!.message).toContain('slipage_bps');
  });
});
