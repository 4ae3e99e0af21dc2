/**
 * Tells `/readyz` whether this process's background worker is still running passes. A pass
 * that fails (the database restarting, say) still counts as activity: the loop is alive and
 * will retry; only a loop that stopped, or a pass stuck far longer than any should take, is not.
 * Measured on the monotonic clock: this is the process's own health, not business time.
 */
export class WorkerMonitor {
  readonly #staleAfterMs: number;
  readonly #now: () => number;
  #lastActivity: number;
  #stopped = false;

  constructor(intervalMs: number, now: () => number = () => performance.now()) {
    this.#staleAfterMs = Math.max(10 * intervalMs, 60_000);
    this.#now = now;
    this.#lastActivity = now();
  }

  /** A pass started or ended (either way the loop is turning). */
  beat(): void {
    this.#lastActivity = this.#now();
  }

  stopped(): void {
    this.#stopped = true;
  }

  isAlive(): boolean {
    return !this.#stopped && this.#now() - this.#lastActivity < this.#staleAfterMs;
  }
}
