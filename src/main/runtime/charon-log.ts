// Why a tunnel is down, in charon's own words: the last failure its log gives for an IKE SA.
// The lab's strongswan.conf logs with `ike_name = yes`, so a line of a known connection
// carries `<name|n>`; lines from before a peer config was found (`<n>`) name the peer's
// address instead. Only the log's tail is read: the latest failure is what a user needs.

import * as fs from 'node:fs';

const TAIL = 64 * 1024;

/** Lines that say why a negotiation failed or a tunnel went away. */
const FAILURE = /AUTHENTICATION_FAILED|NO_PROPOSAL_CHOSEN|TS_UNACCEPTABLE|INVALID_KE_PAYLOAD|no matching peer config|no shared key found|MAC mismatched|no acceptable proposal|peer not responding|giving up after|retransmit \d+ of request|unable to|failed to|deleting IKE_SA|closing IKE_SA|received DELETE for IKE_SA|establishing CHILD_SA .* failed|is not a valid/;

export function lastFailure(logFile: string, connName: string, peerIp: string): string | undefined {
  let text: string;
  try {
    const fd = fs.openSync(logFile, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, TAIL);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const mine = `<${connName}|`;
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (!(l.includes(mine) || l.includes(peerIp))) continue;
    if (!FAILURE.test(l)) continue;
    return l.replace(/^\S+ \d+\[\w+\] (<[^>]*> )?/, '').trim();
  }
  return undefined;
}
