import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alerts } from '../../../src/main/runtime/vpn';
import { lastFailure } from '../../../src/main/runtime/charon-log';

describe('VPN gateway alerts (F8, a VPN-gateway attachment)', () => {
  it('F8: nothing below 30% with every tunnel up', () => {
    expect(alerts({ in: 0.3, out: 0.1 }, 0)).toEqual([]);
  });
  it('F8: Info over 30%, Warn over 50%, Critical over 85%, per direction', () => {
    expect(alerts({ in: 0.31, out: 0 }, 0)).toEqual([{ Level: 'Info', Rule: 'inbound bandwidth utilization 31% > 30%' }]);
    expect(alerts({ in: 0, out: 0.51 }, 0).map((a) => a.Level)).toEqual(['Warn']);
    expect(alerts({ in: 0.86, out: 0.6 }, 0).map((a) => a.Level)).toEqual(['Critical', 'Warn']);
  });
  it('F8: Critical when any tunnel has negotiation status 0, whatever the load', () => {
    expect(alerts({ in: 0, out: 0 }, 1)).toEqual([{ Level: 'Critical', Rule: '1 tunnel with negotiation status 0' }]);
  });
});

describe("a tunnel's reason, from charon's log", () => {
  const log = (text: string): string => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'charon-log-')), 'charon.log');
    fs.writeFileSync(f, text);
    return f;
  };
  it('the latest failure of the named IKE SA, without the time and thread', () => {
    const f = log([
      '10:00:01 05[IKE] <vco-a|1> initiating IKE_SA vco-a[1] to 203.0.113.10',
      '10:00:01 06[IKE] <vco-a|1> received AUTHENTICATION_FAILED notify error',
      '10:00:02 07[IKE] <vco-b|2> received NO_PROPOSAL_CHOSEN notify error',
      '10:00:03 07[IKE] <vco-a|3> IKE_SA vco-a[3] established between 47.0.0.1[47.0.0.1]...203.0.113.10[203.0.113.10]',
      '',
    ].join('\n'));
    expect(lastFailure(f, 'vco-a', '203.0.113.10')).toBe('received AUTHENTICATION_FAILED notify error');
    expect(lastFailure(f, 'vco-b', '198.51.100.1')).toBe('received NO_PROPOSAL_CHOSEN notify error');
  });
  it('lines before a peer config was found are matched by the peer address', () => {
    const f = log('10:00:01 12[CFG] <3> no matching peer config found for 203.0.113.10...47.0.0.1\n');
    expect(lastFailure(f, 'vco-a', '203.0.113.10')).toBe('no matching peer config found for 203.0.113.10...47.0.0.1');
  });
  it('no log, or nothing wrong in it: no reason', () => {
    expect(lastFailure('/nonexistent/charon.log', 'vco-a', '1.2.3.4')).toBeUndefined();
    expect(lastFailure(log('10:00:00 05[IKE] <vco-a|1> IKE_SA vco-a[1] established\n'), 'vco-a', '1.2.3.4')).toBeUndefined();
  });
});
