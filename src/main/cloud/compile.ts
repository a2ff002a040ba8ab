// Model → ForwardingState. Runs after every successful action; the result replaces the
// engine's state whole, so the hot path never reads the model.

import { cidrOf } from './cidr';
import type { CloudModel, IdcSite, Instance, NatGateway } from './model';
import { effectiveEntries } from './routes';
import { serviceHostName } from './lab-hosts';
import type { Counters } from '../engine/counters';
import { compileEndpoints, compileGwlbs } from './compile-gwlb';
import { compileConnection, compileVpnGateways } from './compile-vpn';
import { compileTransitRouters } from './compile-tr';
import { cenTunnelHostName } from './vpn-appliances';
import { compilePrivateLink } from './compile-privatelink';
import { FilterCompiler } from './compile-filter';
import { vpnEndpointHostName } from './actions/vpn-gateway';
import { dnatKey, emptyState, HopKind, PortKind, VpcMode, type DnatFw, type EipFw, type IdcFw, type IgwFw, type NatFw, type SnatFw, type ForwardingState, type PortFw, type RouteHop, type RouteTableFw, type VpcFw, type VpnConnFw } from '../engine/forwarding';
import { Lpm } from '../engine/lpm';
import { parseIp } from '../engine/wire/ipv4';
import { VPC_DNS } from './lab-hosts';

/** Ports are numbered by the runtime (one per host name) and stay stable across compiles. */
export type PortOf = (hostName: string) => number | undefined;

