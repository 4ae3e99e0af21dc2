import { describe, expect, it } from 'vitest';
import { tenderStates } from '../src/insurance/tender-states.ts';
import { recoveryStates, SETTLED_RECOVERY_STATUSES } from '../src/ledger/recovery-states.ts';
import type { StateMachine } from '../src/platform/state-moves.ts';
import { alertStates } from '../src/safety/alert-states.ts';
import { referralStates } from '../src/screening/referral-states.ts';

/** The statuses each record is created in (insert sites: recoveries.ts, tender-claim.ts, alerts.ts, refer-to-expert.ts). */
const tables: [string, StateMachine<string>, string[]][] = [
  ['recovery', recoveryStates, ['pending', 'waived', 'invoiced']],
  ['tender', tenderStates, ['open']],
  ['alert', alertStates, ['open']],
  ['referral', referralStates, ['open']],
];

function reachable(machine: StateMachine<string>, from: string[]): Set<string> {
  const seen = new Set(from);
  const queue = [...from];
  while (queue.length) {
    const status = queue.shift() as string;
    for (const next of machine.statuses.filter((s) => machine.canMove(status, s))) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe.each(tables)('the %s transition table', (_name, machine, initial) => {
  it('reaches every status from where records are created, and every status can end', () => {
    expect([...reachable(machine, initial)].sort()).toEqual([...machine.statuses].sort());
    for (const status of machine.statuses) {
      expect([...reachable(machine, [status])].some((s) => machine.final.has(s))).toBe(true);
    }
  });

  it('has no move out of a final status', () => {
    for (const status of machine.final) {
      expect(machine.statuses.filter((s) => machine.canMove(status, s))).toEqual([]);
    }
  });
});

describe('what the tables decide elsewhere', () => {
  it('counts an offset recovery as settled (erasure no longer waits on it)', () => {
    expect(SETTLED_RECOVERY_STATUSES.has('offset')).toBe(true);
    expect([...SETTLED_RECOVERY_STATUSES].every((s) => recoveryStates.isStatus(s))).toBe(true);
  });
});
