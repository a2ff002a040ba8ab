// Lab-only IDC sites (the on-premises side of seed 003's IPsec-VPN): CreateIdcSite and
// CreateIdcHost check everything before they change anything, the hosts they imply, and
// the engine's switching of an IDC's LAN and its router's one way out to the Internet.

import { describe, expect, it } from 'vitest';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { buildLab, engineFor } from '../../support/lab-model';
import { icmpEcho } from '../../support/packets';
import { expectFailure } from './helpers';

function site(cp: ControlPlane, extra: Record<string, string> = {}): string {
  return cp.invoke('CreateIdcSite', { SiteName: 'idc-hz', CidrBlock: '172.16.0.0/16', GatewayName: 'idc-gw', GatewayPublicIp: '198.51.100.1', ...extra }).SiteId as string;
}

describe('CreateIdcSite / CreateIdcHost', () => {
  it('a site gets its router at the first address unless told, and hosts on its LAN', () => {
    const cp = new ControlPlane('t-idc');
    const id = site(cp);
    cp.invoke('CreateIdcHost', { SiteId: id, HostName: 'idc-host', IpAddress: '172.16.0.10', Services: 'http-hello' });
    const s = cp.model.idcSites[0];
    expect(s.Gateway).toEqual({ HostName: 'idc-gw', PublicIp: '198.51.100.1', LanIp: '172.16.0.1', Services: [{ Kind: 'strongswan', Port: 500 }] });
    expect(s.Hosts).toEqual([{ HostName: 'idc-host', IpAddress: '172.16.0.10', Services: [{ Kind: 'http-hello', Port: 80 }] }]);
    const hosts = labHosts(cp.model).filter((h) => h.kind === 'idc' || h.kind === 'idc-gateway');
    expect(hosts.map((h) => [h.name, h.kind, h.ip, h.prefixLen, h.gateway, h.ipForward, h.more])).toEqual([
      ['idc-gw', 'idc-gateway', '198.51.100.1', 32, undefined, true, [{ ip: '172.16.0.1', prefixLen: 16 }]],
      ['idc-host', 'idc', '172.16.0.10', 16, '172.16.0.1', false, undefined],
    ]);
  });

  it('refuses what a site cannot be, naming the parameter, and changes nothing', () => {
    const cp = new ControlPlane('t-idc-bad');
    cp.invoke('CreateInternetHost', { HostName: 'web', IpAddress: '203.0.113.80' });
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'a', CidrBlock: '8.8.0.0/16', GatewayName: 'g', GatewayPublicIp: '198.51.100.1' }, 'InvalidCidrBlock.Malformed', { param: 'CidrBlock' });
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'a', CidrBlock: '172.16.0.0/31', GatewayName: 'g', GatewayPublicIp: '198.51.100.1' }, 'InvalidCidrBlock.Malformed', { param: 'CidrBlock' });
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'a', CidrBlock: '172.16.0.0/16', GatewayName: 'g', GatewayPublicIp: '10.0.0.1' }, 'InvalidIpAddress.Malformed', { param: 'GatewayPublicIp' });
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'a', CidrBlock: '172.16.0.0/16', GatewayName: 'g', GatewayPublicIp: '203.0.113.80' }, 'InvalidIpAddress.AlreadyUsed', { param: 'GatewayPublicIp' });
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'a', CidrBlock: '172.16.0.0/16', GatewayName: 'web', GatewayPublicIp: '198.51.100.1' }, 'InvalidInstanceName.Duplicated');
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'a', CidrBlock: '172.16.0.0/16', GatewayName: 'g', GatewayPublicIp: '198.51.100.1', GatewayLanIp: '172.17.0.1' }, 'InvalidIpAddress.Malformed', { param: 'GatewayLanIp' });
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'a', CidrBlock: '172.16.0.0/16', GatewayName: 'g', GatewayPublicIp: '198.51.100.1', Bogus: '1' }, 'UnsupportedParameter');
    const id = site(cp);
    expectFailure(cp, 'CreateIdcSite', { SiteName: 'idc-hz', CidrBlock: '10.0.0.0/16', GatewayName: 'g2', GatewayPublicIp: '198.51.100.2' }, 'InvalidSiteName.Duplicated', { param: 'SiteName' });
    expectFailure(cp, 'CreateIdcHost', { SiteId: id, HostName: 'h', IpAddress: '172.16.0.1' }, 'InvalidIpAddress.AlreadyUsed', { param: 'IpAddress' });
    expectFailure(cp, 'CreateIdcHost', { SiteId: id, HostName: 'h', IpAddress: '172.16.255.255' }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
    expectFailure(cp, 'CreateIdcHost', { SiteId: id, HostName: 'h', IpAddress: '192.168.0.5' }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
    expectFailure(cp, 'CreateIdcHost', { SiteId: 'idc-nope', HostName: 'h', IpAddress: '172.16.0.5' }, 'InvalidSiteId.NotFound', { param: 'SiteId' });
    expectFailure(cp, 'CreateIdcHost', { SiteId: id, HostName: 'idc-gw', IpAddress: '172.16.0.5' }, 'InvalidInstanceName.Duplicated');
  });

  it('an IDC may use 100.64.0.0/10 (the conflict the VPN tutorial warns about), and a VPC range', () => {
    const cp = new ControlPlane('t-idc-cgn');
    site(cp, { CidrBlock: '100.64.0.0/16' });
    cp.invoke('CreateIdcSite', { SiteName: 'b', CidrBlock: '192.168.0.0/16', GatewayName: 'g2', GatewayPublicIp: '198.51.100.2' });
    expect(cp.model.idcSites.map((s) => s.Gateway.LanIp)).toEqual(['100.64.0.1', '192.168.0.1']);
  });
});