export function compile(model: CloudModel, portOf: PortOf, counters: Counters): ForwardingState {
  const st = emptyState(counters.device('Internet'));
  const vpcIndexOf = (id: string): number => model.vpcs.findIndex((v) => v.VpcId === id);
  // NAT gateways first: route entries point at them; their vSwitch table is filled in below.
  const nats = new Map<string, NatFw>();
  for (const g of model.natGateways) {
    const fw = natGateway(model, g, vpcIndexOf(g.VpcId), counters);
    nats.set(g.NatGatewayId, fw);
    st.nats.push(fw);
    for (const e of fw.eips) st.natEips.set(e, fw);
  }
  const instName = (id: string): string => model.instances.find((i) => i.InstanceId === id)?.InstanceName ?? id;
  // GWLB instances and endpoints next: route entries point at endpoints; tables are filled in below.
  const gwlbs = compileGwlbs(model, vpcIndexOf, instName, counters);
  st.gwlbs.push(...gwlbs.values());
  const gwlbes = compileEndpoints(model, vpcIndexOf, gwlbs, counters);
  for (const e of gwlbes.values()) st.gwlbeByOption.set(e.endpointHi, e);
  // VPN gateways: route entries point at them too; their endpoints' tables are filled in below.
  const vpns = compileVpnGateways(model, vpcIndexOf, portOf, counters);
  st.vpnGateways.push(...vpns.values());
  for (const g of vpns.values()) st.vpnConns.push(...g.conns);
  // IPsec connections for transit routers, each with its own appliances; then the TRs,
  // whose attachments route entries point at (their VPC-side tables are filled in below).
  const cenConns = new Map<string, VpnConnFw>();
  for (const c of model.vpnConnections) {
    if (c.AttachType !== 'CEN') continue;
    const ports = [1, 2].map((i) => portOf(cenTunnelHostName(c.VpnConnectionId, i as 1 | 2)) ?? -1);
    const fw = compileConnection(model, c, counters, ports);
    cenConns.set(c.VpnConnectionId, fw);
    st.vpnConns.push(fw);
  }
  const atts = compileTransitRouters(model, vpcIndexOf, cenConns, counters);
  st.trAttachments.push(...atts.values());

  const tables = new Map<string, RouteTableFw>();
  for (const rt of model.routeTables) {
    const lpm = new Lpm<RouteHop>();
    for (const e of effectiveEntries(model, rt)) {
      const c = cidrOf(e.DestinationCidrBlock);
      const kind = e.Type === 'System' ? 'system' : 'custom';
      if (e.NextHopType === 'local' || e.NextHopType === 'Local') lpm.insert(c.addr, c.len, { kind: HopKind.Local, port: -1, rule: `${e.DestinationCidrBlock} → local (${kind})` });
      else if (e.NextHopType === 'service') lpm.insert(c.addr, c.len, { kind: HopKind.Service, port: -1, rule: `${e.DestinationCidrBlock} → cloud services (system)` });
      else if (e.NextHopType === 'Ipv4Gateway') lpm.insert(c.addr, c.len, { kind: HopKind.Ipv4Gateway, port: -1, rule: `${e.DestinationCidrBlock} → ${e.NextHopId} (${kind})` });
      else if (e.NextHopType === 'NatGateway') {
        const nat = nats.get(e.NextHopId);
        if (nat) lpm.insert(c.addr, c.len, { kind: HopKind.NatGateway, port: -1, nat, rule: `${e.DestinationCidrBlock} → ${e.NextHopId} (${kind})` });
      }
      else if (e.NextHopType === 'GatewayLoadBalancerEndpoint') {
        const gwlbe = gwlbes.get(e.NextHopId);
        if (gwlbe) lpm.insert(c.addr, c.len, { kind: HopKind.GwlbEndpoint, port: -1, gwlbe, rule: `${e.DestinationCidrBlock} → ${e.NextHopId} (${kind})` });
      }
      else if (e.NextHopType === 'VpnGateway') {
        const vpn = vpns.get(e.NextHopId);
        if (vpn) lpm.insert(c.addr, c.len, { kind: HopKind.VpnGateway, port: -1, vpn, rule: `${e.DestinationCidrBlock} → ${e.NextHopId} (${kind})` });
      }
      else if (e.NextHopType === 'Attachment') {
        const att = atts.get(e.NextHopId);
        if (att) lpm.insert(c.addr, c.len, { kind: HopKind.Attachment, port: -1, att, rule: `${e.DestinationCidrBlock} → ${e.NextHopId} (transit router ${att.tr.id}, ${kind})` });
      }
      else if (e.NextHopType === 'Instance' || e.NextHopType === 'NetworkInterface') {
        // The lab's ECS have one NIC: an ENI next hop names the instance's primary ENI.
        const name = instName(e.NextHopId);
        const port = portOf(name);
        if (port !== undefined) lpm.insert(c.addr, c.len, { kind: HopKind.Instance, port, rule: `${e.DestinationCidrBlock} → ${name} (${kind})` });
      }
    }
    const label = `${rt.RouteTableId} (${rt.RouteTableName || rt.RouteTableType.toLowerCase()})`;
    tables.set(rt.RouteTableId, { id: rt.RouteTableId, label, device: counters.device(rt.RouteTableId), lpm });
  }

  const filters = new FilterCompiler(model);
  st.privateLink = compilePrivateLink(model, vpcIndexOf, tables, portOf, counters, filters);
  for (const g of model.natGateways) {
    const vsw = model.vswitches.find((v) => v.VSwitchId === g.VSwitchId);
    nats.get(g.NatGatewayId)!.table = (vsw && tables.get(vsw.RouteTableId)) ?? null;
  }
  for (const ep of model.endpoints) {
    const vsw = model.vswitches.find((v) => v.VSwitchId === ep.Zone.VSwitchId);
    const fw = gwlbes.get(ep.EndpointId);
    if (fw) fw.table = (vsw && tables.get(vsw.RouteTableId)) ?? null;
  }

  for (const g of model.vpnGateways) {
    const fw = vpns.get(g.VpnGatewayId)!;
    g.Endpoints.forEach((e, i) => {
      const vsw = model.vswitches.find((v) => v.VSwitchId === e.VSwitchId);
      fw.tables[i] = (vsw && tables.get(vsw.RouteTableId)) ?? null;
      const p = fw.endpointPorts[i];
      if (p < 0) return;
      // On the Internet at its public address (IKE, ESP); inside, the gateway's leg to the VPC.
      st.internetHosts.set(fw.endpointIps[i], p);
      st.ports[p] = {
        ...port(PortKind.VpnEndpoint, vpnEndpointHostName(g.VpnGatewayId, e.TunnelIndex), fw.endpointIps[i], fw.vpc, fw.tables[i], counters),
        vpn: fw, tunnelIndex: i, stopped: e.Status === 'Stopped',
      };
    });
  }

  // A VPC attachment: what the TR sends into the VPC enters at its ENI, routed by the
  // table of the ENI's vSwitch (the first zone's).
  for (const a of model.trAttachments) {
    const fw = atts.get(a.TransitRouterAttachmentId);
    const z = a.ZoneMappings[0];
    const vsw = z && model.vswitches.find((v) => v.VSwitchId === z.VSwitchId);
    if (fw && vsw) fw.vpcTable = tables.get(vsw.RouteTableId) ?? null;
  }
  for (const c of model.vpnConnections) {
    const conn = cenConns.get(c.VpnConnectionId);
    if (!conn) continue;
    const att = model.trAttachments.find((a) => a.ResourceId === c.VpnConnectionId);
    for (const t of conn.tunnels) {
      const p = conn.ports[t.index];
      const ipText = c.Tunnels.find((x) => x.TunnelId === t.id)?.InternetIp;
      if (p < 0 || !ipText) continue;
      const ip = parseIp(ipText);
      st.internetHosts.set(ip, p);
      st.ports[p] = {
        ...port(PortKind.TrTunnelEndpoint, cenTunnelHostName(c.VpnConnectionId, (t.index + 1) as 1 | 2), ip, -1, null, counters),
        tunnelIndex: t.index, vpnConn: conn, trAtt: (att && atts.get(att.TransitRouterAttachmentId)) ?? null,
      };
    }
  }

  const vpcIndex = new Map<string, number>();
  for (const v of model.vpcs) {
    const c = cidrOf(v.CidrBlock);
    const gw = model.ipv4Gateways.find((g) => g.VpcId === v.VpcId);
    const igw: IgwFw | null = gw
      ? { id: gw.Ipv4GatewayId, device: counters.device(gw.Ipv4GatewayId), active: gw.Enabled, table: gw.Enabled && gw.Ipv4GatewayRouteTableId ? tables.get(gw.Ipv4GatewayRouteTableId) ?? null : null }
      : null;
    // B9: an enabled gateway makes the VPC route-controlled; `private` outlives its gateway.
    const mode = gw?.Enabled ? VpcMode.Controlled : v.InternetMode === 'private' ? VpcMode.Private : VpcMode.Default;
    const fw: VpcFw = { id: v.VpcId, cidrAddr: c.addr, cidrMask: c.mask, hosts: new Map(), services: new Map(), mode, eipByPrivate: new Map(), igw, gwlbAddrs: new Map(), system: tables.get(v.RouteTableId) ?? null };
    for (const g of gwlbs.values()) if (model.vpcs[g.vpc]?.VpcId === v.VpcId) for (const a of g.addrByZone.values()) fw.gwlbAddrs.set(a, g);
    vpcIndex.set(v.VpcId, st.vpcs.length);
    st.vpcs.push(fw);
    const svcName = serviceHostName(model, v.VpcId);
    const svcPort = portOf(svcName);
    if (svcPort !== undefined) {
      fw.services.set(parseIp(VPC_DNS), svcPort);
      st.ports[svcPort] = port(PortKind.Service, svcName, parseIp(VPC_DNS), st.vpcs.length - 1, null, counters);
    }
    for (const s of model.cloudServices) {
      const p = portOf(s.HostName);
      if (p !== undefined) fw.services.set(parseIp(s.IpAddress), p);
    }
  }
  // Cloud services serve every VPC: their port has none, the reply finds the VPC it answers.
  for (const s of model.cloudServices) {
    const p = portOf(s.HostName);
    if (p !== undefined) st.ports[p] = port(PortKind.Service, s.HostName, parseIp(s.IpAddress), -1, null, counters);
  }

  const wireEcs = (i: Instance): void => {
    const p = portOf(i.InstanceName);
    if (p === undefined) return;
    const vpc = vpcIndex.get(i.VpcId)!;
    const vsw = model.vswitches.find((s) => s.VSwitchId === i.VSwitchId)!;
    const addr = parseIp(i.PrivateIpAddress);
    st.vpcs[vpc].hosts.set(addr, p);
    const fw = port(PortKind.Ecs, i.InstanceName, addr, vpc, tables.get(vsw.RouteTableId) ?? null, counters);
    fw.stopped = i.Status === 'Stopped';
    fw.filter = filters.forInstance(i);
    const eip = model.eips.find((e) => e.InstanceId === i.InstanceId);
    if (eip) {
      const e: EipFw = { id: eip.AllocationId, device: counters.device(eip.AllocationId), vpc, privateIp: addr, port: p };
      st.vpcs[vpc].eipByPrivate.set(addr, parseIp(eip.IpAddress));
      fw.eip = parseIp(eip.IpAddress);
      fw.eipDevice = e.device;
      fw.eipId = eip.AllocationId;
      st.eips.set(fw.eip, e);
    }
    st.ports[p] = fw;
  };
  model.instances.forEach(wireEcs);

  for (const h of model.internetHosts) {
    const p = portOf(h.HostName);
    if (p === undefined) continue;
    const addr = parseIp(h.IpAddress);
    st.internetHosts.set(addr, p);
    st.ports[p] = port(PortKind.Internet, h.HostName, addr, -1, null, counters);
  }
  model.idcSites.forEach((site) => compileIdc(st, site, portOf, counters));
  return st;
}

