// A traced packet's path on the topology (topology.ts): each hop's device as a node, and
// the nodes and edges between them, filled in only through vSwitches, the vRouter or the
// Internet, so a packet is never drawn through a gateway it did not cross.

import type { TraceRecord } from '../../../main/engine/trace';
import type { TopoKind, Topology } from './topology';

export interface PathStep {
  device: string;
  decision: string;
  /** The node the hop is drawn on, or null when the map has no such device. */
  nodeId: string | null;
}

export interface TracePath {
  /** Nodes and edges to highlight, in the order the packet met them. */
  nodes: string[];
  edges: string[];
  steps: PathStep[];
  /** The node where the packet was dropped, if it was and the map has it. */
  dropAt: string | null;
}

/**
 * Where a traced packet went on the map: the host it came from, each hop's device, the
 * host it was delivered to. Between two consecutive places that no line joins directly,
 * the shortest way along the map's lines is taken (vSwitch → vRouter → IPv4 gateway),
 * which is the way the cloud carries it; but only through places that decide nothing
 * (vSwitches, the vRouter, the Internet on its way to an EIP), since any other would
 * have left a hop of its own. So a packet traced before the map changed is not drawn
 * along a way it never took.
 */
export function tracePath(t: Topology, r: TraceRecord): TracePath {
  const places: string[] = [];
  const visit = (id: string | null): void => {
    if (id !== null && places[places.length - 1] !== id) places.push(id);
  };
  visit(t.devices.get(r.from) ?? null);
  // A security group's or network ACL's decision is taken at an ENI: drawn on the instance
  // sending (outbound) or on the next place the packet reaches, the instance receiving it (inbound).
  const waiting: PathStep[] = [];
  const reached = (id: string | null): void => {
    if (id === null) return;
    for (const s of waiting.splice(0)) s.nodeId = id;
  };
  const steps = r.hops.map((h) => {
    const filter = filterSide(h.device, h.decision);
    if (filter === 'inbound') {
      const step: PathStep = { device: h.device, decision: h.decision, nodeId: null };
      waiting.push(step);
      return step;
    }
    const nodeId = filter === 'outbound' ? (places[places.length - 1] ?? null) : resolveDevice(t, h.device, places[places.length - 1] ?? null);
    reached(nodeId);
    visit(nodeId);
    // E3.4: a GWLB hands what its backend returned back to the endpoint it came from, which
    // forwards it by its own vSwitch's table: the next hop is decided there.
    const back = RETURNS_TO.exec(h.decision);
    if (nodeId !== null && back) visit(t.devices.get(back[1]) ?? null);
    return { device: h.device, decision: h.decision, nodeId };
  });
  const to = /^delivered to (.+)$/.exec(r.verdict);
  if (r.delivered && to) {
    reached(t.devices.get(to[1]) ?? null);
    visit(t.devices.get(to[1]) ?? null);
  }
  const dropAt = r.delivered ? null : (steps[steps.length - 1]?.nodeId ?? null);
  // An IPsec tunnel's packets cross the Internet (a hop says so), but the map draws the tunnel
  // as one line between its ends: there the Internet is not a place of its own.
  const kinds = new Map(t.nodes.map((n) => [n.id, n.kind]));
  const tunnelEnds = new Set(t.edges.filter((e) => e.tunnel !== undefined).flatMap((e) => [`${e.source} ${e.target}`, `${e.target} ${e.source}`]));
  const way = places.filter((p, i) => !(kinds.get(p) === 'internet' && i > 0 && i < places.length - 1 && tunnelEnds.has(`${places[i - 1]} ${places[i + 1]}`)));

  const adj = adjacency(t);
  const transit = (id: string): boolean => TRANSIT.has(kinds.get(id)!);
  const nodes: string[] = [];
  const edges: string[] = [];
  const addNode = (id: string): void => void (nodes.includes(id) || nodes.push(id));
  way.forEach((p, i) => {
    if (i > 0) {
      for (const step of shortestWay(adj, way[i - 1], p, transit)) {
        if (step.edge !== null && !edges.includes(step.edge)) edges.push(step.edge);
        addNode(step.node);
      }
    }
    addNode(p);
  });
  return { nodes, edges, steps, dropAt };
}

/**
 * Whether a hop is a security group's or network ACL's accept at an ENI, and which way:
 * its device is the group (`sg-… (name)`, several joined by commas), the ACL (`nacl-… (name)`)
 * or `no security group`, and its decision starts with the direction. Drops are recorded on
 * the ENI itself and resolve as any device does.
 */
export function filterSide(device: string, decision: string): 'inbound' | 'outbound' | null {
  if (!/^(sg-|nacl-|no security group)/.test(device)) return null;
  const d = /^(inbound|outbound)\b/.exec(decision);
  return d ? (d[1] as 'inbound' | 'outbound') : null;
}

/** `gwlb-…: cookie 0x…: back to ep-…`: the endpoint a GWLB returns a packet to. */
const RETURNS_TO = /\bback to (\S+)$/;

/** A hop's device as a node. Route tables are labelled `vtb-… (name)` and drawn as the vSwitch the packet is in. */
export function resolveDevice(t: Topology, device: string, previous: string | null): string | null {
  const direct = t.devices.get(device);
  if (direct !== undefined) return direct;
  const candidates = t.tables.get(device.split(' ')[0]);
  if (!candidates || candidates.length === 0) return null;
  if (previous !== null) {
    const here = candidates.find((c) => c === previous || t.parents.get(previous) === c);
    if (here !== undefined) return here;
  }
  return candidates[0];
}

type Adjacency = Map<string, { node: string; edge: string | null }[]>;

function adjacency(t: Topology): Adjacency {
  const adj: Adjacency = new Map();
  const link = (a: string, b: string, edge: string | null): void => {
    for (const [from, to] of [[a, b], [b, a]]) {
      const list = adj.get(from) ?? [];
      list.push({ node: to, edge });
      adj.set(from, list);
    }
  };
  for (const e of t.edges) link(e.source, e.target, e.id);
  for (const [child, parent] of t.parents) link(child, parent, null);
  return adj;
}

const MAX_WAY = 6;
const TRANSIT = new Set<TopoKind>(['vswitch', 'vrouter', 'internet']);

/** The steps after `from` up to and including `to` through `transit` nodes, or none when there is no such way. */
function shortestWay(adj: Adjacency, from: string, to: string, transit: (id: string) => boolean): { node: string; edge: string | null }[] {
  const back = new Map<string, { prev: string; edge: string | null }>();
  let frontier = [from];
  const seen = new Set([from]);
  for (let depth = 0; depth < MAX_WAY && frontier.length > 0 && !seen.has(to); depth++) {
    const next: string[] = [];
    for (const n of frontier) {
      if (n !== from && !transit(n)) continue;
      for (const { node, edge } of adj.get(n) ?? []) {
        if (seen.has(node)) continue;
        seen.add(node);
        back.set(node, { prev: n, edge });
        next.push(node);
      }
    }
    frontier = next;
  }
  if (!seen.has(to) || from === to) return [];
  const way: { node: string; edge: string | null }[] = [];
  for (let n = to; n !== from; n = back.get(n)!.prev) way.unshift({ node: n, edge: back.get(n)!.edge });
  return way;
}

