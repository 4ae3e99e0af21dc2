/**
 * Moves money to a customer. The payout id is the idempotency key: asking twice for the same
 * payout must never pay twice, so a retry after a crash or a timeout is always safe.
 */
export interface PaymentProvider {
  readonly name: string;
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
  pay: async (request) => ({ outcome: 'settled', reference: `ledger:${request.payoutId}` }),
};
