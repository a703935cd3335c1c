/**
 * One requestAnimationFrame loop for every chart, so all of them draw in the same frame from
 * whatever arrived since the last one (updates are coalesced here, never drawn per message).
 * Each frame has a drawing budget: a chart that cannot append all its new bars in time leaves
 * the rest for the next frame, and charts not reached before the budget runs out go first in
 * the next one, so a burst of data is spread over a few smooth frames instead of one long one.
 * A task that throws is reported (at most once every few seconds) and keeps its place: the
 * chart redraws from scratch on the next frame.
 */
export type FrameTask = (deadline: number) => void;

/** Milliseconds of drawing per frame, leaving the rest of a 16.7 ms frame to paint. */
export const FRAME_BUDGET_MS = 8;

export class FrameLoop {
  /** In the order they run next frame: those skipped last time first. */
  private queue: FrameTask[] = [];
  private handle = 0;
  private readonly reported = new WeakMap<FrameTask, number>();

  add(task: FrameTask): () => void {
    this.queue.push(task);
    if (this.handle === 0) this.handle = requestAnimationFrame(this.tick);
    return () => {
      this.queue = this.queue.filter((t) => t !== task);
      if (this.queue.length === 0 && this.handle !== 0) {
        cancelAnimationFrame(this.handle);
        this.handle = 0;
      }
    };
  }

  private readonly tick = (): void => {
    const deadline = performance.now() + FRAME_BUDGET_MS;
    const ran: FrameTask[] = [];
    const skipped: FrameTask[] = [];
    for (const task of this.queue) {
      // Out of budget: the rest wait (each chart's library repaint follows its updates, so
      // this spreads the painting too). The first always runs, so every chart progresses.
      if (ran.length > 0 && performance.now() > deadline) {
        skipped.push(task);
        continue;
      }
      ran.push(task);
      try {
        task(deadline);
      } catch (error) {
        // One chart's failure must not stop the others from drawing.
        const now = performance.now();
        if (now - (this.reported.get(task) ?? Number.NEGATIVE_INFINITY) > 5000) {
          this.reported.set(task, now);
          window.dispatchEvent(new CustomEvent('tapedeck:chart-error', { detail: error }));
        }
      }
    }
    // Tasks removed during the frame (a chart unmounted) are not brought back.
    const live = new Set(this.queue);
    this.queue = [...skipped, ...ran].filter((t) => live.has(t));
    this.handle = this.queue.length > 0 ? requestAnimationFrame(this.tick) : 0;
  };
}

export const frameLoop = new FrameLoop();
