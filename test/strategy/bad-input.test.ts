/**
 * Bad strategies: each fails with a message naming the file (and the line where there is
 * one); a failure while running stops the session and leaves its data and fills intact.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStrategy } from '../../src/main/engine/strategy/strategy-loader';
import { StrategyError } from '../../src/main/engine/strategy/strategy-error';
import { prepareStrategy } from '../../src/main/host/strategy-session';
import { at, bars, quotes } from '../engine/helpers';
import { runStrategy, strategyFile } from './harness';

async function loadError(
  source: string,
  ext = 'ts',
): Promise<{ error: StrategyError; name: string }> {
  const file = strategyFile(source, ext);
  const error = await loadStrategy(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StrategyError);
  return { error: error as StrategyError, name: basename(file) };
}

const cursors = () => [
  bars('AAA', '1m', at(9, 30), 30),
  quotes('AAA', [at(9, 30, 10), at(9, 35, 10)]),
];

/** Runs a strategy whose onBar body is `body` on the 3rd bar; returns the failure. */
async function runFailing(body: string) {
  const source = `let n = 0;
export default {
  onBar(bar, ctx) {
    if (++n === 1) ctx.buy('AAA', 1);
    if (n === 3) {
      ${body}
    }
  },
};`;
  const run = await runStrategy({ cursors: cursors(), source });
  expect(run.error).toBeInstanceOf(StrategyError);
  return { ...run, name: basename(run.file), message: run.error!.message };
}

describe('bad strategy files', () => {
  it('names the file, line and column of a syntax error', async () => {
    const { error, name } = await loadError(
      'export default {\n  onBar(bar, ctx) {\n    const x = ;\n  },\n};\n',
    );
    expect(error.message).toMatch(new RegExp(`^${name}:3:15: `));
    expect(error.line).toBe(3);
  });

  it('refuses a module without a default export', async () => {
    const { error, name } = await loadError('export const onBar = () => 1;\n');
    expect(error.message).toBe(
      `${name}: no default export: export default a strategy object (or a function of params returning one)`,
    );
  });

  it('refuses a default export without handlers, or with a handler that is not a function', async () => {
    expect((await loadError('export default { foo: 1 };')).error.message).toContain(
      'has none of the handlers',
    );
    expect((await loadError('export default { onBar: 3 };')).error.message).toContain(
      'onBar must be a function',
    );
  });

  it('names the line of a module that throws while loading (JavaScript too)', async () => {
    const { error, name } = await loadError(
      'const a = 1;\nthrow new Error("bad setup");\nexport default {};\n',
      'mjs',
    );
    expect(error.message).toBe(`${name}:2:7: Error: bad setup (in loading the module)`);
  });

  it('names params of the wrong type and unknown params', async () => {
    const file = strategyFile(
      'export default { params: { fast: 9, mode: ["a", "b"] }, onBar() {} };',
    );
    const error = await prepareStrategy(file, { fast: 'nine', mode: 'c', slow: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StrategyError);
    expect((error as Error).message).toBe(
      `${basename(file)}: strategy.params.fast: expected a number, got a string; ` +
        'strategy.params.mode: expected one of a, b, got "c"; ' +
        'strategy.params.slow: unknown param (the strategy declares: fast, mode)',
    );
    const cli = await prepareStrategy(file, {}, ['fast=abc']).catch((e: unknown) => e);
    expect((cli as Error).message).toContain(
      'strategy.params.fast: expected a number, got a string',
    );
  });
});

describe('strategy failures while running', () => {
  it('stops the session on a throwing handler with file, line and message; data and fills stay', async () => {
    const run = await runFailing("throw new RangeError('signal broke');");
    expect(run.message).toBe(`${run.name}:6:13: RangeError: signal broke (in onBar)`);
    expect(run.coordinator.finished).toBe(false);
    // The session stopped at the failing bar: what it held is intact.
    expect(run.sessionData.getSymbolData('AAA')!.bars_base.length).toBeGreaterThanOrEqual(3);
    expect(run.runner.broker.fills).toHaveLength(1);
    expect(run.runner.ctx.position('AAA')).toBe(1);
    expect(run.runner.failed).toBe(run.error);
  });

  it.each([
    ["ctx.buy('ZZZ', 1);", 'order for unknown symbol "ZZZ": the session streams AAA'],
    ["ctx.buy('AAA', 0);", 'order qty must be a positive finite number (got 0)'],
    ["ctx.sell('AAA', -5);", 'order qty must be a positive finite number (got -5)'],
    ["ctx.buy('AAA', Infinity);", 'order qty must be a positive finite number (got Infinity)'],
    ["ctx.buy('AAA', NaN);", 'order qty must be a positive finite number (got NaN)'],
    [
      "ctx.order({ symbol: 'AAA', side: 'buy', qty: 1, type: 'limit' });",
      'a limit order needs a positive price (got undefined)',
    ],
    [
      "ctx.order({ symbol: 'AAA', side: 'buy', qty: 1, type: 'stop', stop: -1 });",
      'a stop order needs a positive stop price (got -1)',
    ],
    [
      "ctx.order({ symbol: 'AAA', side: 'hold', qty: 1 });",
      'order side must be "buy" or "sell" (got "hold")',
    ],
    ["ctx.bars('AAA', '5m', 3);", 'bars() has no 5m bars for AAA; available: 1m'],
  ])('%s names the file and the calling line', async (body, detail) => {
    const run = await runFailing(body);
    expect(run.message).toMatch(new RegExp(`^${run.name}:6:\\d+: `));
    expect(run.message).toBe(`${run.message.split(': ')[0]}: ${detail} (in onBar)`);
    expect(run.runner.broker.fills).toHaveLength(1);
  });
});
