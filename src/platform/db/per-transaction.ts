/**
 * State a use case keeps for one transaction (the object it passes down): made on first use and
 * gone with the transaction, never on the long-lived pool. The writes it holds back
 * (held-writes.ts), the rows it has already read or written and hands to a later step instead of
 * a second read (insurance/store.ts, ledger/payouts.ts).
 */
export function perTransaction<T>(create: () => T) {
  const states = new WeakMap<object, T>();
  return {
    /** The transaction's state, made now if it has none. */
    of(tx: object): T {
      let state = states.get(tx);
      if (state === undefined) {
        state = create();
        states.set(tx, state);
      }
      return state;
    },
    /** The transaction's state if it has any, without making it. */
    peek: (tx: object): T | undefined => states.get(tx),
    drop(tx: object): void {
      states.delete(tx);
    },
  };
}
