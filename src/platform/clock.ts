/**
 * The only way Redress reads time. Production uses the wall clock; tests and simulations
 * inject a clock they move, so deadlines months away can be reached in milliseconds.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; shared by every part of one process. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(seconds: number): Date {
    this.#now += Math.round(seconds * 1000);
    return this.now();
  }

  set(to: Date): void {
    this.#now = to.getTime();
  }
}
