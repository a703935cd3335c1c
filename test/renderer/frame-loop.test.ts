import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameLoop } from '../../src/renderer/src/components/charts/frame-loop';

// The loop needs requestAnimationFrame and window events; node gets minimal stand-ins.
let frames: Array<(t: number) => void> = [];
const events: unknown[] = [];
const g = globalThis as Record<string, unknown>;

beforeEach(() => {
  frames = [];
  events.length = 0;
  g.requestAnimationFrame = (fn: (t: number) => void) => frames.push(fn);
  g.cancelAnimationFrame = () => undefined;
  g.window = { dispatchEvent: (e: unknown) => events.push(e) };
  g.CustomEvent = class {
    constructor(
      readonly type: string,
      readonly init: unknown,
    ) {}
  };
});

afterEach(() => {
  for (const k of ['requestAnimationFrame', 'cancelAnimationFrame', 'window', 'CustomEvent'])
    delete g[k];
});

function runFrame(): void {
  const pending = frames;
  frames = [];
  for (const f of pending) f(0);
}

describe('FrameLoop', () => {
  it('runs every task once per frame while within budget', () => {
    const loop = new FrameLoop();
    const order: string[] = [];
    loop.add(() => order.push('a'));
    loop.add(() => order.push('b'));
    runFrame();
    runFrame();
    expect(order).toEqual(['a', 'b', 'a', 'b']);
  });

  it('hands each task the frame’s deadline', () => {
    const loop = new FrameLoop();
    const deadlines: number[] = [];
    loop.add((d) => deadlines.push(d));
    const before = performance.now();
    runFrame();
    expect(deadlines[0]).toBeGreaterThan(before);
  });

  it('keeps a task that throws and reports it, not every frame', () => {
    const loop = new FrameLoop();
    let calls = 0;
    loop.add(() => {
      calls += 1;
      throw new Error('bad point');
    });
    runFrame();
    runFrame();
    expect(calls).toBe(2);
    expect(events).toHaveLength(1);
  });

  it('stops scheduling frames when the last task leaves', () => {
    const loop = new FrameLoop();
    const off = loop.add(() => undefined);
    off();
    runFrame();
    expect(frames).toHaveLength(0);
  });
});

describe('FrameLoop budget', () => {
  beforeEach(() => {
    frames = [];
    g.requestAnimationFrame = (fn: (t: number) => void) => frames.push(fn);
    g.cancelAnimationFrame = () => undefined;
  });

  it('leaves tasks not reached within the budget to go first next frame', () => {
    const loop = new FrameLoop();
    const ran: string[] = [];
    const busy = (name: string) => (deadline: number) => {
      ran.push(name);
      while (performance.now() <= deadline) {
        // Spend the whole budget.
      }
    };
    loop.add(busy('a'));
    loop.add(busy('b'));
    loop.add(busy('c'));
    runFrame();
    expect(ran).toEqual(['a']);
    runFrame();
    expect(ran).toEqual(['a', 'b']);
    runFrame();
    expect(ran).toEqual(['a', 'b', 'c']);
    runFrame();
    expect(ran).toEqual(['a', 'b', 'c', 'a']);
  });
});
