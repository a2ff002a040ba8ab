// The app's views, and the one shown for a location hash (`#console`), so a reload or a
// test can open a view directly.

export const VIEWS = [
  { id: 'library', label: 'Library', hint: 'Tutorials: start, stop or reset a lab' },
  { id: 'guide', label: 'Guide', hint: 'Step through the tutorial' },
  { id: 'topology', label: 'Topology', hint: 'The lab drawn: VPCs, vSwitches, hosts, gateways' },
  { id: 'console', label: 'Console', hint: 'VPC resources, like the Alibaba Cloud console' },
  { id: 'terminals', label: 'Terminals', hint: 'A shell on any lab host' },
  { id: 'trace', label: 'Trace', hint: 'Packets hop by hop, counters' },
  { id: 'hosts', label: 'Hosts', hint: 'Lab hosts, run a command' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/** The view a hash names, or null when it names none. */
export function hashView(hash: string): ViewId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0].toLowerCase();
  return VIEWS.find((v) => v.id === id)?.id ?? null;
}

export function viewFromHash(hash: string, fallback: ViewId = 'guide'): ViewId {
  return hashView(hash) ?? fallback;
}

/** Every view but the Library needs a running lab. */
export function needsLab(id: ViewId): boolean {
  return id !== 'library';
}

/** Where the app opens without a hash: the tutorial when a lab runs, else the choice of one. */
export function defaultView(labUp: boolean): ViewId {
  return labUp ? 'guide' : 'library';
}
