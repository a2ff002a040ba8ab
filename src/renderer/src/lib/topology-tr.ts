// The transit routers on the Topology map (topology.ts lays out the rest): each TR a box in
// a band below the VPC rows, right-aligned under the IDC sites; its name on the left, its VPN
// connections right of it in a grid, each an ECMP member where several carry one destination.
// The lines, all lanes (flow.ts lanePath):
// - a VPC connection: out of the TR's top, along a lane just above the band, up a gutter just
//   inside the VPC's left edge, into the vRouter's left side. The VPC with the leftmost gutter
//   gets the leftmost handle and the lowest lane, so these lines never cross each other;
// - a tunnel: out of the IDC router's right side, down the gutter beside its IDC box, along a
//   lane above the VPC connections' lanes, down the gap right of the member's column into the
//   member's side. The leftmost column's lanes are the highest, so no lane crosses a line on
//   its way down to a member; the tunnel carrying traffic lit, one that is down dashed red.

import type { ConsoleData } from './console-data';
import type { TopoEdge, TopoNode } from './topology';
import { attachmentTunnelHost, ecmpMembership, type EcmpMember, type TrAttachmentRow, type TransitRouterRow } from './tr-data';
import { negotiationWords, siteOfCustomerGateway, type TunnelIndex, type TunnelLive, type VpnConnectionRow } from './vpn-data';

/** The TR's box: its name column, then its VPN connections in up to `cols` columns, a gutter right of each. */
const TR = { pad: 14, head: 170, cols: 4, memberW: 180, memberH: 70, colGap: 30, rowGap: 10, minH: 110 };
/** Between the VPC rows and the band: the VPC connections' lanes (nearest the band), then the tunnels'. */
const LANES = { first: 14, vpcStep: 6, gap: 16, step: 7, top: 24 };
/** Where a VPC connection's line runs up inside its VPC: right of the border, left of the vRouter and DNS. */
const VPC_GUTTER = 8;
/** Where a VPC connection's line leaves the TR's top, and the step between two. */
const TR_OUT = { first: 20, step: 12 };
/** Tunnel lines leave the router's right side from this far down, at most this far apart. */
const ROUTER_OUT = { first: 10, span: 50, step: 8 };

export interface TrMember {
  node: TopoNode;
  attachment: TrAttachmentRow;
  connection: VpnConnectionRow | undefined;
  tunnelId: string;
  status: string;
  live: TunnelLive | undefined;
}

export interface TrBox {
  router: TransitRouterRow;
  box: TopoNode;
  members: TrMember[];
}

type Add = (n: TopoNode) => TopoNode;

