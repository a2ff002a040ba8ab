// Resource IDs shaped like the cloud's (`vpc-` + 22 lower-case alphanumerics). They are
// derived from the lab name and a counter, so the same scenario gets the same IDs on every
// run and a tutorial's text can show them.

import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class IdGenerator {
  private counter = 0;
  constructor(private readonly seed: string) {}

  next(prefix: string): string {
    this.counter++;
    const digest = createHash('sha256').update(`${this.seed}/${prefix}/${this.counter}`).digest();
    let s = '';
    for (let i = 0; i < 22; i++) s += ALPHABET[digest[i] % ALPHABET.length];
    return `${prefix}-${s}`;
  }

  /**
   * An ID derived from `key` instead of the counter: for resources the lab makes on its own
   * (a VPC's default security group), so that making them does not shift the IDs of
   * everything created after them.
   */
  derived(prefix: string, key: string): string {
    const digest = createHash('sha256').update(`${this.seed}/${prefix}/derived/${key}`).digest();
    let s = '';
    for (let i = 0; i < 22; i++) s += ALPHABET[digest[i] % ALPHABET.length];
    return `${prefix}-${s}`;
  }

  /** The counter is part of the model so that a restored lab keeps handing out fresh IDs. */
  get state(): number {
    return this.counter;
  }
  set state(n: number) {
    this.counter = n;
  }
}

let requests = 0;
/** A request ID in the cloud's format (a UUID); only used for display. */
export function requestId(): string {
  requests++;
  const h = createHash('md5').update(`req/${process.pid}/${requests}/${Date.now()}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
