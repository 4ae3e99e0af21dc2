/**
 * The number a claim is read aloud by, for views that carry only the claim's id (recoveries):
 * `R-` and the id's last eight characters in two groups of four. The claim view carries the same
 * as `claimNumber`, computed by `claimNumber` in src/claims/views.ts; the two must agree.
 */
export function claimNumberOf(claimId: string): string {
  const tail = claimId.slice(-8).toUpperCase();
  return `R-${tail.slice(0, 4)}-${tail.slice(4)}`;
}