/** The TR boxes and their members, sized, at x = y = 0 until placeTransitRouters puts them. */
export function transitRouterBoxes(
  d: ConsoleData, add: Add, devices: Map<string, string>, tables: Map<string, string[]>, parents: Map<string, string>, tunnels?: TunnelIndex,
): TrBox[] {
  const tunnelOf = (c: VpnConnectionRow | undefined): { id: string; status: string; live: TunnelLive | undefined } => {
    const t = c?.Tunnels[0];
    const id = t?.TunnelId ?? c?.VpnConnectionId ?? '';
    return { id, status: t?.Status ?? c?.Status ?? '', live: tunnels?.get(id) };
  };
  const upByAttachment = new Map<string, boolean>();
  for (const a of d.trAttachments) {
    if (a.ResourceType !== 'VPN') continue;
    const t = tunnelOf(d.vpnConnections.find((c) => c.VpnConnectionId === a.VpnId));
    upByAttachment.set(a.TransitRouterAttachmentId, negotiationWords(t.status, t.live).up);
  }
  const ecmp = ecmpMembership(d.trRoutes, (id) => upByAttachment.get(id) ?? false);

  return d.transitRouters.map((router) => {
    const name = router.TransitRouterName || router.TransitRouterId;
    const cen = d.cens.find((c) => c.CenId === router.CenId);
    const vpn = d.trAttachments.filter((a) => a.TransitRouterId === router.TransitRouterId && a.ResourceType === 'VPN');
    const cols = Math.max(1, Math.min(TR.cols, vpn.length));
    const rows = Math.ceil(vpn.length / cols);
    const innerX = TR.pad + TR.head;
    const box = add({
      id: router.TransitRouterId, kind: 'tr', name, lines: [cen?.Name || router.CenId, router.RegionId].filter(Boolean), x: 0, y: 0,
      width: innerX + cols * (TR.memberW + TR.colGap) + TR.pad,
      height: Math.max(TR.minH, 2 * TR.pad + rows * TR.memberH + Math.max(0, rows - 1) * TR.rowGap),
      handles: [], dim: false, ariaLabel: `Transit router ${name} of CEN ${cen?.Name || router.CenId}, ${vpn.length} VPN connection${vpn.length === 1 ? '' : 's'}`,
    });
    devices.set(router.TransitRouterId, box.id);
    // The trace names the TR's route table (`vtb-… (tr-hz route table)`): drawn as the TR.
    tables.set(router.TransitRouterRouteTableId, [box.id]);
    const members = vpn.map((a, k): TrMember => {
      const connection = d.vpnConnections.find((c) => c.VpnConnectionId === a.VpnId);
      const t = tunnelOf(connection);
      const w = negotiationWords(t.status, t.live);
      const groups = ecmp.get(a.TransitRouterAttachmentId) ?? [];
      const connName = connection?.Name || a.VpnId;
      const host = attachmentTunnelHost(a.VpnId);
      const node = add({
        id: host, kind: 'tr-member', name: connName, parentId: box.id,
        lines: [`public ${connection?.Tunnels[0]?.InternetIp ?? '-'}`, memberWords(groups, w.up)],
        x: innerX + (k % cols) * (TR.memberW + TR.colGap), y: TR.pad + Math.floor(k / cols) * (TR.memberH + TR.rowGap),
        width: TR.memberW, height: TR.memberH, handles: [{ id: 'tun', type: 'target', side: 'right' }], dim: !w.up,
        ariaLabel: `VPN connection ${connName} on transit router ${name}, ${w.text}${groups.map((m) => `, ECMP member ${m.index} of ${m.of} for ${m.dest}${m.live ? '' : ', left out'}`).join('')}`,
      });
      parents.set(node.id, box.id);
      for (const id of [host, a.VpnId, a.TransitRouterAttachmentId]) devices.set(id, node.id);
      return { node, attachment: a, connection, tunnelId: t.id, status: t.status, live: t.live };
    });
    return { router, box, members };
  });
}

/** A member's second line: its place in the ECMP group, or up/down when it is in none. */
function memberWords(groups: readonly EcmpMember[], up: boolean): string {
  const m = groups[0];
  if (!m) return up ? 'tunnel up' : 'tunnel down';
  return `ECMP ${m.index} of ${m.of}${up ? '' : ', down'}${groups.length > 1 ? ` +${groups.length - 1}` : ''}`;
}

export interface TrPlacement {
  width: number;
  /** The y below the last VPC row plus its gap (topology.ts's rowY). */
  rowY: number;
  rowGap: number;
  vpcRows: TopoNode[][];
  byId: Map<string, TopoNode>;
  edges: TopoEdge[];
}

