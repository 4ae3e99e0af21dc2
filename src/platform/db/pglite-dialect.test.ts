import { describe, expect, it } from 'vitest';
import { ConnectionLine } from './pglite-dialect.ts';

describe("PGlite's connection line", () => {
  it('serves in the order asked, an urgent user before the ordinary ones already waiting', async () => {
    const line = new ConnectionLine();
    const served: string[] = [];
    const use = async (who: string, urgent: boolean) => {
      await line.take(urgent);
      served.push(who);
      await Promise.resolve();
      line.give();
    };
    await line.take(false); // a transaction in flight
    const all = [
      use('filing 1', false),
      use('filing 2', false),
      use('payout 1', true),
      use('filing 3', false),
      use('payout 2', true),
    ];
    line.give();
    await Promise.all(all);
    expect(served).toEqual(['payout 1', 'payout 2', 'filing 1', 'filing 2', 'filing 3']);
    // Free again: the next user is served at once.
    await line.take(false);
    line.give();
  });
});
