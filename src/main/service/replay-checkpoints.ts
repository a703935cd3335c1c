/**
 * Checkpoints for going back in a replay: spare replays of the running config, each paused at a
 * checkpoint time (a multiple of `everyMs` of backtest time). Going back to a time at or after
 * a spare's takes that spare and replays only from there, instead of from the session start. A
 * spare is the engine itself at that time (session data, upkeep, derived bars, the strategy and
 * its broker), so what it restores is exact by the same argument as a replay from the start:
 * the replay is deterministic (see docs/workstation-on-real-data.md, "Engine checkpoints").
 *
 * Three spares are kept: at the checkpoint at or before the clock and the two before it. Each
 * restore uses one up, and replacing it costs a replay from the start (done while the screen
 * reloads, yielding often); with three, presses in quick succession (← or Shift+← tapped or
 * held) each find one, including presses that cross a checkpoint, while used ones are
 * rebuilt. Memory is bounded: the running session and three spares, so at most four
 * sessions' data at once.
 */
import type { ReplaySession } from './replay-session';

/** Five minutes of backtest time: a restore from the spare before its target replays at most this. */
export const CHECKPOINT_EVERY_MS = 5 * 60_000;

/** How many spares are kept: at the checkpoint before the clock and the ones before that. */
export const SPARES = 3;

/**
 * How long the replay stays put before spares are brought to its clock: long enough for the
 * screen to fetch what a restore shows (those requests share the thread), short enough that
 * a used spare is rebuilt between presses in quick succession.
 */
export const SPARE_AFTER_IDLE_MS = 60;

/** How far back the next press is expected to go (Shift+←), for which spare to make first. */
const NEXT_PRESS_MS = 60_000;

/** Opens a quiet spare replay of the running config, run flat out to `at`. */
export type OpenSpare = (at: number) => Promise<ReplaySession>;

interface Spare {
  replay: ReplaySession;
  at: number;
}

export class ReplayCheckpoints {
  /** Spares ready to take: paused, and not being moved. */
  private spares: Spare[] = [];
  /** The spare times wanted for the clock last followed, latest first. */
  private wanted: number[] = [];
  /** Upkeep running now (null when none); it never rejects. */
  private work: Promise<void> | null = null;
  /** The spare being opened or moved now, so a restore can wait for it rather than replay. */
  private busy: { at: number; done: Promise<unknown> } | null = null;
  /** Bumped by reset, so upkeep for an older session does nothing. */
  private generation = 0;
  /** Restores served from a spare (for tests and the bench). */
  taken = 0;
  /** Upkeep waiting for the replay to stay put; `due` starts it. */
  private timer: ReturnType<typeof setTimeout> | null = null;
  private due: (() => void) | null = null;

  constructor(
    private readonly openSpare: OpenSpare,
    readonly everyMs = CHECKPOINT_EVERY_MS,
  ) {}

  /** The checkpoint for a clock: the latest multiple of `everyMs` at or before it. */
  checkpointFor(clock: number): number {
    return Math.floor(clock / this.everyMs) * this.everyMs;
  }

  /** The time of the latest spare held now, or null (for tests and the bench). */
  get spareAt(): number | null {
    return this.spares.length > 0 ? Math.max(...this.spares.map((s) => s.at)) : null;
  }

  /** The times of the spares held now, latest first (for tests and the bench). */
  get sparesAt(): number[] {
    return this.spares.map((s) => s.at).sort((a, b) => b - a);
  }

  /** Starts waiting upkeep now, and resolves when all of it is done (tests, the bench). */
  async settled(): Promise<void> {
    this.due?.();
    while (this.work) await this.work;
  }

  /**
   * Keeps spares at the checkpoints for `clock`, in the background, once the replay has stayed
   * put for SPARE_AFTER_IDLE_MS (a later call starts the wait again).
   */
  follow(clock: number): void {
    this.cancelWaiting();
    const start = (): void => {
      this.cancelWaiting();
      // The spare the next Shift+← would take comes first: within a minute after a
      // checkpoint, that is the one before it.
      const next = this.checkpointFor(clock - NEXT_PRESS_MS);
      const latest = this.checkpointFor(clock);
      const times = Array.from({ length: SPARES }, (_, i) => latest - i * this.everyMs);
      this.wanted = [next, ...times.filter((t) => t !== next)];
      this.work ??= this.upkeep(this.generation).finally(() => (this.work = null));
    };
    this.due = start;
    this.timer = setTimeout(start, SPARE_AFTER_IDLE_MS);
    this.timer.unref?.();
  }

