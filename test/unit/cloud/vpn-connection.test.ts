// Dual-tunnel IPsec-VPN connections (SEMANTICS F2 parameters and defaults, F3 tunnels and
// roles, F4 health check, F6.7 the 100.64/10 warning): what CreateVpnConnection accepts and
// stores, what Describe shows (with and without live tunnel state), Modify, Delete.

import { describe, expect, it } from 'vitest';
import { expectFailure } from './helpers';
import { IDC_IP, vpnFixture } from './vpn-fixture';
import { vpnConnectionView } from '../../../src/main/cloud/actions/vpn-connection';
import type { VpnConnection } from '../../../src/main/cloud/model';

type Tunnel = { TunnelId: string; TunnelIndex: number; Role: string; Status: string; State: string; ZoneNo: string; InternetIp: string; TunnelIkeConfig: Record<string, unknown>; TunnelIpsecConfig: Record<string, unknown> };
const tunnelsOf = (d: Record<string, unknown>): Tunnel[] => (d.TunnelOptionsSpecification as { TunnelOptions: Tunnel[] }).TunnelOptions;

function lab() {
  const f = vpnFixture();
  const g = f.gw();
  const cgw = f.cgw();
  return { ...f, g, cgwId: cgw };
}

describe('CreateVpnConnection: F2 defaults and ranges', () => {
  it('F2: defaults are the console\'s (IKEv2, main, aes, sha1, group2, 86400 s; IPsec aes, sha1, group2, 86400 s), IDs the two ends\' addresses, a random 16-character PSK', () => {
    const f = lab();
    const id = f.conn(f.g, f.cgwId);
    expect(id).toMatch(/^vco-/);
    const c = f.cp.model.vpnConnections[0];
    for (const t of c.Tunnels) {
      expect(t.IkeConfig).toMatchObject({ IkeVersion: 'ikev2', IkeMode: 'main', IkeEncAlg: 'aes', IkeAuthAlg: 'sha1', IkePfs: 'group2', IkeLifetime: 86400, RemoteId: IDC_IP });
      expect(t.IkeConfig.Psk).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(t.IpsecConfig).toEqual({ IpsecEncAlg: 'aes', IpsecAuthAlg: 'sha1', IpsecPfs: 'group2', IpsecLifetime: 86400 });
      expect(t).toMatchObject({ EnableDpd: true, EnableNatTraversal: true, CustomerGatewayId: f.cgwId });
    }
    expect(c.Tunnels.map((t) => t.IkeConfig.LocalId)).toEqual(['47.96.0.1', '47.96.0.2']);
    expect(c).toMatchObject({ EffectImmediately: false, AutoConfigRoute: true, LocalSubnet: ['192.168.0.0/16'], RemoteSubnet: ['172.16.0.0/16'] });
  });

  it('F2: every IKE and IPsec value the API lists is accepted, and stored as given', () => {
    const f = lab();
    f.conn(f.g, f.cgwId, {}, [
      { TunnelIkeConfig: { Psk: 'k~!`@#$%^&*()_-+={}[]|;:",.<>/?', IkeVersion: 'ikev1', IkeMode: 'aggressive', IkeEncAlg: '3des', IkeAuthAlg: 'sha512', IkePfs: 'group14', IkeLifetime: 0, LocalId: 'vpn.example.com', RemoteId: 'idc.example.com' },
        TunnelIpsecConfig: { IpsecEncAlg: 'aes256', IpsecAuthAlg: 'md5', IpsecPfs: 'disabled', IpsecLifetime: 86400 }, EnableDpd: false, EnableNatTraversal: 'false' },
      { TunnelIkeConfig: { IkeEncAlg: 'des', IkeAuthAlg: 'sha384', IkePfs: 'group5', IkeLifetime: '3600' }, TunnelIpsecConfig: { IpsecEncAlg: 'aes192', IpsecAuthAlg: 'sha256', IpsecPfs: 'group1', IpsecLifetime: 0 } },
    ]);
    const [t1, t2] = f.cp.model.vpnConnections[0].Tunnels;
    expect(t1.IkeConfig).toEqual({ Psk: 'k~!`@#$%^&*()_-+={}[]|;:",.<>/?', IkeVersion: 'ikev1', IkeMode: 'aggressive', IkeEncAlg: '3des', IkeAuthAlg: 'sha512', IkePfs: 'group14', IkeLifetime: 0, LocalId: 'vpn.example.com', RemoteId: 'idc.example.com' });
    expect(t1).toMatchObject({ EnableDpd: false, EnableNatTraversal: false, IpsecConfig: { IpsecEncAlg: 'aes256', IpsecAuthAlg: 'md5', IpsecPfs: 'disabled', IpsecLifetime: 86400 } });
    expect(t2.IkeConfig).toMatchObject({ IkeEncAlg: 'des', IkeAuthAlg: 'sha384', IkePfs: 'group5', IkeLifetime: 3600 });
    expect(t2.IpsecConfig).toEqual({ IpsecEncAlg: 'aes192', IpsecAuthAlg: 'sha256', IpsecPfs: 'group1', IpsecLifetime: 0 });
  });

  it('F2: out-of-range values are refused naming the field, and the failed create changes nothing', () => {
    const f = lab();
    const bad = (t: Record<string, unknown>, code: string, param: string): void => {
      expectFailure(f.cp, 'CreateVpnConnection', { VpnGatewayId: f.g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16', TunnelOptionsSpecification: f.tunnelSpec(f.cgwId, [t, {}]) as never }, code, { param });
    };
    const k = 'TunnelOptionsSpecification.1.TunnelIkeConfig';
    const i = 'TunnelOptionsSpecification.1.TunnelIpsecConfig';
    bad({ TunnelIkeConfig: { IkeLifetime: 86401 } }, 'InvalidParameter', `${k}.IkeLifetime`);
    bad({ TunnelIkeConfig: { IkeLifetime: -1 } }, 'InvalidParameter', `${k}.IkeLifetime`);
    bad({ TunnelIpsecConfig: { IpsecLifetime: 100000 } }, 'InvalidParameter', `${i}.IpsecLifetime`);
    bad({ TunnelIkeConfig: { IkeVersion: 'ikev3' } }, 'InvalidParameter', `${k}.IkeVersion`);
    bad({ TunnelIkeConfig: { IkeEncAlg: 'aes128' } }, 'InvalidParameter', `${k}.IkeEncAlg`);
    bad({ TunnelIkeConfig: { IkeAuthAlg: 'sha224' } }, 'InvalidParameter', `${k}.IkeAuthAlg`);
    bad({ TunnelIkeConfig: { IkePfs: 'group24' } }, 'InvalidParameter', `${k}.IkePfs`);
    bad({ TunnelIkeConfig: { IkePfs: 'disabled' } }, 'InvalidParameter', `${k}.IkePfs`);
    bad({ TunnelIpsecConfig: { IpsecPfs: 'group24' } }, 'InvalidParameter', `${i}.IpsecPfs`);
    bad({ TunnelIkeConfig: { Psk: 'has space' } }, 'InvalidPsk.Malformed', `${k}.Psk`);
    bad({ TunnelIkeConfig: { Psk: 'x'.repeat(101) } }, 'InvalidPsk.Malformed', `${k}.Psk`);
    bad({ TunnelIkeConfig: { Psk: "quote'" } }, 'InvalidPsk.Malformed', `${k}.Psk`);
    bad({ TunnelIkeConfig: { LocalId: 'x'.repeat(101) } }, 'InvalidParameter', `${k}.LocalId`);
    bad({ TunnelIkeConfig: { Pks: 'typo' } }, 'UnsupportedParameter', `${k}.Pks`);
    bad({ Bogus: 1 }, 'UnsupportedParameter', 'TunnelOptionsSpecification.1.Bogus');
    bad({ CustomerGatewayId: 'cgw-nope' }, 'InvalidCustomerGatewayInstanceId.NotFound', 'TunnelOptionsSpecification.1.CustomerGatewayId');
    expect(f.cp.model.vpnConnections).toEqual([]);
    expect(f.cp.model.vpnRouteEntries).toEqual([]);
  });

  it('F2: a PSK of 1 and of 100 characters is accepted; a mismatched PSK or algorithm is accepted too (the tunnel just stays down)', () => {
    const f = lab();
    f.conn(f.g, f.cgwId, {}, [{ TunnelIkeConfig: { Psk: 'a' } }, { TunnelIkeConfig: { Psk: 'b'.repeat(100) } }]);
    expect(f.cp.model.vpnConnections[0].Tunnels.map((t) => t.IkeConfig.Psk.length)).toEqual([1, 100]);
  });

  it('F2: subnets are CIDR lists; 0.0.0.0/0 on both sides is destination-routing mode', () => {
    const f = lab();
    const id = f.conn(f.g, f.cgwId, { LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
    expect(f.call('DescribeVpnConnection', { VpnConnectionId: id })).toMatchObject({ LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0', RoutingMode: 'DestinationRouting' });
    const id2 = f.conn(f.g, f.cgwId, { LocalSubnet: '192.168.0.0/24,192.168.1.0/24', RemoteSubnet: ['172.16.0.0/24', '172.16.1.0/24'] as never });
    expect(f.call('DescribeVpnConnection', { VpnConnectionId: id2 })).toMatchObject({ LocalSubnet: '192.168.0.0/24,192.168.1.0/24', RemoteSubnet: '172.16.0.0/24,172.16.1.0/24', RoutingMode: 'ProtectedDataFlows' });
    const base = { VpnGatewayId: f.g, TunnelOptionsSpecification: f.tunnelSpec(f.cgwId) as never };
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, LocalSubnet: '192.168.0.1/16', RemoteSubnet: '172.16.0.0/16' }, 'InvalidCidrBlock.Malformed', { param: 'LocalSubnet' });
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, LocalSubnet: '192.168.0.0/16' }, 'MissingParameter', { param: 'RemoteSubnet' });
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, LocalSubnet: '192.168.0.0/16,192.168.0.0/16', RemoteSubnet: '172.16.0.0/16' }, 'InvalidParameter', { param: 'LocalSubnet' });
  });
});