/** An IDC: its LAN switched by address, its router on the Internet at its public address. */
function compileIdc(st: ForwardingState, site: IdcSite, portOf: PortOf, counters: Counters): void {
  const gwPort = portOf(site.Gateway.HostName);
  if (gwPort === undefined) return;
  const c = cidrOf(site.CidrBlock);
  const index = st.idcs.length;
  const fw: IdcFw = {
    id: site.SiteId, label: `${site.SiteName} LAN ${site.CidrBlock}`, device: counters.device(site.SiteId),
    cidrAddr: c.addr, cidrMask: c.mask, lan: new Map(), gatewayPort: gwPort, publicIp: parseIp(site.Gateway.PublicIp),
  };
  st.idcs.push(fw);
  fw.lan.set(parseIp(site.Gateway.LanIp), gwPort);
  st.internetHosts.set(fw.publicIp, gwPort);
  st.ports[gwPort] = { ...port(PortKind.IdcGateway, site.Gateway.HostName, fw.publicIp, -1, null, counters), site: index };
  for (const h of site.Hosts) {
    const p = portOf(h.HostName);
    if (p === undefined) continue;
    const addr = parseIp(h.IpAddress);
    fw.lan.set(addr, p);
    st.ports[p] = { ...port(PortKind.IdcHost, h.HostName, addr, -1, null, counters), site: index };
  }
}

