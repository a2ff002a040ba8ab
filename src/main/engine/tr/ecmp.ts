// F7: a transit router spreads a destination's traffic over its equal-cost members (up to 16
// IPsec connections) by a hash of the 5-tuple, so one flow always takes one member. The
// choice is rendezvous hashing (the GWLB's consistent hash, engine/gwlb/flow-key.ts): each
// member scores the flow by a mix of the flow's hash and its own key, the best score wins.
// A member that goes down is skipped at once and only its flows move (each to the member that
// scored second for it); when it comes back it takes exactly those flows again.

import { rendezvous } from '../gwlb/flow-key';

/** F7: at most 16 members per destination (cloud/tr-routes.ts MAX_ECMP keeps the rest Standby). */
export const MAX_MEMBERS = 16;

export interface EcmpMember {
  /** A hash of the member's ID: its rendezvous seed, the same in every compile. */
  key: number;
}

/**
 * The member flow `hash` takes among `members` for which `usable` holds, or null when none
 * is. `scratch` (at least members.length long) avoids an allocation per packet; after the
 * call `scratch[0..n)` holds the usable members, n being returned in `count.n`.
 */
export function ecmpPick<T extends EcmpMember>(hash: number, members: readonly T[], usable: (m: T) => boolean, scratch: T[], count: { n: number }): T | null {
  let n = 0;
  for (const m of members) if (usable(m)) scratch[n++] = m;
  count.n = n;
  if (n === 0) return null;
  if (n === 1) return scratch[0];
  return scratch[rendezvous(hash, n, (i) => scratch[i].key)];
}