describe('CreateVpnConnection: F3 dual tunnel', () => {
  it('F3: exactly two tunnels; tunnel 1 is master and tunnel 2 slave unless told; one of each', () => {
    const f = lab();
    const base = { VpnGatewayId: f.g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16' };
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, TunnelOptionsSpecification: f.tunnelSpec(f.cgwId, [{}]) as never }, 'InvalidParameter.TunnelOptionsSpecification');
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, TunnelOptionsSpecification: f.tunnelSpec(f.cgwId, [{}, {}, {}]) as never }, 'InvalidParameter.TunnelOptionsSpecification');
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, TunnelOptionsSpecification: f.tunnelSpec(f.cgwId, [{ Role: 'master' }, { Role: 'master' }]) as never }, 'InvalidParameter.TunnelOptionsSpecification');
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, TunnelOptionsSpecification: f.tunnelSpec(f.cgwId, [{ TunnelIndex: 2 }, { TunnelIndex: 2 }]) as never }, 'InvalidParameter.TunnelOptionsSpecification');
    f.conn(f.g, f.cgwId);
    expect(f.cp.model.vpnConnections[0].Tunnels.map((t) => [t.TunnelIndex, t.Role])).toEqual([[1, 'master'], [2, 'slave']]);
    // Given in the other order, with tunnel 2 as master.
    f.conn(f.g, f.cgwId, {}, [{ TunnelIndex: 2, Role: 'master' }, { TunnelIndex: 1, Role: 'slave' }]);
    expect(f.cp.model.vpnConnections[1].Tunnels.map((t) => [t.TunnelIndex, t.Role])).toEqual([[1, 'slave'], [2, 'master']]);
  });

  it('F3: each tunnel is in its endpoint\'s zone with its public IP; Describe shows TunnelOptions with placeholders for the negotiation state', () => {
    const f = lab();
    const id = f.conn(f.g, f.cgwId, { Name: 'to-idc' });
    const d = f.call('DescribeVpnConnection', { VpnConnectionId: id });
    expect(d).toMatchObject({ VpnConnectionId: id, Name: 'to-idc', VpnGatewayId: f.g, CustomerGatewayId: f.cgwId, Status: 'ike_sa_not_established', State: 'active' });
    const ts = tunnelsOf(d);
    expect(ts.map((t) => [t.TunnelIndex, t.Role, t.ZoneNo, t.InternetIp, t.Status, t.State])).toEqual([
      [1, 'master', 'ap-northeast-1a', '47.96.0.1', 'ike_sa_not_established', 'active'],
      [2, 'slave', 'ap-northeast-1b', '47.96.0.2', 'ike_sa_not_established', 'active'],
    ]);
    expect(ts[0].TunnelId).toMatch(/^tun-/);
    expect(ts[0].TunnelIkeConfig).toMatchObject({ IkeVersion: 'ikev2', IkeAuthAlg: 'sha1' });
    const list = f.call('DescribeVpnConnections', { VpnGatewayId: f.g });
    expect(list).toMatchObject({ TotalCount: 1 });
  });

  it('F8: vpnConnectionView takes the runtime\'s live tunnel state; the connection shows its best tunnel', () => {
    const f = lab();
    f.conn(f.g, f.cgwId, { HealthCheckConfig: { enable: true, sip: '192.168.0.100', dip: '172.16.0.10' } as never });
    const c = f.cp.model.vpnConnections[0] as VpnConnection;
    const [t1, t2] = c.Tunnels;
    const live = (id: string) => (id === t2.TunnelId ? { Status: 'ipsec_sa_established', State: 'active' } : id === t1.TunnelId ? { Status: 'ike_sa_established', State: 'active' } : undefined);
    const v = vpnConnectionView(f.cp.model, c, live, 'success');
    expect(tunnelsOf(v).map((t) => t.Status)).toEqual(['ike_sa_established', 'ipsec_sa_established']);
    expect(v.Status).toBe('ipsec_sa_established');
    expect(v.VcoHealthCheck).toMatchObject({ Enable: 'true', Status: 'success' });
  });

  it('the single-tunnel parameters (CustomerGatewayId, IkeConfig, IpsecConfig) set both tunnels when TunnelOptionsSpecification is not given', () => {
    const f = lab();
    f.call('CreateVpnConnection', { VpnGatewayId: f.g, CustomerGatewayId: f.cgwId, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16', IkeConfig: '{"Psk":"same-key","IkeVersion":"ikev1"}' });
    expect(f.cp.model.vpnConnections[0].Tunnels.map((t) => [t.IkeConfig.Psk, t.IkeConfig.IkeVersion])).toEqual([['same-key', 'ikev1'], ['same-key', 'ikev1']]);
    expectFailure(f.cp, 'CreateVpnConnection', { VpnGatewayId: f.g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16' }, 'MissingParameter', { param: 'CustomerGatewayId' });
  });

  it('TunnelOptionsSpecification also arrives as JSON text and in the flat form (nested objects as JSON text)', () => {
    const f = lab();
    const base = { VpnGatewayId: f.g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16' };
    f.call('CreateVpnConnection', { ...base, TunnelOptionsSpecification: JSON.stringify(f.tunnelSpec(f.cgwId, [{ TunnelIkeConfig: { Psk: 'json-text' } }, {}])) });
    f.call('CreateVpnConnection', {
      ...base,
      'TunnelOptionsSpecification.1.CustomerGatewayId': f.cgwId, 'TunnelOptionsSpecification.1.TunnelIkeConfig': '{"Psk":"flat"}',
      'TunnelOptionsSpecification.2.CustomerGatewayId': f.cgwId, 'TunnelOptionsSpecification.2.EnableDpd': 'false',
    });
    expect(f.cp.model.vpnConnections.map((c) => c.Tunnels[0].IkeConfig.Psk)).toEqual(['json-text', 'flat']);
    expect(f.cp.model.vpnConnections[1].Tunnels[1].EnableDpd).toBe(false);
  });

  it('a gateway created with EnableIpsec=false takes no IPsec-VPN connection', () => {
    const f = vpnFixture();
    const g = f.gw({ EnableIpsec: 'false' });
    const cgw = f.cgw();
    expectFailure(f.cp, 'CreateVpnConnection', { VpnGatewayId: g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16', TunnelOptionsSpecification: f.tunnelSpec(cgw) as never }, 'OperationDenied.IpsecVpnDisabled');
  });
});

describe('CreateVpnConnection: F4 health check', () => {
  it('F4: off by default; when enabled interval 3 s, retry 3 and revoke_route unless given', () => {
    const f = lab();
    f.conn(f.g, f.cgwId);
    expect(f.cp.model.vpnConnections[0].HealthCheck).toEqual({ Enable: false, Sip: '', Dip: '', Interval: 3, Retry: 3, Policy: 'revoke_route' });
    f.conn(f.g, f.cgwId, { HealthCheckConfig: '{"enable":true,"sip":"192.168.0.100","dip":"172.16.0.10"}' });
    expect(f.cp.model.vpnConnections[1].HealthCheck).toEqual({ Enable: true, Sip: '192.168.0.100', Dip: '172.16.0.10', Interval: 3, Retry: 3, Policy: 'revoke_route' });
    f.conn(f.g, f.cgwId, { 'HealthCheckConfig.enable': 'true', 'HealthCheckConfig.sip': '192.168.0.100', 'HealthCheckConfig.dip': '172.16.0.10', 'HealthCheckConfig.interval': '5', 'HealthCheckConfig.retry': '2', 'HealthCheckConfig.Policy': 'reserve_route' });
    expect(f.cp.model.vpnConnections[2].HealthCheck).toEqual({ Enable: true, Sip: '192.168.0.100', Dip: '172.16.0.10', Interval: 5, Retry: 2, Policy: 'reserve_route' });
    const d = f.call('DescribeVpnConnection', { VpnConnectionId: f.cp.model.vpnConnections[2].VpnConnectionId });
    expect(d.VcoHealthCheck).toMatchObject({ Enable: 'true', Sip: '192.168.0.100', Dip: '172.16.0.10', Interval: 5, Retry: 2, Policy: 'reserve_route' });
  });

  it('F4: an enabled check needs sip and dip; bad values are refused', () => {
    const f = lab();
    const base = { VpnGatewayId: f.g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16', TunnelOptionsSpecification: f.tunnelSpec(f.cgwId) as never };
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, HealthCheckConfig: '{"enable":true,"dip":"172.16.0.10"}' }, 'InvalidParameter', { param: 'HealthCheckConfig.sip' });
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, HealthCheckConfig: '{"enable":true,"sip":"x","dip":"172.16.0.10"}' }, 'InvalidIpAddress.Malformed', { param: 'HealthCheckConfig.sip' });
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, HealthCheckConfig: '{"enable":true,"sip":"192.168.0.100","dip":"172.16.0.10","interval":0}' }, 'InvalidParameter', { param: 'HealthCheckConfig.interval' });
    expectFailure(f.cp, 'CreateVpnConnection', { ...base, HealthCheckConfig: '{"enable":true,"sip":"192.168.0.100","dip":"172.16.0.10","Policy":"drop"}' }, 'InvalidParameter', { param: 'HealthCheckConfig.Policy' });
  });
});