function port(kind: number, name: string, ip: number, vpc: number, table: RouteTableFw | null, counters: Counters): PortFw {
  return { kind, name, device: counters.device(name), ip, vpc, site: -1, table, eip: 0, eipDevice: -1, eipId: '', stopped: false, vpn: null, tunnelIndex: -1, vpnConn: null, trAtt: null, filter: null };
}

/** D4–D11: SNAT entries as a source LPM, DNAT entries as maps both ways. */
function natGateway(model: CloudModel, g: NatGateway, vpc: number, counters: Counters): NatFw {
  const snat = new Lpm<SnatFw>();
  for (const e of g.SnatEntries) {
    const src = e.SourceVSwitchId ? model.vswitches.find((v) => v.VSwitchId === e.SourceVSwitchId)?.CidrBlock : e.SourceCIDR;
    if (!src) continue;
    const c = cidrOf(src);
    snat.insert(c.addr, c.len, { id: e.SnatEntryId, eips: e.SnatIp.map(parseIp), affinity: e.EipAffinity });
  }
  const [portMin, portMax] = g.LabPortRange ?? [1025, 65535];
  const fw: NatFw = {
    id: g.NatGatewayId, device: counters.device(g.NatGatewayId), vpc, snat, portMin, portMax, icmpReply: g.IcmpReplyEnabled,
    dnatIn: new Map(), dnatOut: new Map(), ipMapIn: new Map(), ipMapOut: new Map(),
    eips: new Set(model.eips.filter((e) => e.InstanceId === g.NatGatewayId).map((e) => parseIp(e.IpAddress))),
    table: null,
  };
  const hasOwnEip = (ip: string): boolean => {
    const inst = model.instances.find((i) => i.VpcId === g.VpcId && i.PrivateIpAddress === ip);
    return inst !== undefined && model.eips.some((e) => e.InstanceId === inst.InstanceId);
  };
  for (const e of g.ForwardEntries) {
    // D10.3: a backend that holds an EIP of its own makes the entry ineffective.
    if (hasOwnEip(e.InternalIp)) continue;
    const ext = parseIp(e.ExternalIp);
    const int = parseIp(e.InternalIp);
    if (e.ExternalPort === 'Any') {
      fw.ipMapIn.set(ext, int);
      fw.ipMapOut.set(int, ext);
      continue;
    }
    const [eFrom, eTo] = portRange(e.ExternalPort);
    const [iFrom] = portRange(e.InternalPort);
    const protocols = e.IpProtocol === 'TCP' ? [6] : e.IpProtocol === 'UDP' ? [17] : [6, 17];
    for (let k = 0; k <= eTo - eFrom; k++) {
      for (const p of protocols) {
        fw.dnatIn.set(dnatKey(p, ext, eFrom + k), { ip: int, port: iFrom + k, id: e.ForwardEntryId } satisfies DnatFw);
        fw.dnatOut.set(dnatKey(p, int, iFrom + k), { ip: ext, port: eFrom + k, id: e.ForwardEntryId });
      }
    }
  }
  return fw;
}

/** `80` or `8000/8001` (D10.1: positional ranges of equal size). */
function portRange(text: string): [number, number] {
  const [a, b] = text.split('/').map(Number);
  return [a, b ?? a];
}
