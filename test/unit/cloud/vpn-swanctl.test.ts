// swanctl.conf for both ends (SEMANTICS F2 parameter mapping, F3 one appliance per tunnel,
// F6 advertised routes in the selectors): key lines, one setting per line, and the traffic
// selectors of both routing modes. Whether charon takes the text is the integration tests'.

import { describe, expect, it } from 'vitest';
import { cloudSideSwanctl, customerSideSwanctl, espProposal, ikeProposal, trafficSelectors } from '../../../src/main/cloud/vpn-swanctl';
import { IDC_IP, vpnFixture } from './vpn-fixture';

/** The block `name { … }` of `text` (first one), by brace depth. */
function block(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${name} {`);
  if (start < 0) throw new Error(`no block ${name}`);
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    depth += (lines[i].match(/\{/g) ?? []).length - (lines[i].match(/\}/g) ?? []).length;
    if (depth === 0) return lines.slice(start, i + 1).join('\n');
  }
  throw new Error(`unbalanced block ${name}`);
}

/** swanctl's syntax: every line is `key = value`, `name {` or `}` — never two settings on one. */
function expectOneSettingPerLine(text: string): void {
  let depth = 0;
  for (const l of text.split('\n').filter((x) => x.trim() !== '')) {
    expect(l, l).toMatch(/^\s*([A-Za-z0-9_.-]+ = [^{};]*|[A-Za-z0-9_.-]+ \{|\})$/);
    depth += l.endsWith('{') ? 1 : l.trim() === '}' ? -1 : 0;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
}

function lab(extra: Record<string, unknown> = {}, tunnels?: Record<string, unknown>[]) {
  const f = vpnFixture();
  const g = f.gw();
  const cgw = f.cgw();
  const c = f.conn(g, cgw, { EffectImmediately: 'true', ...(extra as object) }, tunnels ?? [{ TunnelIkeConfig: { Psk: 'psk-one' } }, { TunnelIkeConfig: { Psk: 'psk-two' } }]);
  return { ...f, g, cgwId: cgw, c };
}

describe('F2: proposals', () => {
  it('F2: aes → aes128, group1/2/5/14 → modp768/1024/1536/2048, auth names as they are; IpsecPfs disabled → no DH group', () => {
    const ike = (IkeEncAlg: string, IkeAuthAlg: string, IkePfs: string) => ikeProposal({ IkeEncAlg, IkeAuthAlg, IkePfs } as never);
    expect(ike('aes', 'sha1', 'group2')).toBe('aes128-sha1-modp1024');
    expect(ike('aes192', 'md5', 'group1')).toBe('aes192-md5-modp768');
    expect(ike('aes256', 'sha256', 'group5')).toBe('aes256-sha256-modp1536');
    expect(ike('3des', 'sha384', 'group14')).toBe('3des-sha384-modp2048');
    expect(ike('des', 'sha512', 'group2')).toBe('des-sha512-modp1024');
    expect(espProposal({ IpsecEncAlg: 'aes', IpsecAuthAlg: 'sha1', IpsecPfs: 'group14' } as never)).toBe('aes128-sha1-modp2048');
    expect(espProposal({ IpsecEncAlg: 'aes256', IpsecAuthAlg: 'sha256', IpsecPfs: 'disabled' } as never)).toBe('aes256-sha256');
  });
});

describe('cloudSideSwanctl', () => {
  it('F3: endpoint N\'s config holds one connection per VPN connection, named by its ID, from endpoint N\'s IP to the customer gateway', () => {
    const f = lab();
    const t1 = cloudSideSwanctl(f.cp.model, f.g, 1);
    expectOneSettingPerLine(t1);
    const conn = block(t1, f.c);
    expect(conn).toContain('    version = 2');
    expect(conn).toContain('    local_addrs = 47.96.0.1');
    expect(conn).toContain(`    remote_addrs = ${IDC_IP}`);
    expect(conn).toContain('    encap = yes');
    expect(conn).toContain('    proposals = aes128-sha1-modp1024');
    expect(conn).toContain('    rekey_time = 77760s');
    expect(conn).toContain('    dpd_delay = 10s');
    expect(block(conn, 'local')).toContain('id = 47.96.0.1');
    expect(block(conn, 'remote')).toContain(`id = ${IDC_IP}`);
    const child = block(block(conn, 'children'), f.c);
    expect(child).toContain('local_ts = 192.168.0.0/16');
    expect(child).toContain('remote_ts = 172.16.0.0/16');
    expect(child).toContain('esp_proposals = aes128-sha1-modp1024');
    expect(child).toContain('life_time = 86400s');
    expect(child).toContain('start_action = start');
    const secret = block(t1, `ike-${f.c}`);
    expect(secret).toContain('id-local = 47.96.0.1');
    expect(secret).toContain(`id-remote = ${IDC_IP}`);
    expect(secret).toContain('secret = "psk-one"');
    // Endpoint 2 carries tunnel 2: its own address and key.
    const t2 = cloudSideSwanctl(f.cp.model, f.g, 2);
    expect(block(t2, f.c)).toContain('local_addrs = 47.96.0.2');
    expect(block(t2, `ike-${f.c}`)).toContain('secret = "psk-two"');
    expect(t2).not.toContain('psk-one');
  });

  it('F2: IKEv1 aggressive, no DPD, no NAT traversal, PFS disabled, lifetime 0 and EffectImmediately=false show as such', () => {
    const f = lab({ EffectImmediately: 'false' }, [
      { EnableDpd: false, EnableNatTraversal: false, TunnelIkeConfig: { IkeVersion: 'ikev1', IkeMode: 'aggressive', IkeLifetime: 0, LocalId: 'vpn.example.com', Psk: 'a"b#c' }, TunnelIpsecConfig: { IpsecPfs: 'disabled', IpsecLifetime: 3600 } },
      {},
    ]);
    const t = cloudSideSwanctl(f.cp.model, f.g, 1);
    expectOneSettingPerLine(t);
    const conn = block(t, f.c);
    expect(conn).toContain('    version = 1');
    expect(conn).toContain('    aggressive = yes');
    expect(conn).toContain('    encap = no');
    expect(conn).toContain('    rekey_time = 0s\n    reauth_time = 0s');
    expect(conn).not.toContain('dpd_delay');
    expect(conn).not.toContain('dpd_action');
    expect(block(conn, 'local')).toContain('id = vpn.example.com');
    const child = block(block(conn, 'children'), f.c);
    expect(child).toContain('esp_proposals = aes128-sha1\n');
    expect(child).toContain('rekey_time = 3240s');
    expect(child).toContain('life_time = 3600s');
    expect(child).toContain('start_action = trap');
    expect(block(t, `ike-${f.c}`)).toContain('secret = "a\\"b#c"');
  });

  it('a gateway with no connection has empty sections; several connections are several blocks', () => {
    const f = vpnFixture();
    const g = f.gw();
    expect(cloudSideSwanctl(f.cp.model, g, 1)).toBe('connections {\n}\nsecrets {\n}\n');
    const cgw = f.cgw();
    const other = f.cgw('203.0.113.50');
    const a = f.conn(g, cgw);
    const b = f.conn(g, other, { RemoteSubnet: '10.50.0.0/16' });
    const t = cloudSideSwanctl(f.cp.model, g, 2);
    expectOneSettingPerLine(t);
    expect(block(t, a)).toContain(`remote_addrs = ${IDC_IP}`);
    expect(block(t, b)).toContain('remote_addrs = 203.0.113.50');
  });
});

describe('customerSideSwanctl', () => {
  it('F3: tun1 and tun2, one per tunnel, to endpoint 1\'s and 2\'s IPs, the cloud\'s settings mirrored', () => {
    const f = lab();
    const t = customerSideSwanctl(f.cp.model, f.c);
    expectOneSettingPerLine(t);
    const t1 = block(t, 'tun1');
    expect(t1).toContain(`    local_addrs = ${IDC_IP}`);
    expect(t1).toContain('    remote_addrs = 47.96.0.1');
    expect(block(t1, 'local')).toContain(`id = ${IDC_IP}`);
    expect(block(t1, 'remote')).toContain('id = 47.96.0.1');
    const c1 = block(block(t1, 'children'), 'tun1');
    expect(c1).toContain('local_ts = 172.16.0.0/16');
    expect(c1).toContain('remote_ts = 192.168.0.0/16');
    expect(c1).toContain('start_action = start');
    expect(c1).toContain('dpd_action = restart');
    // F3: the master tunnel's policies win over the standby's identical ones.
    expect(c1).toContain('priority = 100');
    expect(block(block(block(t, 'tun2'), 'children'), 'tun2')).toContain('priority = 200');
    expect(cloudSideSwanctl(f.cp.model, f.g, 1)).not.toContain('priority');
    expect(block(t, 'tun2')).toContain('remote_addrs = 47.96.0.2');
    expect(block(t, 'ike-tun1')).toContain('secret = "psk-one"');
    expect(block(t, 'ike-tun2')).toContain('secret = "psk-two"');
  });

  it('F9: with a customer gateway given, only the tunnels that end on it', () => {
    const f = vpnFixture();
    const g = f.gw();
    const a = f.cgw();
    const b = f.cgw('203.0.113.50');
    const c = f.conn(g, a, {}, [{}, { CustomerGatewayId: b }]);
    const onA = customerSideSwanctl(f.cp.model, c, a);
    expect(onA).toContain('tun1 {');
    expect(onA).not.toContain('tun2 {');
    const onB = customerSideSwanctl(f.cp.model, c, b);
    expect(block(onB, 'tun2')).toContain('local_addrs = 203.0.113.50');
  });
});

describe('trafficSelectors', () => {
  it('F2: protected data flows use LocalSubnet and RemoteSubnet as they are', () => {
    const f = lab({ LocalSubnet: '192.168.0.0/24,192.168.1.0/24', RemoteSubnet: '172.16.0.0/24' });
    expect(trafficSelectors(f.cp.model, f.cp.model.vpnConnections[0])).toEqual({ cloud: ['192.168.0.0/24', '192.168.1.0/24'], idc: ['172.16.0.0/24'] });
  });

  it('F2/F5/F6: destination routing narrows 0.0.0.0/0 to the VPC CIDR plus advertised routes, and the connection\'s route destinations (else the IDC LAN)', () => {
    const f = lab({ LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
    const conn = () => f.cp.model.vpnConnections[0];
    // No routes yet: the LAN of the IDC site whose router holds the customer gateway's IP.
    expect(trafficSelectors(f.cp.model, conn())).toEqual({ cloud: ['192.168.0.0/16'], idc: ['172.16.0.0/16'] });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/24', NextHop: f.c });
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '10.40.0.0/16', NextHop: f.c });
    f.call('CreateVpnGatewayAdvertisedRoute', { VpnGatewayId: f.g, RouteDest: '100.64.0.0/10' });
    expect(trafficSelectors(f.cp.model, conn())).toEqual({ cloud: ['192.168.0.0/16', '100.64.0.0/10'], idc: ['172.16.0.0/24', '10.40.0.0/16'] });
    const t = customerSideSwanctl(f.cp.model, f.c);
    expect(block(block(block(t, 'tun1'), 'children'), 'tun1')).toContain('remote_ts = 192.168.0.0/16,100.64.0.0/10');
    expect(t).not.toContain('0.0.0.0/0');
    // The cloud side keeps 0.0.0.0/0 as its local selector (it routes nothing into ESP and
    // narrows to the IDC's proposal); only the remote side, which routes, is narrowed.
    const cloud = block(block(block(cloudSideSwanctl(f.cp.model, f.g, 1), f.c), 'children'), f.c);
    expect(cloud).toContain('local_ts = 0.0.0.0/0');
    expect(cloud).toContain('remote_ts = 172.16.0.0/24,10.40.0.0/16');
  });

  it('destination routing with no route and no IDC site behind the address: no child at all (never a 0.0.0.0/0 selector)', () => {
    const f = vpnFixture();
    const g = f.gw();
    const cgw = f.cgw('203.0.113.77');
    const c = f.conn(g, cgw, { LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
    const t = cloudSideSwanctl(f.cp.model, g, 1);
    expectOneSettingPerLine(t);
    expect(block(block(t, c), 'children')).toBe('    children {\n    }');
  });
});

describe('DownloadVpnConnectionConfig', () => {
  it('the IDC side\'s view (Local = customer gateway, Remote = VPN gateway, subnets swapped), per tunnel, with the ready swanctl.conf', () => {
    const f = lab();
    const r = f.call('DownloadVpnConnectionConfig', { VpnConnectionId: f.c });
    const cfg = r.VpnConnectionConfig as Record<string, unknown>;
    expect(cfg).toMatchObject({ LocalSubnet: '172.16.0.0/16', RemoteSubnet: '192.168.0.0/16', Local: IDC_IP, Remote: '47.96.0.1' });
    const tunnels = (cfg.TunnelsConfig as { TunnelConfig: Record<string, unknown>[] }).TunnelConfig;
    expect(tunnels.map((t) => [t.TunnelIndex, t.Local, t.Remote])).toEqual([[1, IDC_IP, '47.96.0.1'], [2, IDC_IP, '47.96.0.2']]);
    expect(tunnels[0].IkeConfig).toMatchObject({ Psk: 'psk-one', LocalId: IDC_IP, RemoteId: '47.96.0.1', IkeVersion: 'ikev2' });
    expect(cfg.SwanctlConf).toBe(customerSideSwanctl(f.cp.model, f.c));
    // Read-only: the model is not swapped.
    const before = f.cp.model;
    f.call('DownloadVpnConnectionConfig', { VpnConnectionId: f.c });
    expect(f.cp.model).toBe(before);
  });
});
