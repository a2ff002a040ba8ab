// compile(model) for VPN gateways: what the engine's VPN device decides with (SEMANTICS F3,
// F4, F5) must be what the model says — the connections' tunnels and master, the health
// check, destination routes by LPM with active and standby, policy routes by priority, the
// endpoints' ports on the Internet and inside the VPC, the VPC's published routes as hops to
// the gateway; and the lab hosts the gateway brings (its two endpoint appliances).

import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/main/cloud/compile';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { Counters } from '../../../src/main/engine/counters';
import { HopKind, PortKind } from '../../../src/main/engine/forwarding';
import { parseIp } from '../../../src/main/engine/wire/ipv4';
import { vpnFixture } from './vpn-fixture';
import { expectFailure } from './helpers';

function built() {
  const f = vpnFixture();
  const g = f.gw({ InternetIp: '47.96.10.1', DisasterRecoveryInternetIp: '47.96.10.2' });
  const cgw = f.cgw();
  const c = f.conn(g, cgw, {
    LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0',
    HealthCheckConfig: JSON.stringify({ enable: true, sip: '192.168.0.200', dip: '172.16.0.10', interval: 2, retry: 4 }),
  });
  const c2 = f.conn(g, f.cgw('198.51.100.9'), { LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
  f.call('CreateVpnRouteEntry', { VpnGatewayId: g, RouteDest: '172.16.0.0/16', NextHop: c, Weight: 100, PublishVpc: true });
  f.call('CreateVpnRouteEntry', { VpnGatewayId: g, RouteDest: '172.16.0.0/16', NextHop: c2, Weight: 0, PublishVpc: false });
  f.call('CreateVpnRouteEntry', { VpnGatewayId: g, RouteDest: '172.16.5.0/24', NextHop: c2, Weight: 100, PublishVpc: false });
  f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: g, RouteSource: '192.168.1.0/24', RouteDest: '172.16.0.0/16', NextHop: c2, Weight: 100, Priority: 20, PublishVpc: false });
  f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: g, RouteSource: '192.168.0.0/24', RouteDest: '172.16.0.0/16', NextHop: c, Weight: 100, Priority: 5, PublishVpc: false });
  const hosts = labHosts(f.cp.model);
  const ports = new Map(hosts.map((h, i) => [h.name, i + 1]));
  const st = compile(f.cp.model, (n) => ports.get(n), new Counters());
  return { f, g, c, c2, hosts, ports, st };
}

describe('compile: VPN gateways', () => {
  it('two endpoint appliances per gateway: charon on the public IP, the vSwitch address inside, forwarding on', () => {
    const { f, g, hosts } = built();
    const eps = hosts.filter((h) => h.kind === 'vpn-endpoint');
    const gw = f.cp.model.vpnGateways[0];
    expect(eps.map((h) => [h.name, h.ip, h.prefixLen, h.more?.[0].ip, h.ipForward, h.services.map((s) => s.Kind)])).toEqual([
      [`${g}-t1`, '47.96.10.1', 32, gw.Endpoints[0].PrivateIpAddress, true, ['strongswan']],
      [`${g}-t2`, '47.96.10.2', 32, gw.Endpoints[1].PrivateIpAddress, true, ['strongswan']],
    ]);
  });

  it('F3/F4: connections with their two tunnels, tunnel 1 the master, the health check in ms', () => {
    const { st, c, c2 } = built();
    const fw = st.vpnGateways[0];
    expect(fw.conns.map((x) => x.id)).toEqual([c, c2]);
    const conn = fw.conns[0];
    expect(conn.tunnels.map((t) => t.index)).toEqual([0, 1]);
    expect(conn.master).toBe(0);
    expect(conn.health).toEqual({ sip: parseIp('192.168.0.200'), dip: parseIp('172.16.0.10'), intervalMs: 2000, retry: 4, revoke: true });
    expect(fw.conns[1].health).toBeNull();
    // The IDC side in destination-routing mode: what the routes send to the connection.
    expect(conn.remote.lookup(parseIp('172.16.9.9'))).toBe(true);
    expect(fw.conns[1].remote.lookup(parseIp('172.16.5.1'))).toBe(true);
  });

  it('F5: destination routes by LPM with the active one first; policy routes sorted by priority', () => {
    const { st, c, c2 } = built();
    const fw = st.vpnGateways[0];
    const wide = fw.dbr.lookup(parseIp('172.16.9.9'))!;
    expect(wide.map((r) => [r.conn.id, r.active])).toEqual([[c, true], [c2, false]]);
    expect(fw.dbr.lookup(parseIp('172.16.5.7'))!.map((r) => r.conn.id)).toEqual([c2]);
    expect(fw.dbr.lookup(parseIp('10.0.0.1'))).toBeUndefined();
    expect(fw.pbr.map((p) => [p.priority, p.routes[0].conn.id])).toEqual([[5, c], [20, c2]]);
    expect(fw.pbr[0].srcAddr).toBe(parseIp('192.168.0.0'));
  });

  it('the endpoints: on the Internet at their public IP, routed into the VPC by their vSwitch table', () => {
    const { f, g, st, ports } = built();
    const fw = st.vpnGateways[0];
    const p1 = ports.get(`${g}-t1`)!;
    expect(fw.endpointPorts).toEqual([p1, ports.get(`${g}-t2`)]);
    expect(st.internetHosts.get(parseIp('47.96.10.1'))).toBe(p1);
    expect(st.ports[p1]).toMatchObject({ kind: PortKind.VpnEndpoint, tunnelIndex: 0, stopped: false });
    expect(st.ports[p1]!.vpn).toBe(fw);
    expect(fw.tables[0]?.id).toBe(f.systemRt);
  });

  it('F5: a route published to the VPC is a hop to the gateway in its system table; an unpublished one is not', () => {
    const { st } = built();
    const sys = st.vpcs[0].system!;
    const hop = sys.lpm.lookup(parseIp('172.16.0.1'))!;
    expect(hop.kind).toBe(HopKind.VpnGateway);
    expect(hop.vpn).toBe(st.vpnGateways[0]);
    expect(sys.lpm.lookup(parseIp('172.16.5.1'))!.kind).toBe(HopKind.VpnGateway); // 172.16.0.0/16 covers it
  });

  it('StopVpnTunnelEndpoint stops one endpoint\'s port (its zone failed), StartVpnTunnelEndpoint starts it; both refused twice', () => {
    const { f, g, ports } = built();
    f.call('StopVpnTunnelEndpoint', { VpnGatewayId: g, TunnelIndex: 1 });
    let st = compile(f.cp.model, (n) => ports.get(n), new Counters());
    expect(st.ports[ports.get(`${g}-t1`)!]!.stopped).toBe(true);
    expect(st.ports[ports.get(`${g}-t2`)!]!.stopped).toBe(false);
    expectFailure(f.cp, 'StopVpnTunnelEndpoint', { VpnGatewayId: g, TunnelIndex: 1 }, 'IncorrectStatus.Stopped');
    f.call('StartVpnTunnelEndpoint', { VpnGatewayId: g, TunnelIndex: 1 });
    st = compile(f.cp.model, (n) => ports.get(n), new Counters());
    expect(st.ports[ports.get(`${g}-t1`)!]!.stopped).toBe(false);
    expectFailure(f.cp, 'StartVpnTunnelEndpoint', { VpnGatewayId: g, TunnelIndex: 1 }, 'IncorrectStatus.Running');
    expectFailure(f.cp, 'StopVpnTunnelEndpoint', { VpnGatewayId: g, TunnelIndex: 3 }, 'InvalidParameter');
  });
});
