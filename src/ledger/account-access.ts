import { isStaff, type Principal } from '../platform/auth/roles.ts';
import type { AccountKind } from './accounts.ts';

/**
 * Which account kinds each party holds. The party id alone is not enough: a customer and a
 * seller may carry the same id (ids come from the marketplace's own systems), and a customer
 * must never read a seller's books.
 */
const PARTY_ACCOUNT_KINDS: Partial<Record<Principal['role'], readonly AccountKind[]>> = {
  customer: ['customer_payable'],
  seller: ['seller_receivable', 'seller_disbursement'],
  insurer: ['insurer_receivable'],
};

/** Staff read every ledger account; a party only its own accounts of the kinds it holds. */
export function canReadAccount(
  principal: Principal,
  account: { kind: string; party_id: string | null },
): boolean {
  if (isStaff(principal)) return true;
  const kinds: readonly string[] = PARTY_ACCOUNT_KINDS[principal.role] ?? [];
  return account.party_id !== null && account.party_id === principal.partyId && kinds.includes(account.kind);
}
