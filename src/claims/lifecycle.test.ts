import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { assertTransition, CLAIM_STATUSES, canTransition, TRANSITIONS } from './lifecycle.ts';

describe('the claim transition table', () => {
  it('names only known statuses', () => {
    for (const [from, tos] of Object.entries(TRANSITIONS)) {
      expect(CLAIM_STATUSES).toContain(from);
      for (const to of tos) expect(CLAIM_STATUSES).toContain(to);
    }
  });

  it('lets nothing leave withdrawn or closed', () => {
    for (const to of CLAIM_STATUSES) {
      expect(canTransition('withdrawn', to)).toBe(false);
      expect(canTransition('closed', to)).toBe(false);
    }
  });

  it('pays only approved claims and never un-pays', () => {
    const intoPaid = CLAIM_STATUSES.filter((from) => canTransition(from, 'paid'));
    expect(intoPaid).toEqual(['approved']);
    expect(TRANSITIONS.paid).toEqual(['closed']);
  });

  it('refuses a move outside the table with a 409 naming both statuses', () => {
    try {
      assertTransition('clm_1', 'paid', 'denied');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(409);
      expect((error as AppError).extra).toEqual({ currentStatus: 'paid', requestedStatus: 'denied' });
    }
  });
});