  private cancelWaiting(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.due = null;
  }

  /** One spare at a time, re-reading what is wanted after each (the clock may have moved). */
  private async upkeep(generation: number): Promise<void> {
    for (;;) {
      if (generation !== this.generation) return;
      const job = this.nextJob();
      if (!job) return;
      const done = job.run().catch(() => undefined);
      this.busy = { at: job.at, done };
      await done;
      this.busy = null;
    }
  }

  /**
   * The next step towards the wanted spares: a wanted time without a spare gets one, moved up
   * from a spare behind it when there is one (cheap), else opened (a replay from the start);
   * a spare no longer wanted is closed before one more is opened (memory stays bounded).
   */
  private nextJob(): { at: number; run: () => Promise<void> } | null {
    const stale = this.spares.find((s) => s.replay.state !== 'paused');
    if (stale) return { at: stale.at, run: () => this.drop(stale) };
    const kept = new Set<Spare>();
    const missing: number[] = [];
    for (const at of this.wanted) {
      const exact = this.spares.find((s) => s.at === at && !kept.has(s));
      if (exact) kept.add(exact);
      else missing.push(at);
    }
    const behind = (at: number): Spare | undefined =>
      this.spares
        .filter((s) => !kept.has(s) && s.at < at)
        .sort((a, b) => b.at - a.at)
        .at(0);
    for (const at of missing) {
      const spare = behind(at);
      if (spare) return { at, run: () => this.move(spare, at) };
    }
    const at = missing[0];
    const generation = this.generation;
    // A spare no longer wanted waits to be closed until its place is needed: while it is
    // open, the next press may still find it useful.
    if (at !== undefined && this.spares.length < SPARES) {
      return { at, run: () => this.open(at, generation) };
    }
    const unused = this.spares.find((s) => !kept.has(s));
    if (unused) return { at: unused.at, run: () => this.drop(unused) };
    if (at === undefined) return null;
    return { at, run: () => this.open(at, generation) };
  }

  /** A spare behind a wanted time replays on to it; it cannot be taken meanwhile. */
  private async move(spare: Spare, at: number): Promise<void> {
    this.spares = this.spares.filter((s) => s !== spare);
    try {
      await spare.replay.seekForward(at);
    } catch {
      await spare.replay.close();
      return;
    }
    spare.at = at;
    this.spares.push(spare);
  }

  private async drop(spare: Spare): Promise<void> {
    this.spares = this.spares.filter((s) => s !== spare);
    await spare.replay.close();
  }

  /**
   * A spare that cannot open (data changed underneath, say) leaves going back to a replay
   * from the start, which reports the problem where the user acted.
   */
  private async open(at: number, generation: number): Promise<void> {
    const replay = await this.openSpare(at);
    if (generation !== this.generation || replay.state !== 'paused') {
      await replay.close();
      return;
    }
    this.spares.push({ replay, at });
  }

  /**
   * The latest spare at or before `at`, for going back there; null when there is none (the
   * caller replays from the start). A spare being opened or moved to a time at or before `at`
   * is waited for: it is further along than a replay from the start would be. The caller
   * owns the spare.
   */
  async take(at: number): Promise<ReplaySession | null> {
    // The replay moves again: upkeep not started yet would be for the wrong time.
    this.cancelWaiting();
    for (;;) {
      const usable = this.spares.filter((s) => s.at <= at && s.replay.state === 'paused');
      const best = usable.sort((a, b) => b.at - a.at).at(0);
      if (best) {
        this.spares = this.spares.filter((s) => s !== best);
        this.taken++;
        return best.replay;
      }
      const busy = this.busy;
      if (!busy || busy.at > at) return null;
      await busy.done;
    }
  }

  /** Drops the spares (a new session, or the service closing). */
  async reset(): Promise<void> {
    this.cancelWaiting();
    this.generation++;
    this.wanted = [];
    while (this.work) await this.work;
    const held = this.spares;
    this.spares = [];
    await Promise.all(held.map((s) => s.replay.close()));
  }
}
