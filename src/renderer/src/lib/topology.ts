// The Topology view's graph: nodes, edges and a fixed layout computed from the Console's
// Describe* rows (console-data.ts) and the lab's host list (a traced packet's path on it is
// topology-path.ts). Pure, so the layout is the same on every run and testable without a page.
//
// Reading top-down: Internet hosts, the Internet, then each VPC as a box. Inside a VPC a
// left column holds the VPC's name, its IPv4 gateway, vRouter and DNS; the vSwitches (with
// their ECS and NAT gateways) stand to the right. The vRouter reaches every vSwitch along
// their bottoms, the gateway's line comes down the gutter between the two, and EIP lines
// leave an ECS at its right end: so no line crosses a name.
//
// A Gateway Load Balancer stands in the vSwitch of its first zone, each GWLB endpoint in its
// own vSwitch, and the load balancer's backends (the NVAs) are the ECS of its server group.
// Their lines run in lanes: endpoint → GWLB through the gap above (or between) the VPC rows,
// GWLB → backends (Geneve) along the bottoms of the vSwitches, in a strip kept free for it.
// VPCs stand side by side while the row stays narrow enough to read; then the next row.
//
// IPsec-VPN: each of a VPN gateway's two tunnel endpoints stands in its own vSwitch; each IDC
// site is a box to the right of the first row of VPCs, its router at the top and its LAN
// hosts below it. A tunnel is a line from the IDC's router to an endpoint, in a lane in the
// gap above the VPC row (over the Internet, as the tunnel's packets go): the tunnel that
// carries the traffic lit, a tunnel that is down dashed and red (the monitor's reading, passed
// in; without it, the negotiation status the connection reports). The cloud services on
// 100.64.0.0/10 stand in a row beside the VPC DNS, reached from the vRouter like it.
//
// The transit routers (CEN) stand in a band below the VPC rows, with their VPN connections
// (ECMP members) and lines of their own: topology-tr.ts.

import type { HostInfo } from '../../../main/api/lab-service';
import { endpointGwlb, internetAccess, type ConsoleData } from './console-data';
import { placeTransitRouters, transitRouterBoxes } from './topology-tr';
import { connectionTunnels, negotiationWords, roleWords, siteOfCustomerGateway, type TunnelIndex } from './vpn-data';

export type TopoKind =
  | 'internet' | 'host' | 'vpc' | 'vswitch' | 'ecs' | 'nat' | 'igw' | 'vrouter' | 'service' | 'gwlb' | 'gwlbe'
  | 'vpn-endpoint' | 'idc' | 'idc-router' | 'idc-host' | 'cloud-service' | 'pl-endpoint' | 'tr' | 'tr-member';
export type Side = 'top' | 'bottom' | 'left' | 'right';

export interface TopoHandle {
  id: string;
  type: 'source' | 'target';
  side: Side;
  /** Pixels from the node's left edge (top/bottom sides); the side's middle when left out. */
  offset?: number;
}

export interface TopoNode {
  id: string;
  kind: TopoKind;
  /** What the node is called in the lab: the test id is `topo-node-<name>`. */
  name: string;
  lines: string[];
  parentId?: string;
  /** Relative to the parent node, as the graph library wants it. */
  x: number;
  y: number;
  width: number;
  height: number;
  handles: TopoHandle[];
  /** Present but carrying no traffic: an inactive IPv4 gateway, a private VPC. */
  dim: boolean;
  ariaLabel: string;
}

export interface TopoEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string;
  targetHandle: string;
  /** A lane runs out of its source handle to the graph's y `lane`, along it, and into the target. */
  shape: 'straight' | 'step' | 'lane';
  /** For a lane: the y (graph pixels, absolute) it runs along. */
  lane?: number;
  /** For a lane that leaves its source (enters its target) sideways: the x it runs down to the lane. */
  sourceGutter?: number;
  targetGutter?: number;
  dashed: boolean;
  /** A VPN tunnel's state: carrying the traffic (lit), up and standing by, or down. */
  tunnel?: 'lit' | 'up' | 'down';
  ariaLabel: string;
}

export interface Topology {
  nodes: TopoNode[];
  edges: TopoEdge[];
  width: number;
  height: number;
  /** EIPs bound to nothing: no node to show them on. */
  unboundEips: string[];
  /** Trace device names (host names, resource IDs) → node ID. */
  devices: Map<string, string>;
  /** Route table ID → the nodes it decides for: its vSwitches, or the IPv4 gateway it is bound to. */
  tables: Map<string, string[]>;
  /** ECS or NAT gateway → its vSwitch: a packet passes from one to the other without a line. */
  parents: Map<string, string>;
}

export type HostLike = Pick<HostInfo, 'name' | 'kind' | 'ip'>;

