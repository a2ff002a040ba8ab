// Security groups and network ACLs at an ENI (SEMANTICS H1–H5): what an ECS sends passes its
// security groups' outbound rules, then its vSwitch's ACL outbound entries; what is delivered
// to it passes the ACL's inbound entries, then the groups' inbound rules (H5). The groups are
// stateful (H3): a flow is classified once, when it starts, and its replies pass; the ACL is
// stateless: each direction of a flow needs an entry of its own (the one that accepted a
// direction is kept with the flow's session). Every decision is counted on the rule or entry that
// made it, and a trace names the group or ACL, the rule, its priority, policy and direction.

import type { Counters } from '../counters';
import { Drop, type DropReason } from '../counters';
import { outboundFlow, inboundFlow, type FlowOut } from '../nat';
import type { TraceRecord } from '../trace';
import { IpProtocol, ipToString, Ipv4Reason, Ipv4View, parseIp } from '../wire/ipv4';
import { aclDecide, sgDecide, type AclSideFw, type EniFilterFw, type Probe, type SgSideFw } from './rules';
import { Origin, SgSessions, type SgSession } from './sessions';

export interface FilterHost {
  counters: Counters;
  drop(device: number, reason: DropReason, where: string, why: string, tr: TraceRecord | null): void;
}

/** ICMP types that quote a datagram (RFC 792): related to the quoted flow, never a flow of their own. */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

export class EniFilterDevice {
  readonly sessions: SgSessions;
  private readonly view = new Ipv4View();
  private readonly flow: FlowOut = { protocol: 0, privPort: 0, remoteIp: 0, remotePort: 0 };
  private readonly probe: Probe = { protocol: 0, dport: -1, peer: 0 };
  /** The buffer the view wraps. */
  private viewBuf: Buffer = Buffer.alloc(0);

  constructor(private readonly host: FilterHost, now: () => number) {
    this.sessions = new SgSessions(now);
  }

  /** A packet the ENI at `port` sends (device `device`, named `name`). False: dropped, counted and traced here. */
  egress(port: number, device: number, name: string, f: EniFilterFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): boolean {
    if (!this.wrap(buf, off, len)) return true;
    const ip = this.view;
    if (exempt(ip.dst)) return true;
    this.setProbe(ip.dst, buf);
    const s = this.group(port, device, name, f.sgOut, Origin.Out, this.lookup(port, f, Origin.Out, buf), tr);
    if (s === false) return false;
    return f.aclOut === null || this.acl(device, name, f.aclOut, ip.dst, len, tr, s, Origin.Out);
  }

  /** A packet delivered to the ENI at `port`. False: dropped, counted and traced here. */
  ingress(port: number, device: number, name: string, f: EniFilterFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): boolean {
    if (!this.wrap(buf, off, len)) return true;
    const ip = this.view;
    if (exempt(ip.src)) return true;
    this.setProbe(ip.src, buf);
    const s = this.lookup(port, f, Origin.In, buf);
    if (f.aclIn !== null && !this.acl(device, name, f.aclIn, ip.src, len, tr, s ?? null, Origin.In)) return false;
    return this.group(port, device, name, f.sgIn, Origin.In, s, tr) !== false;
  }

  /**
   * The packet's flow into `this.flow` and its session, when the ENI keeps sessions: null when
   * the packet has no flow (or none is kept), undefined when the flow has no live session.
   * Not refreshed here: a packet the ACL drops must not keep its session alive.
   */
  private lookup(port: number, f: EniFilterFw, origin: number, buf: Buffer): SgSession | null | undefined {
    const fl = this.flow;
    if (!f.stateful || !(origin === Origin.Out ? outboundFlow(this.view, buf, fl) : inboundFlow(this.view, buf, fl))) return null;
    return this.sessions.peek(port, fl.protocol, fl.privPort, fl.remoteIp, fl.remotePort);
  }

  /** Counted on the rule or entry that decided (registered as a device at its first hit, so unused rules list nothing). */
  private hit(r: { device: number; counterName: string }, len: number): void {
    if (r.device < 0) r.device = this.host.counters.device(r.counterName);
    this.host.counters.rxPacket(r.device, len);
  }

  /** The engine checked the header already; a view of our own, since a device may hand us another buffer. */
  private wrap(buf: Buffer, off: number, len: number): boolean {
    this.viewBuf = buf;
    return this.view.wrap(buf, off, len, false) === Ipv4Reason.Ok;
  }

  private setProbe(peer: number, buf: Buffer): void {
    const ip = this.view;
    const p = this.probe;
    p.protocol = ip.protocol;
    p.peer = peer;
    p.dport = -1;
    if ((p.protocol === IpProtocol.Tcp || p.protocol === IpProtocol.Udp) && ip.hasTransportHeader && ip.payloadLength >= 4) {
      const o = ip.payloadOffset;
      p.dport = (buf[o + 2] << 8) | buf[o + 3];
    }
  }

  private isIcmpError(buf: Buffer): boolean {
    const ip = this.view;
    return ip.protocol === IpProtocol.Icmp && ip.hasTransportHeader && ip.payloadLength >= 1 && ICMP_ERRORS.has(buf[ip.payloadOffset]);
  }

