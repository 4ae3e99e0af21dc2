/**
 * Tells `/readyz` whether this process's background worker is still running passes. A pass
 * that fails (the database restarting, say) still counts as activity: the loop is alive and
 * will retry; only a loop that stopped, or a pass stuck far longer than any should take, is not.
 * The worker runs each job on a lane of its own (jobs.ts): the others' turns keep it beating, so
 * a lane whose turn is stuck is caught by the turn's own age (`turnStarted`, `turnEnded`).
 * Measured on the monotonic clock: this is the process's own health, not business time.
 */
export class WorkerMonitor {
  readonly #staleAfterMs: number;
  readonly #now: () => number;
  #lastActivity: number;
  #stopped = false;
  /** When each lane's turn under way started. */
  readonly #turns = new Map<string, number>();

  constructor(intervalMs: number, now: () => number = () => performance.now()) {
    this.#staleAfterMs = Math.max(10 * intervalMs, 60_000);
    this.#now = now;
    this.#lastActivity = now();
  }

  /** A turn started or ended (either way the loop is turning). */
  #beat(): void {
    this.#lastActivity = this.#now();
  }

  /** A lane's turn started: the loop is turning, and this turn is timed. */
  turnStarted(lane: string): void {
    this.#beat();
    this.#turns.set(lane, this.#now());
  }

  turnEnded(lane: string): void {
    this.#beat();
    this.#turns.delete(lane);
  }

  stopped(): void {
    this.#stopped = true;
  }

  isAlive(): boolean {
    const now = this.#now();
    const stuck = [...this.#turns.values()].some((started) => now - started >= this.#staleAfterMs);
    return !this.#stopped && !stuck && now - this.#lastActivity < this.#staleAfterMs;
  }
}
