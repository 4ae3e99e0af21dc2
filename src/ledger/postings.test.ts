import { describe, expect, it } from 'vitest';
import * as postings from './postings.ts';

describe('ledger postings', () => {
  it('balance: every posting sums to zero', () => {
    const all = [
      postings.claimAccrued('cus_1', 45_000),
      postings.payoutSettled('cus_1', 45_000),
      postings.recoveryOpened('slr_1', 45_000),
      postings.recoveryOffset('slr_1', 100),
      postings.recoveryTendered('slr_1', 'ins_1', 44_900),
      postings.recoveryPaidByInsurer('ins_1', 44_900),
      postings.recoveryWrittenOff({ kind: 'seller_receivable', partyId: 'slr_1' }, 5),
      postings.sellerProceeds('slr_1', 9_999),
    ];
    for (const posting of all) expect(posting.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(0);
  });

  it('refuses amounts that are not positive whole minor units', () => {
    expect(() => postings.claimAccrued('cus_1', 0)).toThrow();
    expect(() => postings.claimAccrued('cus_1', -5)).toThrow();
    expect(() => postings.claimAccrued('cus_1', 10.5)).toThrow();
  });
});
