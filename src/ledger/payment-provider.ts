/**
 * Moves money to a customer. The payout id is the idempotency key: asking twice for the same
 * payout must never pay twice, so a retry after a crash or a timeout is always safe.
 */
export interface PaymentProvider {
  readonly name: string;
  /**
   * True when the payment is the ledger entry itself and `pay` always settles without leaving the
   * process: there is no outside call to survive a crash in, so the worker settles a payout in one
   * transaction instead of leasing it first (ledger/execute-payouts.ts).
   */
  readonly settlesInLedger?: boolean;
  pay(request: PayoutRequest): Promise<PayoutResult>;
}

export interface PayoutRequest {
  payoutId: string;
  claimId: string;
  customerId: string;
  amount: number;
  currency: string;
}

export type PayoutResult =
  | { outcome: 'settled'; reference: string }
  | { outcome: 'rejected'; reason: string }
  /** Not known whether it went through (timeout, 5xx, network): ask again with the same id. */
  | { outcome: 'retry'; reason: string };

/** Built in: the ledger is the only record and a payout settles the moment it is asked for. */
export const ledgerOnlyProvider: PaymentProvider = {
  name: 'ledger',
  settlesInLedger: true,
  pay: async (request) => ({ outcome: 'settled', reference: `ledger:${request.payoutId}` }),
};