describe('F6.7: an IDC in 100.64.0.0/10', () => {
  it('F6.7: a RemoteSubnet overlapping 100.64.0.0/10 is accepted with the seed\'s advice (no 100.64/10 in the IDC; PrivateLink instead) in Warning', () => {
    const f = lab();
    const r = f.call('CreateVpnConnection', { VpnGatewayId: f.g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '100.64.10.0/24', TunnelOptionsSpecification: f.tunnelSpec(f.cgwId) as never });
    expect(r.VpnConnectionId).toMatch(/^vco-/);
    expect(r.Warning).toMatch(/100\.64\.10\.0\/24 overlaps 100\.64\.0\.0\/10/);
    expect(r.Warning).toMatch(/must not use this CIDR block/);
    expect(r.Warning).toMatch(/PrivateLink/);
    // F5: no automatic route to a forbidden destination.
    expect(f.cp.model.vpnRouteEntries).toEqual([]);
    const ok = f.call('CreateVpnConnection', { VpnGatewayId: f.g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16', TunnelOptionsSpecification: f.tunnelSpec(f.cgwId) as never });
    expect(ok.Warning).toBeUndefined();
    const m = f.call('ModifyVpnConnectionAttribute', { VpnConnectionId: ok.VpnConnectionId as string, RemoteSubnet: '100.64.0.0/10' });
    expect(m.Warning).toMatch(/PrivateLink/);
  });
});

describe('ModifyVpnConnectionAttribute / DeleteVpnConnection', () => {
  it('changes subnets, name, health check and per-tunnel options (the PSK included); the rest is kept', () => {
    const f = lab();
    const id = f.conn(f.g, f.cgwId, {}, [{ TunnelIkeConfig: { Psk: 'old-1' } }, { TunnelIkeConfig: { Psk: 'old-2' } }]);
    const [t1, t2] = f.cp.model.vpnConnections[0].Tunnels;
    f.call('ModifyVpnConnectionAttribute', {
      VpnConnectionId: id, Name: 'renamed', RemoteSubnet: '172.16.0.0/24', HealthCheckConfig: '{"enable":true,"sip":"192.168.0.100","dip":"172.16.0.10"}',
      TunnelOptionsSpecification: [{ TunnelId: t2.TunnelId, TunnelIkeConfig: { Psk: 'new-2', IkeAuthAlg: 'sha256' }, TunnelIpsecConfig: { IpsecPfs: 'disabled' } }] as never,
    });
    const c = f.cp.model.vpnConnections[0];
    expect(c).toMatchObject({ Name: 'renamed', LocalSubnet: ['192.168.0.0/16'], RemoteSubnet: ['172.16.0.0/24'], HealthCheck: { Enable: true, Interval: 3 } });
    expect(c.Tunnels[0]).toEqual(t1);
    expect(c.Tunnels[1].IkeConfig).toMatchObject({ Psk: 'new-2', IkeAuthAlg: 'sha256', IkeVersion: 'ikev2', LocalId: '47.96.0.2' });
    expect(c.Tunnels[1].IpsecConfig.IpsecPfs).toBe('disabled');
    // Swapping roles needs both tunnels named.
    expectFailure(f.cp, 'ModifyVpnConnectionAttribute', { VpnConnectionId: id, TunnelOptionsSpecification: [{ TunnelIndex: 2, Role: 'master' }] as never }, 'InvalidParameter.TunnelOptionsSpecification');
    f.call('ModifyVpnConnectionAttribute', { VpnConnectionId: id, TunnelOptionsSpecification: [{ TunnelIndex: 2, Role: 'master' }, { TunnelIndex: 1, Role: 'slave' }] as never });
    expect(f.cp.model.vpnConnections[0].Tunnels.map((t) => t.Role)).toEqual(['slave', 'master']);
    expectFailure(f.cp, 'ModifyVpnConnectionAttribute', { VpnConnectionId: id, TunnelOptionsSpecification: [{ TunnelId: 'tun-nope', TunnelIkeConfig: { Psk: 'x' } }] as never }, 'InvalidParameter.TunnelOptionsSpecification');
    expectFailure(f.cp, 'ModifyVpnConnectionAttribute', { VpnConnectionId: id, TunnelOptionsSpecification: [{ TunnelIndex: 1, TunnelIkeConfig: { Psk: 'bad psk' } }] as never }, 'InvalidPsk.Malformed');
    expectFailure(f.cp, 'ModifyVpnConnectionAttribute', { VpnConnectionId: 'vco-nope' }, 'InvalidVpnConnectionInstanceId.NotFound', { status: 404 });
  });

  it('DeleteVpnConnection is refused while a route the user added points at it; its AutoConfigRoute routes go with it', () => {
    const f = lab();
    const id = f.conn(f.g, f.cgwId);
    expect(f.cp.model.vpnRouteEntries.map((r) => [r.RouteDest, r.AutoConfigured])).toEqual([['172.16.0.0/16', true]]);
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '10.10.0.0/16', NextHop: id, Weight: '100', PublishVpc: 'false' });
    expectFailure(f.cp, 'DeleteVpnConnection', { VpnConnectionId: id }, 'DependencyViolation.VpnRouteEntry', { param: 'VpnConnectionId' });
    f.call('DeleteVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '10.10.0.0/16', NextHop: id, Weight: '100' });
    f.call('DeleteVpnConnection', { VpnConnectionId: id });
    expect(f.cp.model.vpnConnections).toEqual([]);
    expect(f.cp.model.vpnRouteEntries).toEqual([]);
  });
});