// Sizes in graph pixels. At 1:1 a lab of seed size (one VPC, two vSwitches, a few ECS and
// Internet hosts) is about 1000×560, which fits the view at a 1280×800 window.
const HOST = { w: 150, h: 58, gap: 16 };
const INET_H = 44;
const ROW_GAP = 56; // between the host row, the Internet and the VPCs: room for the lines
const MEMBER = { w: 180, h: 70, gap: 10 }; // ECS and NAT gateways inside a vSwitch
const VSW = { pad: 10, head: 46, minW: 200, gap: 20 };
/** Below the members of a VPC that holds a GWLB: room for the Geneve lane to its backends. */
const GENEVE_PAD = 26;
const VPC = { pad: 16, gap: 40 };
/** A row of VPCs wider than this starts a new row below (the business and security VPCs of a GWLB lab). */
const MAX_ROW_W = 1600;
/** Lanes of endpoint → GWLB lines: the first this far above a VPC row, the next ones higher. */
const LANE = { first: 14, step: 7 };
const COL = { w: 172, gap: 40 }; // the VPC's left column: its name, IPv4 gateway, vRouter, DNS
const VPC_LABEL_H = 84; // kind, name, CIDR, Internet access (up to two lines)
const IGW_H = 58;
const VROUTER_H = 38;
const SERVICE_H = 58;
/** A cloud service on 100.64.0.0/10 beside the VPC DNS: wide enough for most of its domain name. */
const CLOUD_SVC = { w: 200, h: MEMBER.h, gap: 16 };
/** An IDC site: its name and CIDR on the left, the router right of them, its LAN hosts below the router. */
const IDC = { pad: 14, head: 150, gap: 20, routerH: 70, lanGap: 40 };
/** Where a tunnel's line leaves the IDC router's top, counted from its right end, and the step between two. */
const TUNNEL_OUT = { first: 16, step: 14 };
/** Where a line to the Internet leaves an ECS/NAT: near its right end, clear of the vSwitch's label. */
const UPLINK_OFFSET = MEMBER.w - 16;

const VPC_DNS = '100.100.2.136';
/**
 * How far a stepped line runs out of its handle before turning: Svelte Flow's smoothstep
 * default (1.7 hands built-in edges no pathOptions). The gateway's line comes down there.
 */
const STEP_OFFSET = 20;

