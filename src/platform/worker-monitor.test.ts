import { describe, expect, it } from 'vitest';
import { WorkerMonitor } from './worker-monitor.ts';

describe('WorkerMonitor', () => {
  it('is alive while passes keep coming, and not once they stop coming or the loop is stopped', () => {
    let now = 0;
    const monitor = new WorkerMonitor(1000, () => now);
    now = 59_000;
    expect(monitor.isAlive()).toBe(true);
    monitor.turnStarted('timers');
    monitor.turnEnded('timers');
    now = 118_000;
    expect(monitor.isAlive()).toBe(true);
    now = 119_001;
    expect(monitor.isAlive()).toBe(false);
    monitor.turnStarted('timers');
    monitor.turnEnded('timers');
    expect(monitor.isAlive()).toBe(true);
    monitor.stopped();
    expect(monitor.isAlive()).toBe(false);
  });

  it('allows ten intervals of silence for a slow worker', () => {
    let now = 0;
    const monitor = new WorkerMonitor(30_000, () => now);
    now = 299_000;
    expect(monitor.isAlive()).toBe(true);
    now = 300_000;
    expect(monitor.isAlive()).toBe(false);
  });

  it("is not alive while one lane's turn is stuck, though the other lanes keep turning", () => {
    let now = 0;
    const monitor = new WorkerMonitor(1000, () => now);
    monitor.turnStarted('mail');
    for (now = 1000; now < 60_000; now += 1000) {
      monitor.turnStarted('timers');
      monitor.turnEnded('timers');
      expect(monitor.isAlive()).toBe(true);
    }
    monitor.turnStarted('timers');
    monitor.turnEnded('timers');
    expect(monitor.isAlive()).toBe(false); // the mail turn has run 60 s
    monitor.turnEnded('mail');
    expect(monitor.isAlive()).toBe(true);
  });
});
