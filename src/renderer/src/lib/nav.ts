// The app's views, and the one shown for a location hash (`#console`), so a reload or a
// test can open a view directly.

export const VIEWS = [
  { id: 'guide', label: 'Guide', hint: 'Step through the tutorial' },
  { id: 'console', label: 'Console', hint: 'VPC resources, like the Alibaba Cloud console' },
  { id: 'trace', label: 'Trace', hint: 'Packets hop by hop, counters' },
  { id: 'hosts', label: 'Hosts', hint: 'Lab hosts, run a command' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0].toLowerCase();
  return VIEWS.find((v) => v.id === id)?.id ?? 'guide';
}
