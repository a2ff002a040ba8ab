// The transit router as a data-plane device (SEMANTICS F1 model 2, F6, F7). Traffic comes in
// from an attachment — a VPC whose route entry's next hop is its attachment, or an IPsec
// connection's appliance with what charon decrypted — and is routed by the route table that
// attachment is associated with (LPM). A destination's equal-cost members share its traffic by
// the 5-tuple hash (ecmp.ts); a member IPsec connection whose tunnel is down is skipped. Out to
// a VPC the packet enters at the TR's ENI and is routed by that vSwitch's route table; out to
// an IPsec connection it goes to the appliance of its usable tunnel, whose charon encrypts it.

import type { Counters, DropReason } from '../counters';
import { Drop } from '../counters';
import { AttachmentKind, type RouteTableFw, type TrAttachmentFw, type TrRouteFw, type VpcFw, type VpnConnFw } from '../forwarding';
import { flowHash, flowKeyOf, newFlowKey } from '../gwlb/flow-key';
import type { TunnelTable } from '../vpn/tunnels';
import type { TraceRecord } from '../trace';
import { ipToString, type Ipv4View } from '../wire/ipv4';
import { MAX_MEMBERS, ecmpPick } from './ecmp';

export interface TrFabric {
  readonly counters: Counters;
  /** Into a VPC by its attachment `by`, routed by `table` (the TR's ENI's vSwitch table), marked as coming from the TR. */
  intoVpc(vpc: VpcFw, table: RouteTableFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null, by: TrAttachmentFw): void;
  /** Out over an IPsec connection (engine/vpn/device.ts sendOver). */
  overConnection(conn: VpnConnFw, where: string, rule: string, buf: Buffer, off: number, len: number, tr: TraceRecord | null): boolean;
  drop(device: number, reason: DropReason, where: string, why: string, tr: TraceRecord | null): void;
  vpcs(): readonly VpcFw[];
}

export class TransitRouterDevice {
  private readonly key = newFlowKey();
  private readonly scratch: TrAttachmentFw[] = new Array<TrAttachmentFw>(MAX_MEMBERS);
  private readonly count = { n: 0 };
  private readonly usable = (a: TrAttachmentFw): boolean => a.kind === AttachmentKind.Vpc || (a.conn !== null && this.tunnels.effective(a.conn) !== null);

  constructor(private readonly ip: Ipv4View, private readonly fab: TrFabric, private readonly tunnels: TunnelTable) {}

  /** A packet brought in by attachment `from` (`ip` wraps it). */
  fromAttachment(from: TrAttachmentFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const c = this.fab.counters;
    c.rxPacket(from.device, len);
    c.rxPacket(from.tr.device, len);
    const table = from.table;
    if (table === null) return this.fab.drop(from.device, Drop.NoRoute, from.tr.id, `${from.id} is associated with no route table`, tr);
    c.rxPacket(table.device, len);
    const dst = this.ip.dst;
    const route = table.lpm.lookup(dst);
    if (route === undefined) return this.fab.drop(table.device, Drop.NoRoute, table.label, `no route matches ${ipToString(dst)}`, tr);
    if (route.blackhole) return this.fab.drop(table.device, Drop.NoRoute, table.label, `${route.rule}: a blackhole route`, tr);
    const h = route.members.length > 1 ? flowHash(flowKeyOf(this.ip, buf, this.key)) : 0;
    const to = ecmpPick(h, route.members, this.usable, this.scratch, this.count);
    if (to === null) return this.fab.drop(table.device, Drop.TunnelDown, table.label, `${route.rule}: no tunnel of ${route.members.length > 1 ? 'any member' : 'its connection'} is up`, tr);
    if (to === from) return this.fab.drop(table.device, Drop.NoRoute, table.label, `${route.rule}: back to ${from.id}, where it came from`, tr);
    c.txPacket(table.device, len);
    c.txPacket(from.tr.device, len);
    const rule = tr !== null ? this.why(route, to) : '';
    if (to.kind === AttachmentKind.Vpn) {
      if (this.fab.overConnection(to.conn!, table.label, rule, buf, off, len, tr)) c.txPacket(to.device, len);
      return;
    }
    if (to.vpcTable === null) return this.fab.drop(to.device, Drop.NoRoute, to.label, 'its vSwitch has no route table', tr);
    c.txPacket(to.device, len);
    if (tr !== null) tr.hops.push({ device: table.label, decision: rule });
    this.fab.intoVpc(this.fab.vpcs()[to.vpc], to.vpcTable, buf, off, len, tr, to);
  }

  /** The trace's words for the choice: the route, and for ECMP which member and why. */
  private why(route: TrRouteFw, to: TrAttachmentFw): string {
    const all = route.members.length;
    if (all === 1) return `${route.rule} → ${to.label}`;
    const up = this.count.n;
    const down = all - up;
    return `${route.rule}: ECMP, the 5-tuple hash picks ${to.label}, member ${route.members.indexOf(to) + 1} of ${all}` +
      (down > 0 ? ` (${down} down, left out)` : '');
  }
}
