import {
  type AccountRef,
  cash,
  customerPayable,
  customerReceivable,
  fund,
  insurerReceivable,
  sellerDisbursement,
  sellerReceivable,
} from './accounts.ts';

export interface Posting {
  kind: string;
  memo: string;
  lines: { account: AccountRef; amount: number }[];
}

/** A debit to one account and the matching credit to another. */
const transfer = (
  kind: string,
  memo: string,
  debit: AccountRef,
  credit: AccountRef,
  amount: number,
): Posting => {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new Error(`a posting needs a positive whole amount, got ${amount}`);
  return {
    kind,
    memo,
    lines: [
      { account: debit, amount },
      { account: credit, amount: -amount },
    ],
  };
};

/** The marketplace takes on a claim: the guarantee bears the cost, the customer is owed it. */
export const claimAccrued = (customerId: string, amount: number) =>
  transfer(
    'claim_accrued',
    'marketplace owes the customer an approved claim',
    fund,
    customerPayable(customerId),
    amount,
  );

/** The claim was withdrawn before its payout ran: the accrual is reversed. */
export const claimAccrualReversed = (customerId: string, amount: number) =>
  transfer(
    'claim_accrual_reversed',
    'claim withdrawn before payment',
    customerPayable(customerId),
    fund,
    amount,
  );

/** The payout reached the customer. */
export const payoutSettled = (customerId: string, amount: number) =>
  transfer('payout_settled', 'payout to the customer settled', customerPayable(customerId), cash, amount);

/** The marketplace will recover what it paid from the seller: the cost becomes a receivable. */
export const recoveryOpened = (sellerId: string, amount: number) =>
  transfer(
    'recovery_opened',
    'seller owes the marketplace the claim it paid',
    sellerReceivable(sellerId),
    fund,
    amount,
  );

/** The seller showed cover for the incident date in time: the recovery is waived after all. */
export const recoveryWaived = (sellerId: string, amount: number) =>
  transfer(
    'recovery_waived',
    'recovery waived: the seller proved cover in time',
    fund,
    sellerReceivable(sellerId),
    amount,
  );

/** Taken from the seller's proceeds held by the marketplace. */
export const recoveryOffset = (sellerId: string, amount: number) =>
  transfer(
    'recovery_offset',
    "recovered from the seller's disbursement balance",
    sellerDisbursement(sellerId),
    sellerReceivable(sellerId),
    amount,
  );

/** The seller's debt is passed to its insurer. */
export const recoveryTendered = (sellerId: string, insurerId: string, amount: number) =>
  transfer(
    'recovery_tendered',
    "recovery tendered to the seller's insurer",
    insurerReceivable(insurerId),
    sellerReceivable(sellerId),
    amount,
  );

export const recoveryPaidBySeller = (sellerId: string, amount: number) =>
  transfer('recovery_paid', 'seller paid the recovery invoice', cash, sellerReceivable(sellerId), amount);

export const recoveryPaidByInsurer = (insurerId: string, amount: number) =>
  transfer('recovery_paid', 'insurer paid the tendered recovery', cash, insurerReceivable(insurerId), amount);

export const recoveryWrittenOff = (debtor: AccountRef, amount: number) =>
  transfer(
    'recovery_written_off',
    'recovery written off: the guarantee bears the cost',
    fund,
    debtor,
    amount,
  );

/** A claim flagged after its payout left: the claimant owes the money back to the guarantee. */
export const claimantRecoveryOpened = (customerId: string, amount: number) =>
  transfer(
    'recovery_opened',
    'claimant owes back a payout on a claim flagged after payment',
    customerReceivable(customerId),
    fund,
    amount,
  );

export const recoveryPaidByClaimant = (customerId: string, amount: number) =>
  transfer('recovery_paid', 'claimant repaid the recovery', cash, customerReceivable(customerId), amount);

/** A seller's sales proceeds arrive and are held for disbursement. */
export const sellerProceeds = (sellerId: string, amount: number) =>
  transfer(
    'seller_proceeds',
    'sales proceeds held for the seller',
    cash,
    sellerDisbursement(sellerId),
    amount,
  );

/** Proceeds paid out to the seller. */
export const sellerDisbursed = (sellerId: string, amount: number) =>
  transfer('seller_disbursed', 'proceeds paid out to the seller', sellerDisbursement(sellerId), cash, amount);

/** A contest reversed the marketplace's resolution: what the seller still owed is cancelled. */
export const recoveryReversed = (sellerId: string, amount: number) =>
  transfer(
    'recovery_reversed',
    "recovery cancelled: the seller's contest was reversed in its favour",
    fund,
    sellerReceivable(sellerId),
    amount,
  );

/**
 * A contest reversed: what was already taken from the seller (offset from its proceeds, or paid
 * on the invoice) is owed back to it, in the disbursement balance the marketplace pays it from.
 */
export const recoveryRefunded = (sellerId: string, amount: number) =>
  transfer(
    'recovery_refunded',
    'refund to the seller of a recovery reversed on contest, credited to its disbursement balance',
    fund,
    sellerDisbursement(sellerId),
    amount,
  );
