import { afterEach, describe, expect, it } from 'vitest';
import { electWorkerLeader, type WorkerLeadership } from './worker-leader.ts';

const serverUrl = process.env.DATABASE_URL;

async function until(what: () => boolean, seconds = 20): Promise<void> {
  for (let i = 0; i < seconds * 20; i++) {
    if (what()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out waiting');
}

// The election is a PostgreSQL advisory lock; PGlite serves one process and needs no election.
describe.skipIf(!serverUrl)('worker-leader election (advisory lock)', () => {
  const elected: WorkerLeadership[] = [];
  afterEach(async () => {
    await Promise.all(elected.map((e) => e.stop()));
    elected.length = 0;
  });

  it('lets exactly one of three processes lead, and another takes over when the leader stops', async () => {
    const leads: number[] = [];
    const losses: number[] = [];
    for (const n of [0, 1, 2]) {
      elected.push(
        electWorkerLeader(serverUrl as string, {
          retryMs: 100,
          onLead: () => leads.push(n),
          onLose: () => {
            losses.push(n);
          },
        }),
      );
    }
    await until(() => leads.length === 1);
    // Several retries later, still one leader.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(leads).toHaveLength(1);
    expect(elected.filter((e) => e.leading)).toHaveLength(1);

    const first = leads[0] as number;
    await elected[first]?.stop();
    expect(losses).toEqual([first]);
    await until(() => leads.length === 2);
    const second = leads[1] as number;
    expect(second).not.toBe(first);
    expect(elected.filter((e) => e.leading)).toEqual([elected[second]]);
  });
});
