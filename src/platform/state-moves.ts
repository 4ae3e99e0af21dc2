import { AppError } from './errors.ts';

/**
 * A small transition table: for each status, the statuses it may move to. A status with no
 * moves is final. Claims have their own (src/claims/lifecycle.ts); recoveries, tenders, safety
 * alerts and expert referrals use this shape so every stored status change passes one check.
 */
export type MoveTable<S extends string> = { readonly [K in S]: readonly NoInfer<S>[] };

export interface StateMachine<S extends string> {
  /** Every status the table knows, in the table's order. */
  readonly statuses: readonly S[];
  /** Statuses with no way out. */
  readonly final: ReadonlySet<S>;
  isStatus(value: string): value is S;
  canMove(from: string, to: string): boolean;
  /**
   * Refuses a move the table does not allow with 409 naming both statuses. Staying in the
   * same status (a partial payment on an invoiced recovery) is not a move and always passes.
   */
  assertMove(id: string, from: string, to: string | undefined): void;
}

export function stateMachine<S extends string>(subject: string, moves: MoveTable<S>): StateMachine<S> {
  const statuses = Object.keys(moves) as S[];
  const isStatus = (value: string): value is S => Object.hasOwn(moves, value);
  const canMove = (from: string, to: string) =>
    isStatus(from) && (moves[from] as readonly string[]).includes(to);
  return {
    statuses,
    final: new Set(statuses.filter((s) => moves[s].length === 0)),
    isStatus,
    canMove,
    assertMove(id, from, to) {
      if (to === undefined || to === from) return;
      if (!canMove(from, to)) {
        throw new AppError('conflict', `${subject} ${id} is ${from}; it cannot become ${to}`, {
          extra: { currentStatus: from },
        });
      }
    },
  };
}
