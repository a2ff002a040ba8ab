// The lab's DNS zone, derived from the model: A records for the names of Internet hosts,
// their PTR records, and the CNAMEs. The VPC DNS and the public resolvers serve the same zone.

import type { CloudModel } from '../cloud/model';
import type { Zone } from '../services/zone';
import { ptrName } from '../services/zone';

export function zoneOf(model: CloudModel): Zone {
  const records: Zone['records'] = [];
  for (const h of model.internetHosts) {
    for (const n of h.DnsNames) records.push({ name: n, type: 'A', value: h.IpAddress });
    if (h.PtrName) records.push({ name: ptrName(h.IpAddress), type: 'PTR', value: h.PtrName });
  }
  for (const c of model.cnames) records.push({ name: c.Name, type: 'CNAME', value: c.Target });
  return { ttl: 600, records };
}