  /**
   * H1–H3 for one direction (`origin`: Out for what the ENI sends, In for what it receives),
   * given the flow's session from lookup(). False: dropped; else the flow's session (null: none kept).
   */
  private group(port: number, device: number, name: string, side: SgSideFw, origin: number, s: SgSession | null | undefined, tr: TraceRecord | null): SgSession | null | false {
    const ip = this.view;
    const fl = this.flow;
    const hasFlow = s !== null;
    const error = this.isIcmpError(this.viewBuf);
    if (s !== undefined && s !== null) {
      if (s.origin !== origin) {
        this.sessions.refresh(s);
        if (s.rule !== null) this.hit(s.rule, ip.totalLength);
        if (tr !== null) tr.hops.push({ device: side.groups, decision: `${side.direction}: ${error ? 'related to' : 'a reply of'} a connection ${s.rule === null ? 'an implicit rule' : `rule ${s.rule.id}`} accepted (stateful)` });
        return s;
      }
      if (s.by === side && !error) {
        this.sessions.refresh(s);
        if (s.rule !== null) this.hit(s.rule, ip.totalLength);
        if (tr !== null) tr.hops.push({ device: s.rule?.group ?? side.groups, decision: `${side.direction}: an accepted connection (${s.rule === null ? 'implicit rule' : `rule ${s.rule.id}: ${s.rule.text}`})` });
        return s;
      }
    }
    const peer = this.probe.peer;
    // SG4: with internal access on, members of one basic group reach each other whatever the rules say.
    const inner = side.implicitPeers?.has(peer) === true;
    const rule = inner ? null : sgDecide(side, this.probe);
    if (inner || (rule !== null ? rule.accept : side.implicitAccept)) {
      if (rule !== null) this.hit(rule, ip.totalLength);
      if (tr !== null) tr.hops.push(rule !== null ? { device: rule.group, decision: `${side.direction} rule ${rule.id} accepts (${rule.text})` } : { device: side.groups, decision: `${side.direction}: ${inner ? '' : 'no rule matches; '}${implicitWhy(side, peer)}` });
      return hasFlow && !error ? this.sessions.open(port, fl.protocol, fl.privPort, fl.remoteIp, fl.remotePort, origin, side, rule) : null;
    }
    if (hasFlow) this.sessions.close(port, fl.protocol, fl.privPort, fl.remoteIp, fl.remotePort);
    if (rule !== null) {
      this.hit(rule, ip.totalLength);
      this.host.drop(device, Drop.SecurityGroup, name, `${rule.group} ${side.direction} rule ${rule.id} (${rule.text})`, tr);
    } else {
      this.host.drop(device, Drop.SecurityGroup, name, `no ${side.direction} rule of its security groups (${side.groups}) accepts ${describeProbe(this.probe, side.direction)}`, tr);
    }
    return false;
  }

  /**
   * H4: the first entry that matches decides; stateless — each direction of a flow on its own.
   * An entry matches on what is the same for every packet of a flow one way (protocol,
   * destination port, peer), so the entry that accepted it is kept in the flow's session, for
   * that direction and that entry list, and its next packets skip the walk.
   */
  private acl(device: number, name: string, side: AclSideFw, peer: number, len: number, tr: TraceRecord | null, s: SgSession | null, dir: number): boolean {
    if (side.own !== null && ((peer & side.own.mask) >>> 0) === side.own.addr) return true;
    const cached = s === null ? null : dir === Origin.Out ? (s.aclOutBy === side ? s.aclOutEntry : null) : s.aclInBy === side ? s.aclInEntry : null;
    const e = cached ?? aclDecide(side, this.probe);
    if (e !== null && e.accept) {
      this.hit(e, len);
      if (s !== null && cached === null) {
        if (dir === Origin.Out) {
          s.aclOutBy = side;
          s.aclOutEntry = e;
        } else {
          s.aclInBy = side;
          s.aclInEntry = e;
        }
      }
      if (tr !== null) tr.hops.push({ device: side.label, decision: `${side.direction} entry ${e.id} accepts (${e.text})` });
      return true;
    }
    if (e !== null) this.hit(e, len);
    this.host.drop(device, Drop.NetworkAcl, name, e !== null ? `${side.label} ${side.direction} entry ${e.id} (${e.text})` : `no ${side.direction} entry of ${side.label} matches`, tr);
    return false;
  }
}

function implicitWhy(side: SgSideFw, peer: number): string {
  if (side.implicitPeers?.has(peer)) return `accepted: ${ipToString(peer)} is an instance of the same basic security group (internal access)`;
  return 'accepted: a basic security group allows all outbound traffic';
}

/** ACL7: the VPC DNS and the metadata service are reached whatever the rules say. */
function exempt(peer: number): boolean {
  const block = (peer & 0xfffffff0) >>> 0;
  return block === DNS_A || block === DNS_B || peer === METADATA;
}
const DNS_A = parseIp('100.100.2.128');
const DNS_B = parseIp('100.100.2.112');
const METADATA = parseIp('100.100.100.200');

function describeProbe(p: Probe, direction: string): string {
  const proto = p.protocol === IpProtocol.Tcp ? 'tcp' : p.protocol === IpProtocol.Udp ? 'udp' : p.protocol === IpProtocol.Icmp ? 'icmp' : `protocol ${p.protocol}`;
  return `${proto}${p.dport >= 0 ? ` port ${p.dport}` : ''} ${direction === 'inbound' ? 'from' : 'to'} ${ipToString(p.peer)}`;
}
