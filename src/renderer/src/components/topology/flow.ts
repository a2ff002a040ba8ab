// The topology (lib/topology.ts) in the shape Svelte Flow draws: one custom node type for
// every kind, straight or stepped lines, and the selected packet's path as the `on-path`
// class on its nodes and lines. Nothing is draggable, selectable or deletable: the map is
// drawn from the model, and only actions change the model.

import type { Edge, Node } from '@xyflow/svelte';
import type { Topology, TopoNode } from '../../lib/topology';
import type { TracePath } from '../../lib/topology-path';

export type TopoFlowNode = Node<{ node: TopoNode }, 'topo'>;

export function flowNodes(t: Topology, path: TracePath | null): TopoFlowNode[] {
  const on = new Set(path?.nodes ?? []);
  return t.nodes.map((n) => {
    const classes = ['topo-node', `kind-${n.kind}`];
    if (on.has(n.id)) classes.push('on-path');
    if (path?.dropAt === n.id) classes.push('drop-at');
    return {
      id: n.id,
      type: 'topo',
      position: { x: n.x, y: n.y },
      ...(n.parentId ? { parentId: n.parentId } : {}),
      width: n.width,
      height: n.height,
      data: { node: n },
      class: classes.join(' '),
      draggable: false,
      connectable: false,
      selectable: false,
      deletable: false,
      ariaLabel: `${n.ariaLabel}${path?.dropAt === n.id ? ', the packet was dropped here' : on.has(n.id) ? ', on the selected packet’s path' : ''}`,
      domAttributes: { 'data-testid': `topo-node-${n.name}` },
    };
  });
}

export function flowEdges(t: Topology, path: TracePath | null): Edge[] {
  const on = new Set(path?.edges ?? []);
  return t.edges.map((e) => {
    const classes = ['topo-edge'];
    if (on.has(e.id)) classes.push('on-path');
    if (e.dashed) classes.push('dashed');
    if (e.tunnel) classes.push('tunnel', `tunnel-${e.tunnel}`);
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle,
      targetHandle: e.targetHandle,
      type: e.shape === 'step' ? 'smoothstep' : e.shape === 'lane' ? 'lane' : 'straight',
      ...(e.lane !== undefined ? { data: { lane: e.lane, sourceGutter: e.sourceGutter, targetGutter: e.targetGutter } } : {}),
      class: classes.join(' '),
      selectable: false,
      deletable: false,
      focusable: false,
      ariaLabel: e.ariaLabel,
      domAttributes: { 'data-testid': `topo-edge-${e.id}` },
      // Lanes cross vSwitch frames: drawn over them. The path is drawn over the other lines
      // where they share a stretch (the vRouter's bus, a Geneve lane).
      ...(on.has(e.id) ? { zIndex: 2 } : e.shape === 'lane' ? { zIndex: 1 } : {}),
    };
  });
}

/**
 * A lane's SVG path: out of the source handle vertically to the y `lane`, along it, and
 * vertically into the target handle (the endpoint → GWLB and GWLB → backend lines). With a
 * gutter at an end, that end leaves (or enters) its handle sideways and runs along the
 * gutter's x to the lane instead: a line into a box's side, clear of the boxes above it.
 */
export function lanePath(sx: number, sy: number, tx: number, ty: number, lane: number, sourceGutter?: number, targetGutter?: number): string {
  const out = sourceGutter === undefined ? `L ${sx},${lane}` : `L ${sourceGutter},${sy} L ${sourceGutter},${lane}`;
  const into = targetGutter === undefined ? `L ${tx},${lane} L ${tx},${ty}` : `L ${targetGutter},${lane} L ${targetGutter},${ty} L ${tx},${ty}`;
  return `M ${sx},${sy} ${out} ${into}`;
}
