// The traced packet the user picked, shared by the Trace view (which lists the records) and
// the Topology view (which draws the selected one's path). Module state: one page, one
// selection; the record itself is never edited, so it is held as a plain value.

import type { TraceRecord } from '../../../main/engine/trace';

let record = $state.raw<TraceRecord | null>(null);

export const traceSelection = {
  get record(): TraceRecord | null {
    return record;
  },
  select(r: TraceRecord | null): void {
    record = r;
  },
};