/** Puts the TR boxes in their band and draws their VPC connections and tunnels; returns the band's bottom. */
export function placeTransitRouters(d: ConsoleData, boxes: TrBox[], p: TrPlacement): number {
  const absX = (n: TopoNode): number => n.x + (n.parentId ? absX(p.byId.get(n.parentId)!) : 0);
  const absY = (n: TopoNode): number => n.y + (n.parentId ? absY(p.byId.get(n.parentId)!) : 0);

  const vpcLinks = boxes.flatMap((b) => d.trAttachments.filter((a) => a.TransitRouterId === b.router.TransitRouterId && a.ResourceType === 'VPC'));
  const tunnelCount = boxes.reduce((n, b) => n + b.members.length, 0);
  const above = p.vpcRows.length > 0 ? p.rowY - p.rowGap : p.rowY;
  const vpcLanes = LANES.first + LANES.vpcStep * vpcLinks.length;
  const top = above + Math.max(p.rowGap, vpcLanes + LANES.gap + LANES.step * tunnelCount + LANES.top);

  let x = p.width;
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i].box;
    x -= b.width;
    b.x = x;
    b.y = top;
    x -= 40;
  }

  // VPC connections: the leftmost gutter gets the leftmost handle and the lowest lane.
  for (const b of boxes) {
    const links = d.trAttachments
      .filter((a) => a.TransitRouterId === b.router.TransitRouterId && a.ResourceType === 'VPC')
      .map((a) => ({ a, vr: p.byId.get(`vrouter:${a.VpcId}`), vpc: p.byId.get(a.VpcId) }))
      .filter((l): l is { a: TrAttachmentRow; vr: TopoNode; vpc: TopoNode } => l.vr !== undefined && l.vpc !== undefined)
      .sort((l, r) => absX(l.vpc) - absX(r.vpc));
    links.forEach(({ a, vr, vpc }, i) => {
      const hid = `att-${i}`;
      b.box.handles.push({ id: hid, type: 'source', side: 'top', offset: TR_OUT.first + TR_OUT.step * i });
      const name = a.Name || a.TransitRouterAttachmentId;
      p.edges.push({
        id: `attachment-${name}`, source: b.box.id, target: vr.id, sourceHandle: hid, targetHandle: 'left', shape: 'lane',
        lane: top - LANES.first - LANES.vpcStep * i, targetGutter: absX(vpc) + VPC_GUTTER, dashed: a.Status !== 'Attached',
        ariaLabel: `VPC connection ${name}: transit router ${b.box.name} to ${vpc.name}`,
      });
    });
  }

  // Tunnels: IDC router → member, the leftmost member column on the highest lane.
  const runs: { m: TrMember; box: TrBox; router: TopoNode; idc: TopoNode }[] = [];
  for (const box of boxes) {
    for (const m of box.members) {
      const c = m.connection;
      const site = c ? siteOfCustomerGateway(d, c.Tunnels[0]?.CustomerGatewayId || c.CustomerGatewayId) : undefined;
      const router = site ? p.byId.get(`idc-router:${site.Gateway.HostName}`) : undefined;
      const idc = router?.parentId ? p.byId.get(router.parentId) : undefined;
      if (router && idc) runs.push({ m, box, router, idc });
    }
  }
  runs.sort((l, r) => absX(l.m.node) - absX(r.m.node) || absY(l.m.node) - absY(r.m.node));
  const perRouter = new Map<string, number>();
  const outOf = new Map<string, number>();
  for (const r of runs) perRouter.set(r.router.id, (perRouter.get(r.router.id) ?? 0) + 1);
  const highest = top - vpcLanes - LANES.gap - LANES.step * (runs.length - 1);
  runs.forEach((r, k) => {
    const j = outOf.get(r.router.id) ?? 0;
    outOf.set(r.router.id, j + 1);
    const step = Math.min(ROUTER_OUT.step, ROUTER_OUT.span / Math.max(1, perRouter.get(r.router.id)! - 1));
    const hid = `trtun-${k}`;
    r.router.handles.push({ id: hid, type: 'source', side: 'right', offset: ROUTER_OUT.first + step * j });
    const w = negotiationWords(r.m.status, r.m.live);
    const state = r.m.live?.CarriesTraffic ? 'lit' : w.up ? 'up' : 'down';
    const name = r.m.connection?.Name || r.m.attachment.VpnId;
    p.edges.push({
      id: `tunnel-${name}-1`, source: r.router.id, target: r.m.node.id, sourceHandle: hid, targetHandle: 'tun', shape: 'lane',
      lane: highest + LANES.step * k, sourceGutter: absX(r.idc) + r.idc.width + 20, targetGutter: absX(r.m.node) + TR.memberW + TR.colGap / 2,
      dashed: !w.up, tunnel: state,
      ariaLabel: `Tunnel of ${name}, ${r.router.name} to transit router ${r.box.box.name}: ${w.text}, ${state === 'lit' ? 'carries traffic' : state === 'up' ? 'standing by' : 'down'}`,
    });
  });
  return Math.max(...boxes.map((b) => b.box.y + b.box.height));
}
