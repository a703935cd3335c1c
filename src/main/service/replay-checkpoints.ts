/**
 * Checkpoints for going back in a replay: a spare replay of the running config, paused at a
 * checkpoint time (the latest multiple of `everyMs` of backtest time at or before the clock).
 * Going back to a time at or after the spare's takes the spare and replays only from there,
 * instead of from the session start. A spare is the engine itself at that time (session data,
 * upkeep, derived bars, the strategy and its broker), so what it restores is exact by the same
 * argument as a replay from the start: the replay is deterministic (see
 * docs/workstation-on-real-data.md, "Engine checkpoints").
 *
 * Memory is bounded: at most one spare, so at most two sessions' data at once. The spare is
 * kept up in the background once the replay has been paused for a moment; a spare that is
 * ahead of where it should be (after going back past it) is closed and opened afresh. A taken
 * spare costs a replay from the start to replace: while ← is held, presses come faster than
 * that, so the spare waits for a quiet moment instead of competing with each restore.
 */
import type { ReplaySession } from './replay-session';

/** Five minutes of backtest time: a restore replays at most this much (plus the step back). */
export const CHECKPOINT_EVERY_MS = 5 * 60_000;

/** How long the replay stays put before the spare is brought up to its clock. */
export const SPARE_AFTER_IDLE_MS = 300;

/** Opens a quiet spare replay of the running config, run flat out to `at`. */
export type OpenSpare = (at: number) => Promise<ReplaySession>;

export class ReplayCheckpoints {
  private spare: { replay: ReplaySession; at: number } | null = null;
  /** Spare upkeep, one step at a time; never rejects. */
  private work: Promise<void> = Promise.resolve();
  /** Bumped by reset, so upkeep queued for an older session does nothing. */
  private generation = 0;
  /** Restores served from a spare (for tests and the bench). */
  taken = 0;
  /** Upkeep waiting for the replay to stay put; `due` is what it will do. */
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

  /** The time of the spare held now, or null (for tests and the bench). */
  get spareAt(): number | null {
    return this.spare?.at ?? null;
  }

  /** Starts waiting upkeep now, and resolves when all of it is done (tests, the bench). */
  settled(): Promise<void> {
    this.due?.();
    return this.work;
  }

  /**
   * Keeps a spare at the checkpoint at or before `clock`, in the background, once the replay
   * has stayed put for SPARE_AFTER_IDLE_MS (a later call starts the wait again).
   */
  follow(clock: number): void {
    this.cancelWaiting();
    const start = (): void => {
      this.cancelWaiting();
      this.upkeep(this.checkpointFor(clock));
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

  private upkeep(at: number): void {
    const generation = this.generation;
    this.work = this.work
      .then(async () => {
        if (generation !== this.generation) return;
        const held = this.spare;
        if (held && held.at === at && held.replay.state === 'paused') return;
        if (held && held.at < at && held.replay.state === 'paused') {
          await held.replay.seekForward(at);
          held.at = at;
          return;
        }
        this.spare = null;
        await held?.replay.close();
        const replay = await this.openSpare(at);
        if (generation !== this.generation || replay.state !== 'paused') {
          await replay.close();
          return;
        }
        this.spare = { replay, at };
      })
      // A spare that cannot open (data changed underneath, say) leaves going back to a
      // replay from the start, which reports the problem where the user acted.
      .catch(() => undefined);
  }

  /**
   * The spare, for going back to `at`, when it is at or before `at`; null otherwise (the
   * caller replays from the start). Waits for upkeep in progress. The caller owns the spare.
   */
  async take(at: number): Promise<ReplaySession | null> {
    // The replay moves again: upkeep not started yet would be for the wrong time.
    this.cancelWaiting();
    await this.work;
    const held = this.spare;
    if (!held || held.at > at || held.replay.state !== 'paused') return null;
    this.spare = null;
    this.taken++;
    return held.replay;
  }

  /** Drops the spare (a new session, or the service closing). */
  async reset(): Promise<void> {
    this.cancelWaiting();
    this.generation++;
    await this.work;
    const held = this.spare;
    this.spare = null;
    await held?.replay.close();
  }
}