export function buildTopology(d: ConsoleData, hosts: readonly HostLike[], tunnels?: TunnelIndex): Topology {
  const nodes: TopoNode[] = [];
  const edges: TopoEdge[] = [];
  const devices = new Map<string, string>();
  const tables = new Map<string, string[]>();
  const parents = new Map<string, string>();
  const byId = new Map<string, TopoNode>();
  const add = (n: TopoNode): TopoNode => {
    nodes.push(n);
    byId.set(n.id, n);
    return n;
  };
  const addTable = (table: string, node: string): void => {
    if (!table) return;
    const list = tables.get(table) ?? [];
    list.push(node);
    tables.set(table, list);
  };

  const internet = add({ id: 'internet', kind: 'internet', name: 'Internet', lines: [], x: 0, y: HOST.h + ROW_GAP, width: 0, height: INET_H, handles: [], dim: false, ariaLabel: 'Internet' });
  devices.set('Internet', internet.id);

  const publicHosts = hosts.filter((h) => h.kind === 'internet');
  const hostNodes = publicHosts.map((h) => {
    const n = add({
      id: `host:${h.name}`, kind: 'host', name: h.name, lines: [h.ip], x: 0, y: 0, width: HOST.w, height: HOST.h,
      handles: [{ id: 'bottom', type: 'source', side: 'bottom' }], dim: false, ariaLabel: `Internet host ${h.name}, ${h.ip}`,
    });
    devices.set(h.name, n.id);
    return n;
  });

  // Each VPC's own Internet lines are collected here and wired once positions are final.
  const uplinks: { node: TopoNode; handle: 'top' | 'right'; dashed: boolean; why: string }[] = [];
  const vpcY = internet.y + INET_H + ROW_GAP;
  const vpcNodes: TopoNode[] = [];
  // The GWLBs' backends: the servers of the groups their listeners send traffic to.
  const backends = new Map<string, string[]>();
  for (const l of d.listeners) {
    const g = d.serverGroups.find((x) => x.ServerGroupId === l.ServerGroupId);
    if (g) backends.set(l.LoadBalancerId, [...(backends.get(l.LoadBalancerId) ?? []), ...g.Servers.map((x) => x.ServerId)]);
  }
  const isBackend = new Set([...backends.values()].flat());
  d.vpcs.forEach((vpc, index) => {
    const gw = d.ipv4Gateways.find((g) => g.VpcId === vpc.VpcId);
    const hasGwlb = d.gwlbs.some((g) => g.VpcId === vpc.VpcId);
    const controlled = gw?.Enabled === true;
    const isPrivate = !controlled && vpc.InternetMode === 'private';
    const vpcName = vpc.VpcName || vpc.VpcId;
    const box = add({
      id: vpc.VpcId, kind: 'vpc', name: vpcName, lines: [vpc.CidrBlock, internetAccess(vpc, d)], x: 0, y: vpcY, width: 0, height: 0,
      handles: [], dim: isPrivate, ariaLabel: `VPC ${vpcName}, ${vpc.CidrBlock}, ${internetAccess(vpc, d)}`,
    });
    vpcNodes.push(box);

    // vSwitches left to right, each with its NAT gateways and ECS in at most two rows; ECS
    // holding an EIP first, so a line up to the Internet seldom crosses a member of row one.
    let sx = VPC.pad + COL.w + COL.gap;
    let rowH = 0;
    for (const vsw of d.vswitches.filter((s) => s.VpcId === vpc.VpcId)) {
      const ecs = eipFirst(d.instances.filter((i) => i.VSwitchId === vsw.VSwitchId), (i) => i.EipAddress !== '');
      const nats = d.natGateways.filter((g) => g.VSwitchId === vsw.VSwitchId);
      const lbs = d.gwlbs.filter((g) => g.Zones[0]?.VSwitchId === vsw.VSwitchId);
      const eps = d.endpoints.filter((e) => e.VSwitchId === vsw.VSwitchId);
      const vpnEps = d.vpnGateways.flatMap((g) => g.Endpoints.filter((e) => e.VSwitchId === vsw.VSwitchId).map((e) => ({ g, e })));
      const count = ecs.length + nats.length + lbs.length + eps.length + vpnEps.length;
      const cols = count <= 3 ? Math.max(count, 1) : Math.ceil(count / 2);
      const rows = Math.ceil(count / cols);
      const width = Math.max(VSW.minW, cols * MEMBER.w + (cols - 1) * MEMBER.gap + 2 * VSW.pad);
      const height = VSW.head + (rows > 0 ? rows * MEMBER.h + (rows - 1) * MEMBER.gap : 18) + (hasGwlb ? GENEVE_PAD : VSW.pad);
      const name = vsw.VSwitchName || vsw.VSwitchId;
      const sw = add({
        id: vsw.VSwitchId, kind: 'vswitch', name, lines: [vsw.CidrBlock, vsw.ZoneId].filter(Boolean), parentId: box.id, x: sx, y: VPC.pad, width, height,
        handles: [{ id: 'bottom', type: 'target', side: 'bottom' }], dim: false, ariaLabel: `vSwitch ${name}, ${vsw.CidrBlock}${vsw.ZoneId ? `, ${vsw.ZoneId}` : ''}`,
      });
      addTable(vsw.RouteTableId, sw.id);
      const place = (k: number): { x: number; y: number } => ({
        x: VSW.pad + (k % cols) * (MEMBER.w + MEMBER.gap),
        y: VSW.head + Math.floor(k / cols) * (MEMBER.h + MEMBER.gap),
      });
      let k = 0;
      // NAT gateways and ECS first; a GWLB and its endpoints after them, so that a line
      // entering from above meets its box right of the vSwitch's name.
      for (const g of nats) {
        const ips = natEips(d, g.NatGatewayId, g.Ips.map((p) => p.IpAddress));
        const name = g.Name || g.NatGatewayId;
        // The box has room for one address; the rest are counted (and all read out).
        const shown = ips.length === 0 ? 'no EIP' : ips.length === 1 ? `EIP ${ips[0]}` : `EIP ${ips[0]} +${ips.length - 1}`;
        const n = add({
          id: g.NatGatewayId, kind: 'nat', name, lines: [g.PrivateIpAddress, shown], parentId: sw.id, ...place(k++),
          width: MEMBER.w, height: MEMBER.h, handles: [{ id: 'top', type: 'target', side: 'top', offset: UPLINK_OFFSET }], dim: false,
          ariaLabel: `NAT gateway ${name}, ${g.PrivateIpAddress}${ips.length ? `, EIP ${ips.join(', ')}` : ', no EIP'}`,
        });
        parents.set(n.id, sw.id);
        devices.set(g.NatGatewayId, n.id);
        // B8.2: a private VPC has no Internet, through NAT gateways neither.
        if (ips.length > 0 && !isPrivate) uplinks.push({ node: n, handle: 'top', dashed: false, why: `EIP ${ips.join(', ')}` });
      }
      for (const i of ecs) {
        const eip = i.EipAddress;
        const stopped = i.Status === 'Stopped';
        const backend = isBackend.has(i.InstanceId);
        const second = stopped ? 'Stopped' : eip ? `EIP ${eip}` : backend ? 'GWLB backend' : 'no EIP';
        const handles: TopoHandle[] = [{ id: 'top', type: 'target', side: 'top', offset: UPLINK_OFFSET }];
        if (backend) handles.push({ id: 'bottom', type: 'target', side: 'bottom' });
        const n = add({
          id: i.InstanceId, kind: 'ecs', name: i.InstanceName || i.InstanceId, lines: [i.PrivateIpAddress, second], parentId: sw.id, ...place(k++),
          width: MEMBER.w, height: MEMBER.h, handles, dim: stopped,
          ariaLabel: `ECS ${i.InstanceName}, ${i.PrivateIpAddress}${eip ? `, EIP ${eip}` : ', no EIP'}${backend ? ', GWLB backend' : ''}${stopped ? ', Stopped' : ''}`,
        });
        parents.set(n.id, sw.id);
        devices.set(i.InstanceId, n.id);
        if (i.InstanceName) devices.set(i.InstanceName, n.id);
        // A9: without an active IPv4 gateway an EIP reaches the Internet from the instance
        // itself; once the gateway is active, route tables decide (B5), so no line of its own.
        if (eip && !controlled && !isPrivate) uplinks.push({ node: n, handle: 'top', dashed: false, why: `EIP ${eip}` });
      }
      // A VPN gateway's tunnel endpoint: the lab host that ends the tunnel, with its vSwitch
      // address and its public address; its tunnel lines come down onto its top.
      for (const { g, e } of vpnEps) {
        const gwName = g.Name || g.VpnGatewayId;
        const n = add({
          id: e.HostName, kind: 'vpn-endpoint', name: `${gwName}-t${e.TunnelIndex}`, lines: [e.PrivateIpAddress, `public ${e.InternetIp}`], parentId: sw.id, ...place(k++),
          width: MEMBER.w, height: MEMBER.h, handles: [], dim: false,
          ariaLabel: `VPN gateway ${gwName}, tunnel ${e.TunnelIndex} endpoint in ${e.ZoneId}, ${e.PrivateIpAddress}, public IP ${e.InternetIp}`,
        });
        parents.set(n.id, sw.id);
        devices.set(e.HostName, n.id);
        if (e.TunnelIndex === 1) devices.set(g.VpnGatewayId, n.id);
      }
      for (const ep of eps) {
        const name = ep.EndpointName || ep.EndpointId;
        // An interface endpoint's ENI: its VPC-native address for a service (PrivateLink).
        const iface = ep.EndpointType === 'Interface';
        const n = add({
          id: ep.EndpointId, kind: iface ? 'pl-endpoint' : 'gwlbe', name, lines: [ep.EniIp, ep.ConnectionStatus], parentId: sw.id, ...place(k++),
          width: MEMBER.w, height: MEMBER.h,
          handles: [{ id: 'top', type: 'source', side: 'top', offset: UPLINK_OFFSET }, { id: 'bottom', type: 'source', side: 'bottom', offset: UPLINK_OFFSET }],
          dim: ep.ConnectionStatus !== 'Connected', ariaLabel: `${iface ? 'Interface endpoint' : 'GWLB endpoint'} ${name}, ${ep.EniIp}, ${ep.ConnectionStatus}`,
        });
        parents.set(n.id, sw.id);
        devices.set(ep.EndpointId, n.id);
        if (ep.EndpointName) devices.set(ep.EndpointName, n.id);
      }
      for (const lb of lbs) {
        const name = lb.LoadBalancerName || lb.LoadBalancerId;
        const addrs = lb.Zones.map((z) => z.PrivateIpv4Address).filter(Boolean);
        const n = add({
          id: lb.LoadBalancerId, kind: 'gwlb', name, lines: [addrs.join(', '), lb.LoadBalancerStatus], parentId: sw.id, ...place(k++),
          width: MEMBER.w, height: MEMBER.h,
          handles: [{ id: 'top', type: 'target', side: 'top', offset: UPLINK_OFFSET }, { id: 'bottom', type: 'source', side: 'bottom' }], dim: false,
          ariaLabel: `Gateway Load Balancer ${name}, ${lb.Zones.map((z) => `${z.PrivateIpv4Address} in ${z.ZoneId}`).join(', ')}, ${lb.LoadBalancerStatus}`,
        });
        parents.set(n.id, sw.id);
        devices.set(lb.LoadBalancerId, n.id);
        if (lb.LoadBalancerName) devices.set(lb.LoadBalancerName, n.id);
      }
      sx += width + VSW.gap;
      rowH = Math.max(rowH, height);
    }
    const vswRight = sx - VSW.gap;

    // The left column under the VPC's name: the gateway, then the vRouter just below the
    // vSwitches' bottoms (its lines run along them), the VPC DNS below it.
    let cy = VPC.pad + VPC_LABEL_H;
    if (gw) {
      const name = gw.Ipv4GatewayName || gw.Ipv4GatewayId;
      const n = add({
        id: gw.Ipv4GatewayId, kind: 'igw', name, lines: [gw.ConsoleStatus], parentId: box.id, x: VPC.pad, y: cy, width: COL.w, height: IGW_H,
        handles: [{ id: 'right', type: 'target', side: 'right' }, { id: 'bottom', type: 'source', side: 'bottom' }], dim: !gw.Enabled,
        ariaLabel: `IPv4 gateway ${name}, ${gw.ConsoleStatus}`,
      });
      devices.set(gw.Ipv4GatewayId, n.id);
      addTable(gw.Ipv4GatewayRouteTableId, n.id);
      uplinks.push({ node: n, handle: 'right', dashed: !gw.Enabled, why: gw.Enabled ? 'IPv4 gateway' : 'IPv4 gateway, inactive' });
      cy += IGW_H + 32;
    }
    const vrY = Math.max(cy, VPC.pad + rowH - VROUTER_H / 2 + 24);
    const vrHandles: TopoHandle[] = [{ id: 'top', type: 'target', side: 'top' }, { id: 'right', type: 'source', side: 'right' }, { id: 'bottom', type: 'source', side: 'bottom' }];
    // A VPC connection to a transit router comes in at the vRouter's left.
    if (d.trAttachments.some((a) => a.VpcId === vpc.VpcId)) vrHandles.push({ id: 'left', type: 'target', side: 'left' });
    const vr = add({
      id: `vrouter:${vpc.VpcId}`, kind: 'vrouter', name: `vRouter-${vpcName}`, lines: [], parentId: box.id, x: VPC.pad, y: vrY, width: COL.w, height: VROUTER_H,
      handles: vrHandles,
      dim: false, ariaLabel: `vRouter of ${vpcName}`,
    });
    if (gw) edges.push(edge(gw.Ipv4GatewayId, 'bottom', vr.id, 'top', 'straight', !gw.Enabled, `IPv4 gateway ${gw.Ipv4GatewayName || gw.Ipv4GatewayId} to the vRouter`));
    for (const n of nodes) {
      if (n.kind === 'vswitch' && n.parentId === box.id) edges.push(edge(vr.id, 'right', n.id, 'bottom', 'step', false, `vRouter to vSwitch ${n.name}`));
    }
    let bottom = vrY + VROUTER_H;
    // The VPC DNS is a lab host named vpcdns-<n>, n counting the VPCs in creation order.
    const dns = hosts.find((h) => h.kind === 'service' && h.name === `vpcdns-${index + 1}`);
    if (dns) {
      const n = add({
        id: `svc:${vpc.VpcId}`, kind: 'service', name: dns.name, lines: [dns.ip || VPC_DNS], parentId: box.id, x: VPC.pad, y: bottom + 28, width: COL.w, height: SERVICE_H,
        handles: [{ id: 'top', type: 'target', side: 'top' }], dim: false, ariaLabel: `VPC DNS of ${vpcName}, ${dns.ip || VPC_DNS}`,
      });
      devices.set(dns.name, n.id);
      edges.push(edge(vr.id, 'bottom', n.id, 'top', 'straight', false, `vRouter to the VPC DNS of ${vpcName}`));
      bottom = n.y + SERVICE_H;
    }
    // The cloud services (100.64.0.0/10) are the region's, not a VPC's: drawn once, in the
    // first VPC that has a VPN gateway (else the first), in a row right of the VPC DNS.
    let svcRight = 0;
    const svcVpc = d.vpnGateways[0]?.VpcId ?? d.vpcs[0]?.VpcId;
    if (vpc.VpcId === svcVpc && d.cloudServices.length > 0) {
      const y = dns ? bottom - SERVICE_H : bottom + 28;
      d.cloudServices.forEach((c, i) => {
        const n = add({
          id: `cloudsvc:${c.HostName}`, kind: 'cloud-service', name: c.HostName, lines: [c.IpAddress, c.DomainNames[0] ?? ''].filter(Boolean), parentId: box.id,
          x: VPC.pad + COL.w + COL.gap + i * (CLOUD_SVC.w + CLOUD_SVC.gap), y, width: CLOUD_SVC.w, height: CLOUD_SVC.h,
          handles: [{ id: 'top', type: 'target', side: 'top' }], dim: false,
          ariaLabel: `Cloud service ${c.HostName}, ${c.IpAddress}${c.DomainNames.length ? `, ${c.DomainNames.join(', ')}` : ''}`,
        });
        devices.set(c.HostName, n.id);
        edges.push(edge(vr.id, 'right', n.id, 'top', 'step', false, `vRouter to the cloud service ${c.HostName}`));
        svcRight = n.x + CLOUD_SVC.w;
      });
      bottom = Math.max(bottom, y + CLOUD_SVC.h);
    }
    box.width = Math.max(vswRight, svcRight, VPC.pad + COL.w + COL.gap + VSW.minW) + VPC.pad;
    box.height = Math.max(bottom, VPC.pad + rowH) + VPC.pad;
  });

  // The IDC sites, each a box with its router and LAN hosts; placed beside the VPCs below.
  const idcNodes: TopoNode[] = [];
  for (const site of d.idcSites) {
    const lan = site.Hosts;
    const lanW = lan.length > 0 ? lan.length * (HOST.w + HOST.gap) - HOST.gap : 0;
    const innerX = IDC.pad + IDC.head + IDC.gap;
    const box = add({
      id: `idc:${site.SiteId}`, kind: 'idc', name: site.SiteName || site.SiteId, lines: [site.CidrBlock, 'Data centre (IDC)'], x: 0, y: vpcY,
      width: innerX + Math.max(MEMBER.w, lanW) + IDC.pad,
      height: Math.max(IDC.pad + IDC.routerH + (lan.length > 0 ? IDC.lanGap + HOST.h : 0) + IDC.pad, VPC_LABEL_H + 2 * IDC.pad),
      handles: [], dim: false, ariaLabel: `IDC ${site.SiteName}, ${site.CidrBlock}`,
    });
    idcNodes.push(box);
    const g = site.Gateway;
    const router = add({
      id: `idc-router:${g.HostName}`, kind: 'idc-router', name: g.HostName, lines: [`public ${g.PublicIp}`, `LAN ${g.LanIp}`], parentId: box.id,
      x: innerX, y: IDC.pad, width: MEMBER.w, height: IDC.routerH, handles: lan.length > 0 ? [{ id: 'bottom', type: 'source', side: 'bottom' }] : [], dim: false,
      ariaLabel: `IDC router ${g.HostName}, public IP ${g.PublicIp}, LAN ${g.LanIp}`,
    });
    devices.set(g.HostName, router.id);
    // The engine's hop for the IDC's LAN (`idc-hz LAN 172.16.0.0/16`): a packet leaving the
    // LAN goes to the router, which is where the map shows it.
    devices.set(`${site.SiteName} LAN ${site.CidrBlock}`, router.id);
    lan.forEach((h, i) => {
      const n = add({
        id: `idc-host:${h.HostName}`, kind: 'idc-host', name: h.HostName, lines: [h.IpAddress], parentId: box.id,
        x: innerX + i * (HOST.w + HOST.gap), y: IDC.pad + IDC.routerH + IDC.lanGap, width: HOST.w, height: HOST.h,
        handles: [{ id: 'top', type: 'target', side: 'top' }], dim: false, ariaLabel: `IDC host ${h.HostName}, ${h.IpAddress}`,
      });
      devices.set(h.HostName, n.id);
      edges.push(edge(router.id, 'bottom', n.id, 'top', 'step', false, `${g.HostName} to ${h.HostName} on the IDC's LAN`));
    });
  }
  const idcW = idcNodes.reduce((w, n) => w + VPC.gap + n.width, 0);
  const trBoxes = transitRouterBoxes(d, add, devices, tables, parents, tunnels);
  const trW = trBoxes.reduce((w, b) => w + b.box.width + VPC.gap, 0);

  // VPCs in rows: side by side while a row stays under MAX_ROW_W, each row one ROW_GAP below
  // the last (room for the endpoint lanes). Each row is centred; the Internet spans them all.
  const vpcRows: TopoNode[][] = [];
  for (const v of vpcNodes) {
    const row = vpcRows[vpcRows.length - 1];
    const rowW = row ? row.reduce((w, r) => w + r.width + VPC.gap, 0) : 0;
    if (row && rowW + v.width <= MAX_ROW_W) row.push(v);
    else vpcRows.push([v]);
  }
  const rowWidth = (row: TopoNode[]): number => row.reduce((w, r) => w + r.width, 0) + VPC.gap * (row.length - 1);
  const vpcsW = Math.max(0, ...vpcRows.map(rowWidth));
  const hostsW = hostNodes.length * (HOST.w + HOST.gap) - (hostNodes.length > 0 ? HOST.gap : 0);
  const width = Math.max(vpcsW + idcW, hostsW, 480, trW);
  hostNodes.forEach((n, i) => (n.x = (width - hostsW) / 2 + i * (HOST.w + HOST.gap)));
  let rowY = vpcY;
  const rowOf = new Map<string, number>();
  vpcRows.forEach((row, r) => {
    // The IDC sites stand right of the first row, the VPCs centred in what is left.
    let vx = (width - idcW - rowWidth(row)) / 2;
    for (const v of row) {
      v.x = vx;
      v.y = rowY;
      vx += v.width + VPC.gap;
      rowOf.set(v.id, r);
    }
    let rowH = Math.max(...row.map((v) => v.height));
    if (r === 0) {
      let ix = width - idcW;
      for (const n of idcNodes) {
        n.x = ix + VPC.gap;
        n.y = rowY;
        ix += VPC.gap + n.width;
        rowH = Math.max(rowH, n.height);
      }
    }
    rowY += rowH + ROW_GAP;
  });
  internet.width = width;
  let trBottom = 0;
  if (trBoxes.length > 0) trBottom = placeTransitRouters(d, trBoxes, { width, rowY, rowGap: ROW_GAP, vpcRows, byId, edges });

  const absX = (n: TopoNode): number => n.x + (n.parentId ? absX(byId.get(n.parentId)!) : 0);
  const absY = (n: TopoNode): number => n.y + (n.parentId ? absY(byId.get(n.parentId)!) : 0);
  const vpcOf = (n: TopoNode): TopoNode => (n.parentId ? vpcOf(byId.get(n.parentId)!) : n);

  // Endpoint → GWLB (PrivateLink): out of the endpoint's top (or bottom, when the GWLB's row
  // is below), along a lane in the gap above the row the line enters, into the GWLB's top (or
  // bottom, when the GWLB's row is above). One lane each, so the lines stay apart.
  let lane = 0;
  for (const ep of d.endpoints) {
    const lbId = endpointGwlb(d, ep);
    const epNode = byId.get(ep.EndpointId);
    const lbNode = lbId ? byId.get(lbId) : undefined;
    if (!epNode || !lbNode) continue;
    const er = rowOf.get(vpcOf(epNode).id)!;
    const lr = rowOf.get(vpcOf(lbNode).id)!;
    const enterRow = lr > er ? lr : er;
    const y = Math.min(...vpcRows[enterRow].map((v) => v.y)) - LANE.first - LANE.step * lane++;
    edges.push({
      ...edge(epNode.id, lr > er ? 'bottom' : 'top', lbNode.id, lr < er ? 'bottom-in' : 'top', 'lane', epNode.dim, `GWLB endpoint ${epNode.name} to ${lbNode.name} (PrivateLink)`),
      lane: y,
    });
    if (lr < er && !lbNode.handles.some((h) => h.id === 'bottom-in')) lbNode.handles.push({ id: 'bottom-in', type: 'target', side: 'bottom', offset: UPLINK_OFFSET });
  }
  // GWLB → its backends (Geneve), along the bottoms of the vSwitches of its VPC.
  for (const [lbId, servers] of backends) {
    const lbNode = byId.get(lbId);
    if (!lbNode) continue;
    for (const id of servers) {
      const nva = byId.get(id);
      if (!nva) continue;
      const y = Math.max(absY(lbNode), absY(nva)) + MEMBER.h + GENEVE_PAD / 2;
      edges.push({ ...edge(lbNode.id, 'bottom', nva.id, 'bottom', 'lane', nva.dim, `${lbNode.name} to its backend ${nva.name} (Geneve)`), lane: y });
    }
  }

  // The VPN tunnels: IDC router → endpoint, each in its own lane above the first VPC row. The
  // lanes are given nearest first (routers left to right, then by how far the line runs), the
  // nearest line lowest and leaving its router furthest left: so the tunnels of one IDC never
  // cross, and of two IDCs' only two whose ends interleave (IDC 1 → tunnel 1, IDC 2 → tunnel 2),
  // once, as any two such lines drawn on one side of the row must.
  const runs: { name: string; index: number; role: string; tunnelId: string; status: string; router: TopoNode; ep: TopoNode }[] = [];
  for (const c of d.vpnConnections) {
    for (const { tunnel, endpoint } of connectionTunnels(d, c)) {
      const site = siteOfCustomerGateway(d, tunnel.CustomerGatewayId || c.CustomerGatewayId);
      const router = site ? byId.get(`idc-router:${site.Gateway.HostName}`) : undefined;
      const ep = endpoint ? byId.get(endpoint.HostName) : undefined;
      if (router && ep) runs.push({ name: c.Name || c.VpnConnectionId, index: tunnel.TunnelIndex, role: tunnel.Role, tunnelId: tunnel.TunnelId, status: tunnel.Status, router, ep });
    }
  }
  const reach = (r: (typeof runs)[number]): number => Math.abs(absX(r.router) - absX(r.ep));
  runs.sort((a, b) => absX(a.router) - absX(b.router) || reach(a) - reach(b));
  const rowTop = vpcRows.length > 0 ? Math.min(...vpcRows[0].map((v) => v.y)) : vpcY;
  const outOf = new Map<string, number>();
  const into = new Map<string, number>();
  for (const r of runs) {
    const mine = runs.filter((x) => x.router === r.router);
    const j = outOf.get(r.router.id) ?? 0;
    outOf.set(r.router.id, j + 1);
    const i = into.get(r.ep.id) ?? 0;
    into.set(r.ep.id, i + 1);
    const k = lane++;
    const hid = `tun-${k}`;
    r.router.handles.push({ id: hid, type: 'source', side: 'top', offset: r.router.width - TUNNEL_OUT.first - TUNNEL_OUT.step * (mine.length - 1 - j) });
    r.ep.handles.push({ id: hid, type: 'target', side: 'top', offset: UPLINK_OFFSET - 12 * i });
    const l = tunnels?.get(r.tunnelId);
    const w = negotiationWords(r.status, l);
    const state = l?.CarriesTraffic ? 'lit' : w.up ? 'up' : 'down';
    const doing = state === 'lit' ? 'carries the traffic' : state === 'up' ? 'standing by' : `down${l?.Reason ? ` (${l.Reason})` : ''}`;
    edges.push({
      ...edge(r.router.id, hid, r.ep.id, hid, 'lane', !w.up, `Tunnel ${r.index} of ${r.name} (${roleWords(r.role).toLowerCase()}), ${r.router.name} to ${r.ep.name}: ${w.text}, ${doing}`),
      id: `tunnel-${r.name}-${r.index}`, lane: rowTop - LANE.first - LANE.step * k, tunnel: state,
    });
  }

  for (const h of hostNodes) {
    const hid = `up:${h.id}`;
    internet.handles.push({ id: hid, type: 'target', side: 'top', offset: absX(h) + HOST.w / 2 });
    edges.push(edge(h.id, 'bottom', internet.id, hid, 'straight', false, `${h.name} on the Internet`));
  }
  for (const u of uplinks) {
    const hid = `down:${u.node.id}`;
    // Straight down onto an ECS/NAT; down the gutter and into the gateway's side.
    const at = u.handle === 'top' ? absX(u.node) + (u.node.handles.find((h) => h.id === 'top')!.offset ?? u.node.width / 2) : absX(u.node) + u.node.width + STEP_OFFSET;
    internet.handles.push({ id: hid, type: 'source', side: 'bottom', offset: at });
    edges.push(edge(internet.id, hid, u.node.id, u.handle, u.handle === 'top' ? 'straight' : 'step', u.dashed, `Internet to ${u.node.name} (${u.why})`));
  }

  // An EIP hop names the EIP; on the map it is drawn on what it is bound to.
  for (const e of d.eips) {
    const owner = e.InstanceId ? devices.get(e.InstanceId) : undefined;
    if (owner) devices.set(e.AllocationId, owner);
  }
  const unboundEips = d.eips.filter((e) => !e.InstanceId).map((e) => `${e.IpAddress} (${e.AllocationId})`);
  const height = Math.max(vpcNodes.length > 0 ? rowY - ROW_GAP : internet.y + INET_H, trBottom);
  return { nodes, edges, width, height, unboundEips, devices, tables, parents };
}

