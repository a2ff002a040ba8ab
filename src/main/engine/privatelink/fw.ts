// Forwarding state of PrivateLink interface endpoints, compiled from the model
// (cloud/compile-privatelink.ts) like the rest of ForwardingState: numbers for the hot path,
// strings only for the trace.

import type { EniFilterFw } from '../filter/rules';
import type { RouteTableFw } from '../forwarding';

/** The cloud service behind a managed endpoint service: where translated requests go. */
export interface PlServiceFw {
  /** The host name the trace uses (`OSS`). */
  name: string;
  ip: number;
  port: number;
}

/** One zone's ENI of an interface endpoint: a VPC address no ECS holds. */
export interface PlEniFw {
  endpointId: string;
  eniId: string;
  /** counters.device(EndpointId): every zone of an endpoint counts to the endpoint. */
  device: number;
  /** Index into vpcs. */
  vpc: number;
  ip: number;
  /** Its vSwitch's route table: replies to clients are routed by it. */
  table: RouteTableFw | null;
  /** Null when the cloud service has no host wired (yet). */
  service: PlServiceFw | null;
  /** Session owner key, given by the engine's PrivateLink device when the state is loaded. */
  key: number;
  /** The next ENI at the same address in another VPC (overlapping CIDRs), or null. */
  sameAddr: PlEniFw | null;
  /** Its security groups and its vSwitch's ACL (null: nothing to check). */
  filter: EniFilterFw | null;
}

export interface PrivateLinkFw {
  /** ENI address → the ENIs at it, chained by sameAddr (one per VPC). */
  byAddr: Map<number, PlEniFw>;
  enis: PlEniFw[];
}

export const emptyPrivateLink = (): PrivateLinkFw => ({ byAddr: new Map(), enis: [] });