describe('the engine: an IDC LAN and its router', () => {
  function idcLab() {
    const l = buildLab();
    const id = site(l.cp);
    l.cp.invoke('CreateIdcHost', { SiteId: id, HostName: 'idc-host', IpAddress: '172.16.0.10' });
    l.cp.invoke('CreateIdcHost', { SiteId: id, HostName: 'idc-host2', IpAddress: '172.16.0.11' });
    l.ports.clear();
    labHosts(l.cp.model).forEach((h, i) => l.ports.set(h.name, i + 1));
    return { ...l, ...engineFor(l) };
  }

  it('LAN neighbours reach each other directly; anything else goes to the router', () => {
    const l = idcLab();
    const pkt = icmpEcho('172.16.0.10', '172.16.0.11');
    l.engine.process(l.ports.get('idc-host')!, pkt, 0, pkt.length);
    const toGw = icmpEcho('172.16.0.10', '192.168.0.1');
    l.engine.process(l.ports.get('idc-host')!, toGw, 0, toGw.length);
    expect(l.out.map((o) => o.port)).toEqual([l.ports.get('idc-host2'), l.ports.get('idc-gw')]);
  });

  it('the router reaches the Internet from its public address; a private source it forwards is dropped', () => {
    const l = idcLab();
    const ok = icmpEcho('198.51.100.1', '8.8.8.8');
    l.engine.process(l.ports.get('idc-gw')!, ok, 0, ok.length);
    expect(l.out.map((o) => o.port)).toEqual([l.ports.get('google-dns')]);
    const leak = icmpEcho('172.16.0.10', '8.8.8.8');
    l.engine.process(l.ports.get('idc-gw')!, leak, 0, leak.length);
    expect(l.out).toHaveLength(1);
    const internet = l.engine.counters.snapshot().find((d) => d.device === 'Internet')!;
    expect(internet.drops['private-source']).toBe(1);
    // And the Internet answers the router's public address.
    const back = icmpEcho('8.8.8.8', '198.51.100.1', { type: 0 });
    l.engine.process(l.ports.get('google-dns')!, back, 0, back.length);
    expect(l.out[1].port).toBe(l.ports.get('idc-gw'));
  });

  it('the VPC has no route to an IDC without a VPN: its private address names no one on the Internet', () => {
    const l = idcLab();
    const pkt = icmpEcho('192.168.0.1', '172.16.0.10');
    l.engine.process(l.ports.get('ECS-A')!, pkt, 0, pkt.length);
    expect(l.out).toHaveLength(0);
  });
});