function edge(source: string, sourceHandle: string, target: string, targetHandle: string, shape: TopoEdge['shape'], dashed: boolean, ariaLabel: string): TopoEdge {
  return { id: `${source}->${target}`, source, target, sourceHandle, targetHandle, shape, dashed, ariaLabel };
}

/** `list` with the items that hold an EIP first, each part in its own order. */
function eipFirst<T>(list: T[], hasEip: (x: T) => boolean): T[] {
  return [...list.filter(hasEip), ...list.filter((x) => !hasEip(x))];
}

/** A NAT gateway's EIPs: those bound to it, else the addresses its own listing gives. */
function natEips(d: ConsoleData, natId: string, listed: string[]): string[] {
  const bound = d.eips.filter((e) => e.InstanceId === natId).map((e) => e.IpAddress);
  return bound.length > 0 ? bound : listed.filter(Boolean);
}

/** The map as nested text, for readers who cannot use the drawing. */
export function outline(t: Topology): { id: string; label: string; children: { id: string; label: string; children: { id: string; label: string }[] }[] }[] {
  const kids = (id: string): TopoNode[] => t.nodes.filter((n) => n.parentId === id);
  const top = t.nodes.filter((n) => n.parentId === undefined && n.kind !== 'vpc' && n.kind !== 'idc');
  const vpcs = t.nodes.filter((n) => n.kind === 'vpc' || n.kind === 'idc');
  return [
    ...top.map((n) => ({ id: n.id, label: n.ariaLabel, children: [] })),
    ...vpcs.map((v) => ({
      id: v.id,
      label: v.ariaLabel,
      children: kids(v.id).map((c) => ({ id: c.id, label: c.ariaLabel, children: kids(c.id).map((g) => ({ id: g.id, label: g.ariaLabel })) })),
    })),
  ];
}
