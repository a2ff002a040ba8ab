// The statuses the GWLB and PrivateLink APIs report as asynchronous (a GWLB is
// `Provisioning`, then `Active`), derived when read from the resource's CreateTime and the
// control plane's clock. The lab builds everything at once; showing the first status for
// one second lets a script written against the cloud, which polls until `Active`, run
// unchanged, and keeps the model free of statuses that would need a timer to change.

import type { GwlbListener, GwlbLoadBalancer, GwlbServer, GwlbServerGroup, InterfaceEndpoint, VpcEndpoint, VpcEndpointService } from '../model';

/** How long a new resource shows its first (in-progress) status. */
export const SETTLE_MS = 1000;

const settled = (createTime: string, now: number): boolean => now - Date.parse(createTime) >= SETTLE_MS;

export const loadBalancerStatus = (lb: GwlbLoadBalancer, now: number): 'Provisioning' | 'Active' =>
  settled(lb.CreateTime, now) ? 'Active' : 'Provisioning';

export const serverGroupStatus = (g: GwlbServerGroup, now: number): 'Creating' | 'Available' =>
  settled(g.CreateTime, now) ? 'Available' : 'Creating';

export const listenerStatus = (l: GwlbListener, now: number): 'Provisioning' | 'Running' =>
  settled(l.CreateTime, now) ? 'Running' : 'Provisioning';

export const serviceStatus = (s: VpcEndpointService, now: number): 'Creating' | 'Active' =>
  settled(s.CreateTime, now) ? 'Active' : 'Creating';

export const endpointStatus = (e: VpcEndpoint | InterfaceEndpoint, now: number): 'Creating' | 'Active' =>
  settled(e.CreateTime, now) ? 'Active' : 'Creating';

/** A removed server with connection draining on stays `Draining` until DrainEndTime, then is gone. */
export const drained = (s: GwlbServer, now: number): boolean =>
  s.Status === 'Draining' && s.DrainEndTime !== undefined && now >= Date.parse(s.DrainEndTime);

/** The servers of a group as the API shows them now: draining ones until their drain ends. */
export const currentServers = (g: GwlbServerGroup, now: number): GwlbServer[] => g.Servers.filter((s) => !drained(s, now));
