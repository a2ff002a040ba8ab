// The lab's DNS zone, derived from the model: A records for the names of Internet hosts and
// cloud services, the hosts' PTR records, and the CNAMEs. The VPC DNS and the public resolvers serve the same zone.

import { interfaceEndpointRecords } from '../cloud/actions/privatelink-interface';
import { ApiError } from '../cloud/errors';
import type { CloudModel } from '../cloud/model';
import { parseZone, ptrName, ZoneError, type Zone } from '../services/zone';

export function zoneOf(model: CloudModel): Zone {
  const records: Zone['records'] = [];
  for (const h of model.internetHosts) {
    for (const n of h.DnsNames) records.push({ name: n, type: 'A', value: h.IpAddress });
    if (h.PtrName) records.push({ name: ptrName(h.IpAddress), type: 'PTR', value: h.PtrName });
  }
  for (const s of model.cloudServices) for (const n of s.DomainNames) records.push({ name: n, type: 'A', value: s.IpAddress });
  for (const c of model.cnames) records.push({ name: c.Name, type: 'CNAME', value: c.Target });
  // PrivateLink endpoint domains resolve to their ENIs' VPC addresses, as the VPC DNS answers them.
  for (const r of interfaceEndpointRecords(model)) records.push({ name: r.name, type: 'A', value: r.ip });
  return { ttl: 600, records };
}

/**
 * Refuses a model whose zone the DNS services would refuse: they keep serving the old zone
 * then, and every later change of names would be lost without a word. The actions check
 * names themselves; this is the same rule the servers apply, as the last word.
 */
export function checkZone(model: CloudModel): void {
  try {
    parseZone(zoneOf(model));
  } catch (e) {
    if (e instanceof ZoneError) throw new ApiError('InvalidParameter', `the lab's DNS zone would be invalid: ${e.message}`);
    throw e;
  }
}
