// What the VPN gateway actions share (VPC API 2016-04-28, SEMANTICS F): the finders with the
// cloud's NotFound codes, CIDR lists as LocalSubnet/RemoteSubnet take them, and the F5 rule on
// route destinations. Lower-case exports only: control-plane.ts registers capitalised ones.
//
// Error codes: the API's documented ones where known (InvalidVpnGatewayInstanceId.NotFound,
// InvalidCustomerGatewayInstanceId.NotFound, InvalidVpnConnectionInstanceId.NotFound,
// VpnGateway.Configuring is never raised: the lab applies changes at once, F9). Where the
// docs are silent the lab chose codes in the same style, each marked "lab code".

import type { ActionContext } from '../context';
import { CLOUD_SERVICE_CIDR, cidrOf, contains, overlaps, type Cidr } from '../cidr';
import { invalid, missing, notFound, quoted } from '../errors';
import type { CloudModel, CustomerGateway, VpnConnection, VpnGateway } from '../model';
import { int, str, type Params } from '../params';
import { checkCidr, formatCidr } from '../../engine/wire/ipv4-addr';

export const ALL_ZERO = '0.0.0.0/0';

export function vpnGatewayOf(ctx: ActionContext, id: string, param = 'VpnGatewayId'): VpnGateway {
  const g = ctx.model.vpnGateways.find((x) => x.VpnGatewayId === id);
  if (!g) throw notFound('InvalidVpnGatewayInstanceId.NotFound', param, id);
  return g;
}

export function customerGatewayOf(ctx: ActionContext, id: string, param = 'CustomerGatewayId'): CustomerGateway {
  const g = ctx.model.customerGateways.find((x) => x.CustomerGatewayId === id);
  if (!g) throw notFound('InvalidCustomerGatewayInstanceId.NotFound', param, id);
  return g;
}

export function vpnConnectionOf(ctx: ActionContext, id: string, param = 'VpnConnectionId'): VpnConnection {
  const c = ctx.model.vpnConnections.find((x) => x.VpnConnectionId === id);
  if (!c) throw notFound('InvalidVpnConnectionInstanceId.NotFound', param, id);
  return c;
}

/** A CIDR block as the API writes it (network address, prefix); host bits set is malformed. */
export function cidrParam(raw: string, param: string, code = 'InvalidCidrBlock.Malformed'): { text: string; c: Cidr } {
  const r = checkCidr(raw.trim(), { bareAddressIsHost: true });
  if (!r.ok) throw invalid(code, param, `${quoted(raw)} is not a valid CIDR block (${r.why})`);
  return { text: formatCidr(r.cidr), c: r.cidr };
}

/** A required CIDR parameter. */
export function reqCidr(p: Params, param: string, code?: string): { text: string; c: Cidr } {
  const raw = str(p, param);
  if (raw === undefined) throw missing(param);
  return cidrParam(raw, param, code);
}

/** The API's maximum number of CIDR blocks in LocalSubnet / RemoteSubnet. */
export const MAX_SUBNETS = 10;

/**
 * LocalSubnet / RemoteSubnet: comma-separated CIDR blocks (F2), each canonical, no repeats.
 * Undefined when not given.
 */
export function subnets(p: Params, param: string): string[] | undefined {
  const raw = p[param];
  if (raw === undefined || raw === '') return undefined;
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const out: string[] = [];
  for (const it of items) {
    if (it.trim() === '') continue;
    const t = cidrParam(it, param).text;
    if (out.includes(t)) throw invalid('InvalidParameter', param, `${t} is given twice`);
    out.push(t);
  }
  if (out.length === 0) return undefined;
  if (out.length > MAX_SUBNETS) throw invalid('InvalidParameter', param, `at most ${MAX_SUBNETS} CIDR blocks, got ${out.length}`);
  return out;
}

/** F2: `0.0.0.0/0` on both sides is destination-routing mode; anything else is protected data flows. */
export const isDestinationRouting = (c: Pick<VpnConnection, 'LocalSubnet' | 'RemoteSubnet'>): boolean =>
  c.LocalSubnet.length === 1 && c.LocalSubnet[0] === ALL_ZERO && c.RemoteSubnet.length === 1 && c.RemoteSubnet[0] === ALL_ZERO;

const SERVICE = cidrOf(CLOUD_SERVICE_CIDR);

/**
 * F5: neither route type may send `0.0.0.0/0`, `100.64.0.0/10`, a subnet of it or a supernet
 * of it to a VPN connection (the docs: it breaks negotiation or the status display). The
 * reason, or undefined when the destination is allowed. 0/0 is itself a supernet of 100.64/10.
 */
export function forbiddenVpnDestination(c: Cidr): string | undefined {
  if (c.len === 0) return `${ALL_ZERO} is not supported as the destination of a VPN gateway route`;
  if (overlaps(c, SERVICE)) {
    const how = contains(SERVICE, c) ? (c.len === SERVICE.len ? 'is' : 'is a subnet of') : 'contains';
    return `${formatCidr(c)} ${how} ${CLOUD_SERVICE_CIDR}, the cloud-service range, which a VPN gateway route may not use as its destination`;
  }
  return undefined;
}

/** The gateway's connections, in creation order. */
export const connectionsOf = (m: CloudModel, vpnGatewayId: string): VpnConnection[] => m.vpnConnections.filter((c) => c.VpnGatewayId === vpnGatewayId);

/** Times as the VPN API answers them: milliseconds since the epoch. */
export const ms = (iso: string): number => Date.parse(iso);

/** `true`/`false` in the API's JSON, where some VPN fields are strings. */
export const boolText = (b: boolean): string => (b ? 'true' : 'false');

/** The classic VPC API's paging (`PageNumber` from 1, `PageSize` 1–50, default 10). */
export function pageOf<T>(p: Params, items: readonly T[]): { items: T[]; PageNumber: number; PageSize: number; TotalCount: number } {
  const PageNumber = int(p, 'PageNumber', 1, 1_000_000, 1);
  const PageSize = int(p, 'PageSize', 1, 50, 10);
  const start = (PageNumber - 1) * PageSize;
  return { items: items.slice(start, start + PageSize), PageNumber, PageSize, TotalCount: items.length };
}

/** Is the connection attached to a transit router's side (CreateVpnAttachment), not a VPN gateway's? */
export const isCenConnection = (c: Pick<VpnConnection, 'AttachType'>): boolean => c.AttachType === 'CEN';

/** The cloud end of a tunnel: its own address (CEN) or its VPN gateway endpoint's; '' when neither. */
export function tunnelEnd(m: Readonly<CloudModel>, c: VpnConnection, index: 1 | 2): { InternetIp: string; ZoneId: string } {
  const t = c.Tunnels.find((x) => x.TunnelIndex === index);
  if (isCenConnection(c)) return { InternetIp: t?.InternetIp ?? '', ZoneId: t?.ZoneId ?? '' };
  const e = m.vpnGateways.find((g) => g.VpnGatewayId === c.VpnGatewayId)?.Endpoints.find((x) => x.TunnelIndex === index);
  return { InternetIp: e?.InternetIp ?? '', ZoneId: e?.ZoneId ?? '' };
}
