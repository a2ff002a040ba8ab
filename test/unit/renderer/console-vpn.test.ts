// The Console's IPsec-VPN rows (src/renderer/src/lib/vpn-data.ts) over the real control
// plane's answers for the IPsec-VPN tutorial, and the monitor's answer and the words the
// panel shows for it. No root, no lab.
import { describe, expect, it } from 'vitest';
import { EMPTY_CONSOLE, loadConsoleData, nameIndex } from '../../../src/renderer/src/lib/console-data';
import {
  alertTone, bpsWords, connectionTunnels, monitorOf, negotiationWords, publishWords, roleWords, siteOfCustomerGateway, tunnelIndex, weightWords,
} from '../../../src/renderer/src/lib/vpn-data';
import { stepsThrough, vpnTutorial } from './vpn-tutorial';

describe('loadConsoleData on the IPsec-VPN tutorial', () => {
  it('reads the VPN gateway with both endpoints, the customer gateways and the connection with its two tunnels', async () => {
    const lab = vpnTutorial(stepsThrough('Step 2:'));
    const d = await loadConsoleData(lab.invoke);
    expect(d.vpnGateways).toHaveLength(1);
    const g = d.vpnGateways[0];
    expect(g).toMatchObject({ Name: 'vpn-gw', VpcId: lab.id('vpc-cloud'), InternetIp: '47.96.10.1', DisasterRecoveryInternetIp: '47.96.10.2', IpsecVpn: 'enable' });
    expect(g.Endpoints.map((e) => [e.TunnelIndex, e.ZoneId, e.VSwitchId, e.InternetIp, e.PrivateIpAddress, e.HostName])).toEqual([
      [1, 'cn-hangzhou-h', lab.id('vsw-h'), '47.96.10.1', '192.168.1.1', `${g.VpnGatewayId}-t1`],
      [2, 'cn-hangzhou-i', lab.id('vsw-i'), '47.96.10.2', '192.168.2.1', `${g.VpnGatewayId}-t2`],
    ]);
    expect(d.customerGateways.map((c) => [c.Name, c.IpAddress])).toEqual([['cgw-hz', '203.0.113.10']]);
    const c = d.vpnConnections[0];
    expect(c).toMatchObject({ Name: 'vco-hz', VpnGatewayId: g.VpnGatewayId, LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0', RoutingMode: 'DestinationRouting' });
    expect(c.HealthCheck).toMatchObject({ Enable: true, Sip: '192.168.1.200', Dip: '172.16.0.10' });
    expect(c.Tunnels.map((t) => [t.TunnelIndex, t.Role, t.InternetIp, t.ZoneNo, t.CustomerGatewayId])).toEqual([
      [1, 'master', '47.96.10.1', 'cn-hangzhou-h', lab.id('cgw-hz')],
      [2, 'slave', '47.96.10.2', 'cn-hangzhou-i', lab.id('cgw-hz')],
    ]);
    expect(connectionTunnels(d, c).map((x) => x.endpoint?.HostName)).toEqual([`${g.VpnGatewayId}-t1`, `${g.VpnGatewayId}-t2`]);
    expect(siteOfCustomerGateway(d, lab.id('cgw-hz'))?.SiteName).toBe('idc-hz');
    const names = nameIndex(d);
    expect([names.get(g.VpnGatewayId), names.get(c.VpnConnectionId), names.get(lab.id('cgw-hz'))]).toEqual(['vpn-gw', 'vco-hz', 'cgw-hz']);
  });

  it('reads the route entries (published), the advertised route, the IDC sites and the cloud services', async () => {
    const lab = vpnTutorial(stepsThrough('Step 5 (continued)'));
    const d = await loadConsoleData(lab.invoke);
    expect(d.vpnRoutes.map((r) => [r.RouteType, r.RouteDest, r.NextHop, r.Weight, r.State])).toEqual([
      ['dbr', '172.16.0.0/16', lab.id('vco-hz'), 100, 'published'],
    ]);
    expect(d.vpnRoutes[0].VpnGatewayId).toBe(lab.id('vpn-gw'));
    expect(d.advertisedRoutes).toEqual([{ VpnGatewayId: lab.id('vpn-gw'), RouteDest: '100.64.0.0/10', Source: 'CUSTOM' }]);
    expect(d.idcSites.map((s) => [s.SiteName, s.CidrBlock, s.Gateway.HostName, s.Gateway.PublicIp, s.Gateway.LanIp, s.Hosts.map((h) => h.HostName)])).toEqual([
      ['idc-hz', '172.16.0.0/16', 'idc-router', '203.0.113.10', '172.16.0.1', ['idc-host']],
      ['idc-bj', '10.10.0.0/16', 'idc2-router', '198.51.100.20', '10.10.0.1', ['idc2-host']],
    ]);
    expect(d.cloudServices.map((c) => [c.HostName, c.IpAddress, c.DomainNames])).toEqual([
      ['OSS', '100.118.28.10', ['oss-cn-hangzhou-internal.aliyuncs.com']],
      ['SLS', '100.118.30.20', ['cn-hangzhou-intranet.log.aliyuncs.com']],
    ]);
  });

  it('reads a policy-based route, and an unpublished one', async () => {
    const lab = vpnTutorial(stepsThrough('Step 5 (continued)'));
    await lab.invoke('CreateVpnPbrRouteEntry', { VpnGatewayId: 'vpn-gw', RouteSource: '192.168.1.0/24', RouteDest: '172.16.1.0/24', NextHop: 'vco-hz', Weight: 0, Priority: 20, PublishVpc: false });
    const d = await loadConsoleData(lab.invoke);
    const pbr = d.vpnRoutes.find((r) => r.RouteType === 'pbr')!;
    expect(pbr).toMatchObject({ RouteSource: '192.168.1.0/24', RouteDest: '172.16.1.0/24', Weight: 0, Priority: 20, VpnGatewayId: lab.id('vpn-gw') });
    expect(publishWords(pbr.State)).toBe('Not published');
    expect(weightWords(pbr.Weight)).toBe('0 (standby)');
  });

  it('a lab without VPN reads as empty lists', async () => {
    const lab = vpnTutorial(0);
    const d = await loadConsoleData(lab.invoke);
    expect([d.vpnGateways, d.customerGateways, d.vpnConnections, d.vpnRoutes, d.advertisedRoutes]).toEqual([[], [], [], [], []]);
    expect(Object.keys(EMPTY_CONSOLE).sort()).toEqual(Object.keys(d).sort());
  });
});

describe('the VPN gateway monitor and its words', () => {
  const answer = {
    RequestId: 'x', VpnGatewayId: 'vpn-1', Bandwidth: 10,
    Alerts: [{ Level: 'Critical', Rule: '1 tunnel with negotiation status 0' }],
    Tunnels: [
      { VpnConnectionId: 'vco-1', TunnelId: 'tun-1', TunnelIndex: 1, Role: 'master', TunnelStatus: 0, Status: 'ike_sa_not_established', CarriesTraffic: false, HealthCheck: 'failed', Reason: 'peer closed the IKE SA' },
      { VpnConnectionId: 'vco-1', TunnelId: 'tun-2', TunnelIndex: 2, Role: 'slave', TunnelStatus: 1, Status: 'ipsec_sa_established', CarriesTraffic: true, HealthCheck: 'success', SpiIn: 'c1', SpiOut: 'c2', InBps: 12300, OutBps: 4.5e6 },
    ],
    Events: [{ EventName: 'IPsec Tunnel Negotiation Failed', EventType: 'Abnormal', Time: '2026-01-01T00:00:00.000Z', ResourceId: 'tun-1', Content: 'tunnel tun-1 of vco-1 is down' }],
  };

  it('unwraps tunnels, alerts and events, and indexes the tunnels by ID', () => {
    const m = monitorOf(answer);
    expect(m.Tunnels.map((t) => [t.TunnelId, t.TunnelStatus, t.CarriesTraffic, t.Reason])).toEqual([['tun-1', 0, false, 'peer closed the IKE SA'], ['tun-2', 1, true, '']]);
    expect(m.Alerts).toEqual([{ Level: 'Critical', Rule: '1 tunnel with negotiation status 0' }]);
    expect(m.Events).toEqual([{ EventName: 'IPsec Tunnel Negotiation Failed', Time: '2026-01-01T00:00:00.000Z', ResourceId: 'tun-1', Content: 'tunnel tun-1 of vco-1 is down' }]);
    expect([...tunnelIndex([m]).keys()]).toEqual(['tun-1', 'tun-2']);
    expect(monitorOf({})).toEqual({ VpnGatewayId: '', Tunnels: [], Alerts: [], Events: [] });
  });

  it('says the negotiation in the console\'s words: up green, down red; the monitor\'s verdict first', () => {
    expect(negotiationWords('ipsec_sa_established')).toEqual({ text: 'Phase 2 Negotiation Succeeded', tone: 'ok', up: true });
    expect(negotiationWords('ike_sa_not_established')).toEqual({ text: 'Phase 1 Negotiation Failed', tone: 'bad', up: false });
    expect(negotiationWords('ike_sa_established').tone).toBe('bad');
    expect(negotiationWords('ipsec_sa_established', { TunnelStatus: 0, Status: 'ipsec_sa_not_established' })).toEqual({ text: 'Phase 2 Negotiation Failed', tone: 'bad', up: false });
    expect(roleWords('master')).toBe('Active tunnel');
    expect(roleWords('slave')).toBe('Standby tunnel');
    expect(weightWords(100)).toBe('100 (active)');
    expect(publishWords('published')).toBe('Published');
    expect([alertTone('Critical'), alertTone('Warn'), alertTone('Info')]).toEqual(['bad', 'warn', 'idle']);
    expect([bpsWords(0), bpsWords(12300), bpsWords(4.5e6)]).toEqual(['0 bit/s', '12.3 kbit/s', '4.5 Mbit/s']);
  });
});
