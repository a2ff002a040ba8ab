// What the bench's lab paths share about their labs: a host's namespace by its scenario
// name, and a literal made safe inside a regular expression (the captures they check).

import type { Lab } from '../src/main/runtime/lab';

export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The namespace of `host` in `l`, whose scenario is `file` (named in the error). */
export async function hostNs(l: Lab, host: string, file: string): Promise<string> {
  const h = (await l.status()).hosts.find((x) => x.name === host);
  if (!h) throw new Error(`${file} has no host ${host}`);
  return h.netns;
}
