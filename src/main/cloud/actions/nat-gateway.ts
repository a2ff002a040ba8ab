// The Internet NAT gateway (SEMANTICS D1–D15): create (with its private IP and the D2 default
// route), modify, describe, delete (plain or forced); its SNAT table (D4–D6) and DNAT table
// (D9–D10). EIP association with a NAT gateway lives in eip.ts, the NatGateway next hop in
// route-table.ts, the IPv4-gateway interplay (D12) on both sides.
//
// Error codes: documented Alibaba codes where one is known (InvalidNatGatewayId.NotFound,
// DependencyViolation.SnatEntry/ForwardEntry/EIPS, OperationUnsupported.ForwardEntry,
// InvalidProtocal.ValueNotSupported, Forbidden.DestnationIpOutOfVpcCIDR, EIP_NOT_IN_GATEWAY,
// the Invalid*.Malformed family); the others are lab codes in the same style, marked "lab code".

import { action, type ActionContext } from '../context';
import { cidrOf, containsIp, isReserved } from '../cidr';
import { ApiError, invalid, missing, notFound, quoted } from '../errors';
import type { CloudModel, Eip, ForwardEntry, NatGateway, SnatEntry, VSwitch } from '../model';
import { bool, cidr, ip, name, oneOf, reqStr, str, list, type Params } from '../params';
import { ipToString, parseIp } from '../../engine/wire/ipv4';
import { MAX_CUSTOM_ENTRIES } from './route-table';

// D3 quotas (defaults; the lab has no quota-increase call).
export const MAX_NAT_PER_VPC = 5;
export const MAX_EIPS_PER_NAT = 20;
/** D1: a NAT gateway in EipBindMode NAT takes at most 50 EIPs; the default quota (20) binds first. */
export const MAX_EIPS_NAT_MODE = 50;
export const MAX_SNAT_ENTRIES = 40;
export const MAX_FORWARD_ENTRIES = 100;
/** D12: MULTI_BINDED → NAT is only supported with at most this many EIPs. */
export const MAX_EIPS_FOR_MODE_SWITCH = 5;
/** D7: the SNAT source-port range; DNAT public ports above its start clash with SNAT (D10.6). */
export const SNAT_PORT_MIN = 1025;
export const SNAT_PORT_MAX = 65535;
const ALL_ZERO = '0.0.0.0/0';

// ---------------------------------------------------------------------------------------
// Shared helpers (lower-case names: control-plane.ts registers only capitalised exports)

/** The EIPs associated with a NAT gateway, in association order. */
export function natEips(model: CloudModel, gw: NatGateway): Eip[] {
  return model.eips.filter((e) => e.InstanceType === 'Nat' && e.InstanceId === gw.NatGatewayId);
}

/**
 * Private addresses of the VPC already in use: ECS, NAT gateways (D1), the extra address each
 * EIP of a NAT-mode NAT gateway takes (D1), a GWLB's address in each of its zones (E1) and
 * each GWLB or interface endpoint's ENI (E2), and each VPN gateway tunnel endpoint (F3). Instances are unique per VPC (hosts.ts), so the set is per
 * VPC too; every resource that takes an address takes it through this set, so no two share one.
 */
export function usedPrivateIps(model: CloudModel, vpcId: string): Set<string> {
  const used = new Set<string>();
  for (const i of model.instances) if (i.VpcId === vpcId) used.add(i.PrivateIpAddress);
  const gws = model.natGateways.filter((g) => g.VpcId === vpcId);
  for (const g of gws) {
    used.add(g.PrivateIpAddress);
    for (const e of natEips(model, g)) if (e.PrivateIpAddress) used.add(e.PrivateIpAddress);
  }
  for (const lb of model.gwlbs) {
    if (lb.VpcId !== vpcId) continue;
    for (const z of lb.ZoneMappings) for (const a of z.LoadBalancerAddresses) used.add(a.PrivateIpv4Address);
  }
  for (const ep of model.endpoints) if (ep.VpcId === vpcId) used.add(ep.Zone.EniIp);
  for (const ep of model.interfaceEndpoints) if (ep.VpcId === vpcId) for (const z of ep.Zones) used.add(z.EniIp);
  // A VPN gateway's two tunnel endpoints (F3) each hold an address of their vSwitch.
  for (const g of model.vpnGateways) if (g.VpcId === vpcId) for (const e of g.Endpoints) used.add(e.PrivateIpAddress);
  // A transit router's ENI in each vSwitch of a VPC attachment.
  for (const a of model.trAttachments) if (a.ResourceType === 'VPC' && a.ResourceId === vpcId) for (const z of a.ZoneMappings) used.add(z.NetworkInterfaceIp);
  return used;
}

/** The lowest free, unreserved address of `vsw` (A1), or undefined. */
export function freePrivateIp(model: CloudModel, vsw: VSwitch, alsoTaken: ReadonlySet<string> = new Set()): string | undefined {
  const block = cidrOf(vsw.CidrBlock);
  const used = usedPrivateIps(model, vsw.VpcId);
  const size = 2 ** (32 - block.len);
  for (let i = 0; i < size; i++) {
    const a = (block.addr + i) >>> 0;
    if (isReserved(block, a)) continue;
    const t = ipToString(a);
    if (!used.has(t) && !alsoTaken.has(t)) return t;
  }
  return undefined;
}

export const ipNotEnough = (vsw: VSwitch, why: string): ApiError =>
  new ApiError('InvalidVSwitchId.IpNotEnough', `vSwitch ${vsw.VSwitchId} (${vsw.CidrBlock}) has no free private IP ${why}.`, 400, 'VSwitchId');

function snatTable(ctx: ActionContext, id: string, param = 'SnatTableId'): NatGateway {
  const gw = ctx.model.natGateways.find((g) => g.SnatTableId === id);
  if (!gw) throw notFound('InvalidSnatTableId.NotFound', param, id);
  return gw;
}

function forwardTable(ctx: ActionContext, id: string, param = 'ForwardTableId'): NatGateway {
  const gw = ctx.model.natGateways.find((g) => g.ForwardTableId === id);
  if (!gw) throw notFound('InvalidForwardTableId.NotFound', param, id);
  return gw;
}

/** MULTI_BINDED NAT gateways block IPv4 gateways and vice versa (D12, B3/B4). */
export function multiBindedNat(model: CloudModel, vpcId: string): NatGateway | undefined {
  return model.natGateways.find((g) => g.VpcId === vpcId && g.EipBindMode === 'MULTI_BINDED');
}

/** `EipAffinity` as the API takes it: 0/1 (integer in the API) or true/false. */
function affinity(p: Params, dflt: boolean): boolean {
  const v = p.EipAffinity;
  if (v === undefined || v === '') return dflt;
  const s = String(v).toLowerCase();
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  throw invalid('InvalidParameter', 'EipAffinity', `expected 0, 1, true or false, got ${quoted(String(v))}`);
}

// ---------------------------------------------------------------------------------------
// The gateway

/**
 * D1/D2/D3/D12. The gateway takes the lowest free private IP of its vSwitch. The first NAT
 * gateway of a VPC (none exists there yet) adds `0.0.0.0/0 → NatGateway` to the VPC's system
 * route table when that table has no 0/0 entry (custom tables are never touched; a system
 * table already at its custom-entry quota gets no route either).
 */
export const CreateNatGateway = action(['VpcId', 'VSwitchId', 'NatType', 'NetworkType', 'EipBindMode', 'IcmpReplyEnabled', 'Name', 'Description'], (ctx, p) => {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  const vsw = ctx.vswitch(reqStr(p, 'VSwitchId'));
  if (vsw.VpcId !== vpc.VpcId) throw invalid('OperationDenied.VpcNotMatch', 'VSwitchId', `${vsw.VSwitchId} is in ${vsw.VpcId}, not in ${vpc.VpcId}`);
  oneOf(p, 'NatType', ['Enhanced'] as const, 'Enhanced');
  if (str(p, 'NetworkType') === 'intranet') {
    throw new ApiError('UnsupportedFeature.NetworkType', 'VPC NAT gateways (NetworkType intranet) are not modelled by this lab; use internet.', 400, 'NetworkType');
  }
  oneOf(p, 'NetworkType', ['internet'] as const, 'internet');
  const EipBindMode = oneOf(p, 'EipBindMode', ['MULTI_BINDED', 'NAT'] as const, 'MULTI_BINDED');
  const IcmpReplyEnabled = bool(p, 'IcmpReplyEnabled', true);
  const Name = name(p, 'Name', 'InvalidName.Malformed') ?? '';
  const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 256) ?? '';
  const mine = ctx.model.natGateways.filter((g) => g.VpcId === vpc.VpcId);
  if (mine.length >= MAX_NAT_PER_VPC) throw invalid('QuotaExceeded.NatGateway', 'VpcId', `a VPC holds at most ${MAX_NAT_PER_VPC} NAT gateways (natgw_quota_nat_num_per_vpc)`);
  const igw = ctx.model.ipv4Gateways.find((g) => g.VpcId === vpc.VpcId);
  if (igw && EipBindMode === 'MULTI_BINDED') {
    // D12, lab code: next to an IPv4 gateway only the NAT ("EIP normal") bind mode works.
    throw invalid('OperationDenied.Ipv4GatewayExist', 'EipBindMode', `${vpc.VpcId} has IPv4 gateway ${igw.Ipv4GatewayId}; a NAT gateway there needs EipBindMode=NAT`);
  }
  const PrivateIpAddress = freePrivateIp(ctx.model, vsw);
  if (!PrivateIpAddress) throw ipNotEnough(vsw, 'for the NAT gateway');
  const NatGatewayId = ctx.newId('ngw');
  const SnatTableId = ctx.newId('stb');
  const ForwardTableId = ctx.newId('ftb');
  ctx.model.natGateways.push({
    NatGatewayId, Name, Description, VpcId: vpc.VpcId, VSwitchId: vsw.VSwitchId, PrivateIpAddress, NatType: 'Enhanced', NetworkType: 'internet',
    EipBindMode, IcmpReplyEnabled, Status: 'Available', SnatTableId, ForwardTableId, SnatEntries: [], ForwardEntries: [], CreationTime: ctx.isoNow(),
  });
  const sys = ctx.routeTable(vpc.RouteTableId);
  if (mine.length === 0 && !sys.Entries.some((e) => e.DestinationCidrBlock === ALL_ZERO) && sys.Entries.length < MAX_CUSTOM_ENTRIES) {
    sys.Entries.push({
      RouteEntryId: ctx.newId('rte'), RouteTableId: sys.RouteTableId, DestinationCidrBlock: ALL_ZERO, NextHopType: 'NatGateway', NextHopId: NatGatewayId,
      RouteEntryName: '', Type: 'Custom', Status: 'Available',
    });
  }
  return { NatGatewayId, SnatTableIds: { SnatTableId: [SnatTableId] }, ForwardTableIds: { ForwardTableId: [ForwardTableId] } };
});

/** `1025-1030` → [1025, 1030]; lab-only (see ModifyNatGatewayAttribute). */
function labPortRange(raw: string): [number, number] {
  const m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(raw.trim());
  const a = m ? Number(m[1]) : NaN;
  const b = m ? Number(m[2]) : NaN;
  if (!(a >= SNAT_PORT_MIN && a <= b && b <= SNAT_PORT_MAX)) {
    throw invalid('InvalidParameter', 'LabPortRange', `${quoted(raw)} is not a range a-b with ${SNAT_PORT_MIN} <= a <= b <= ${SNAT_PORT_MAX} (empty resets to ${SNAT_PORT_MIN}-${SNAT_PORT_MAX})`);
  }
  return [a, b];
}

/**
 * Name, Description, IcmpReplyEnabled (D11) and EipBindMode (D12). The bind mode only switches
 * MULTI_BINDED → NAT, and only with at most 5 EIPs [U19]; each EIP then takes one private IP of
 * the gateway's vSwitch (D1), all or none. NAT → MULTI_BINDED is refused (lab code
 * `OperationUnsupported.EipBindMode`: only the one direction is documented).
 *
 * `LabPortRange` is LAB-ONLY (not an Alibaba parameter): it narrows the SNAT source-port range
 * of this gateway (default 1025–65535, D7) so that port exhaustion and ErrorPortAllocationCount
 * can be shown with a handful of connections. `a-b` with 1025 <= a <= b <= 65535; an empty string
 * resets it to the real range.
 */
export const ModifyNatGatewayAttribute = action(['NatGatewayId', 'Name', 'Description', 'IcmpReplyEnabled', 'EipBindMode', 'LabPortRange'], (ctx, p) => {
  const gw = ctx.natGateway(reqStr(p, 'NatGatewayId'));
  const Name = name(p, 'Name', 'InvalidName.Malformed');
  const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 256);
  const icmp = p.IcmpReplyEnabled === undefined || p.IcmpReplyEnabled === '' ? undefined : bool(p, 'IcmpReplyEnabled', true);
  const mode = str(p, 'EipBindMode') === undefined ? undefined : oneOf(p, 'EipBindMode', ['MULTI_BINDED', 'NAT'] as const);
  let range: [number, number] | null | undefined;
  if (p.LabPortRange === '') range = null;
  else if (p.LabPortRange !== undefined) range = labPortRange(String(p.LabPortRange));
  if (mode !== undefined && mode !== gw.EipBindMode) {
    if (mode === 'MULTI_BINDED') {
      throw invalid('OperationUnsupported.EipBindMode', 'EipBindMode', `${gw.NatGatewayId} is in NAT mode; only MULTI_BINDED → NAT is supported`);
    }
    const eips = natEips(ctx.model, gw);
    if (eips.length > MAX_EIPS_FOR_MODE_SWITCH) {
      throw invalid('OperationDenied.EipCountExceeded', 'EipBindMode', `${gw.NatGatewayId} has ${eips.length} EIPs; switching to NAT mode needs at most ${MAX_EIPS_FOR_MODE_SWITCH}`);
    }
    const vsw = ctx.vswitch(gw.VSwitchId);
    for (const e of eips) {
      const addr = freePrivateIp(ctx.model, vsw);
      if (!addr) throw ipNotEnough(vsw, `for EIP ${e.IpAddress} of ${gw.NatGatewayId} in NAT mode`);
      e.PrivateIpAddress = addr;
    }
    gw.EipBindMode = mode;
  }
  if (Name !== undefined) gw.Name = Name;
  if (Description !== undefined) gw.Description = Description;
  if (icmp !== undefined) gw.IcmpReplyEnabled = icmp;
  if (range === null) delete gw.LabPortRange;
  else if (range !== undefined) gw.LabPortRange = range;
  return {};
});

/** The API's view: IpLists (its EIPs), table IDs, private info; LabPortRange is lab-only. */
function view(model: CloudModel, g: NatGateway): Record<string, unknown> {
  const usage = (addr: string): string =>
    g.SnatEntries.some((s) => s.SnatIp.includes(addr)) ? 'UsedBySnatTable' : g.ForwardEntries.some((f) => f.ExternalIp === addr) ? 'UsedByForwardTable' : 'Idle';
  return {
    NatGatewayId: g.NatGatewayId,
    Name: g.Name,
    Description: g.Description,
    VpcId: g.VpcId,
    NatType: g.NatType,
    NetworkType: g.NetworkType,
    Status: g.Status,
    EipBindMode: g.EipBindMode,
    IcmpReplyEnabled: g.IcmpReplyEnabled,
    CreationTime: g.CreationTime,
    SnatTableIds: { SnatTableId: [g.SnatTableId] },
    ForwardTableIds: { ForwardTableId: [g.ForwardTableId] },
    NatGatewayPrivateInfo: { VswitchId: g.VSwitchId, PrivateIpAddress: g.PrivateIpAddress },
    IpLists: {
      IpList: natEips(model, g).map((e) => ({
        AllocationId: e.AllocationId,
        IpAddress: e.IpAddress,
        PrivateIpAddress: e.PrivateIpAddress ?? '',
        UsingStatus: usage(e.IpAddress),
        SnatEntryEnabled: g.SnatEntries.some((s) => s.SnatIp.includes(e.IpAddress)),
      })),
    },
    LabPortRange: g.LabPortRange ? `${g.LabPortRange[0]}-${g.LabPortRange[1]}` : '',
  };
}

export const DescribeNatGateways = action(['VpcId', 'NatGatewayId', 'Name'], (ctx, p) => {
  const vpcId = str(p, 'VpcId');
  const id = str(p, 'NatGatewayId');
  const nm = str(p, 'Name');
  const list = ctx.model.natGateways.filter(
    (g) => (vpcId === undefined || g.VpcId === vpcId) && (id === undefined || g.NatGatewayId === id) && (nm === undefined || g.Name === nm),
  );
  return { TotalCount: list.length, NatGateways: { NatGateway: list.map((g) => view(ctx.model, g)) } };
});

/**
 * D15. Without Force the gateway must be bare: no SNAT entry (`DependencyViolation.SnatEntry`),
 * no DNAT entry (`DependencyViolation.ForwardEntry`), no associated EIP (`DependencyViolation.EIPS`)
 * and no route entry pointing at it (`DependencyViolation.RouteEntry`, lab code; this includes
 * the D2 default route, which the user deletes like any other entry). Force=true deletes the
 * entries, unassociates the EIPs (they stay allocated, D15) and deletes every route entry of the
 * VPC whose next hop is this gateway.
 */
export const DeleteNatGateway = action(['NatGatewayId', 'Force'], (ctx, p) => {
  const gw = ctx.natGateway(reqStr(p, 'NatGatewayId'));
  const force = bool(p, 'Force', false);
  const tables = ctx.model.routeTables.filter((t) => t.VpcId === gw.VpcId);
  const pointsHere = (e: { NextHopType: string; NextHopId: string }): boolean => e.NextHopType === 'NatGateway' && e.NextHopId === gw.NatGatewayId;
  const eips = natEips(ctx.model, gw);
  if (!force) {
    if (gw.SnatEntries.length > 0) throw invalid('DependencyViolation.SnatEntry', 'NatGatewayId', `${gw.NatGatewayId} still has ${gw.SnatEntries.length} SNAT entries; delete them first or use Force=true`);
    if (gw.ForwardEntries.length > 0) throw invalid('DependencyViolation.ForwardEntry', 'NatGatewayId', `${gw.NatGatewayId} still has ${gw.ForwardEntries.length} DNAT entries; delete them first or use Force=true`);
    if (eips.length > 0) throw invalid('DependencyViolation.EIPS', 'NatGatewayId', `${gw.NatGatewayId} still has EIPs ${eips.map((e) => e.IpAddress).join(', ')}; unassociate them first or use Force=true`);
    const rt = tables.find((t) => t.Entries.some(pointsHere));
    if (rt) {
      const e = rt.Entries.find(pointsHere)!;
      throw invalid('DependencyViolation.RouteEntry', 'NatGatewayId', `route table ${rt.RouteTableId} still routes ${e.DestinationCidrBlock} to ${gw.NatGatewayId}; delete such entries first or use Force=true`);
    }
  }
  for (const e of eips) {
    e.Status = 'Available';
    delete e.InstanceId;
    delete e.InstanceType;
    delete e.PrivateIpAddress;
  }
  for (const t of tables) t.Entries = t.Entries.filter((e) => !pointsHere(e));
  ctx.model.natGateways.splice(ctx.model.natGateways.indexOf(gw), 1);
  return {};
});

// ---------------------------------------------------------------------------------------
// SNAT (D4–D6)

/** The SnatIp list: addresses of EIPs associated with `gw`, none used by an IP-mapping DNAT entry (D10.2). */
function snatIps(ctx: ActionContext, gw: NatGateway, p: Params): string[] {
  const raw = list(p, 'SnatIp');
  if (raw.length === 0) throw missing('SnatIp');
  const out: string[] = [];
  for (const r of raw) {
    let addr: string;
    try {
      addr = ipToString(parseIp(r));
    } catch (e) {
      throw invalid('InvalidSnatIp.Malformed', 'SnatIp', `${quoted(r)} is not a valid IPv4 address (${(e as Error).message})`);
    }
    if (out.includes(addr)) throw invalid('InvalidSnatIp.Malformed', 'SnatIp', `${addr} is listed twice`);
    if (!natEips(ctx.model, gw).some((e) => e.IpAddress === addr)) {
      throw invalid('EIP_NOT_IN_GATEWAY', 'SnatIp', `${addr} is not an EIP associated with ${gw.NatGatewayId}`);
    }
    const mapping = gw.ForwardEntries.find((f) => f.ExternalIp === addr && isIpMapping(f));
    if (mapping) throw invalid('OperationDenied.IpMappingConflict', 'SnatIp', `${addr} is used by IP-mapping DNAT entry ${mapping.ForwardEntryId}, so no SNAT entry may use it`);
    out.push(addr);
  }
  return out;
}

/**
 * D4: the scope is exactly one of SourceVSwitchId (stored with the vSwitch CIDR), SourceCIDR
 * (the VPC CIDR, a vSwitch CIDR, an ECS `ip/32` or any block) or the LAB-ONLY SourceInstanceId,
 * a convenience that Alibaba writes as SourceCIDR `<ECS private IP>/32`.
 */
function snatScope(ctx: ActionContext, gw: NatGateway, p: Params): { SourceCIDR: string; SourceVSwitchId?: string } {
  const given = ['SourceVSwitchId', 'SourceCIDR', 'SourceInstanceId'].filter((k) => str(p, k) !== undefined);
  if (given.length === 0) throw missing('SourceCIDR');
  if (given.length > 1) throw invalid('InvalidParameter', given[1], `give only one of SourceVSwitchId, SourceCIDR (or the lab's SourceInstanceId), got ${given.join(' and ')}`);
  if (given[0] === 'SourceVSwitchId') {
    const vsw = ctx.vswitch(reqStr(p, 'SourceVSwitchId'), 'SourceVSwitchId');
    if (vsw.VpcId !== gw.VpcId) throw invalid('OperationDenied.VpcNotMatch', 'SourceVSwitchId', `${vsw.VSwitchId} is not in ${gw.VpcId}, the NAT gateway's VPC`);
    return { SourceCIDR: vsw.CidrBlock, SourceVSwitchId: vsw.VSwitchId };
  }
  if (given[0] === 'SourceInstanceId') {
    const inst = ctx.instance(reqStr(p, 'SourceInstanceId'), 'SourceInstanceId');
    if (inst.VpcId !== gw.VpcId) throw invalid('OperationDenied.VpcNotMatch', 'SourceInstanceId', `${inst.InstanceId} is not in ${gw.VpcId}, the NAT gateway's VPC`);
    return { SourceCIDR: `${inst.PrivateIpAddress}/32` };
  }
  const c = cidr(p, 'SourceCIDR', 'InvalidSourceCIDR.Malformed');
  return { SourceCIDR: `${ipToString(c.addr)}/${c.len}` };
}

function snatEntry(gw: NatGateway, p: Params): SnatEntry {
  const id = reqStr(p, 'SnatEntryId');
  const e = gw.SnatEntries.find((x) => x.SnatEntryId === id);
  if (!e) throw notFound('InvalidSnatEntryId.NotFound', 'SnatEntryId', id);
  return e;
}

/** D4–D6, D3 (40 per gateway). One entry per source CIDR in a table. */
export const CreateSnatEntry = action(['SnatTableId', 'SourceVSwitchId', 'SourceCIDR', 'SourceInstanceId', 'SnatIp', 'SnatEntryName', 'EipAffinity'], (ctx, p) => {
  const gw = snatTable(ctx, reqStr(p, 'SnatTableId'));
  const scope = snatScope(ctx, gw, p);
  const SnatIp = snatIps(ctx, gw, p);
  const EipAffinity = affinity(p, false);
  const SnatEntryName = name(p, 'SnatEntryName', 'InvalidSnatEntryName.Malformed') ?? '';
  const dup = gw.SnatEntries.find((e) => e.SourceCIDR === scope.SourceCIDR);
  if (dup) throw invalid('Forbidden.SourceCIDR.Duplicated', 'SourceCIDR', `${gw.SnatTableId} already has SNAT entry ${dup.SnatEntryId} for ${scope.SourceCIDR} (lab code)`);
  if (gw.SnatEntries.length >= MAX_SNAT_ENTRIES) throw invalid('QuotaExceeded.SnatEntry', 'SnatTableId', `a NAT gateway holds at most ${MAX_SNAT_ENTRIES} SNAT entries (natgw_quota_snat_entry_num)`);
  const SnatEntryId = ctx.newId('snat');
  gw.SnatEntries.push({ SnatEntryId, SnatEntryName, ...scope, SnatIp, EipAffinity, Status: 'Available' });
  return { SnatEntryId };
});

/** SnatIp, SnatEntryName and EipAffinity may change; the scope may not. */
export const ModifySnatEntry = action(['SnatTableId', 'SnatEntryId', 'SnatIp', 'SnatEntryName', 'EipAffinity'], (ctx, p) => {
  const gw = snatTable(ctx, reqStr(p, 'SnatTableId'));
  const e = snatEntry(gw, p);
  const SnatIp = str(p, 'SnatIp') !== undefined || Array.isArray(p.SnatIp) ? snatIps(ctx, gw, p) : undefined;
  const SnatEntryName = name(p, 'SnatEntryName', 'InvalidSnatEntryName.Malformed');
  const EipAffinity = affinity(p, e.EipAffinity);
  if (SnatIp !== undefined) e.SnatIp = SnatIp;
  if (SnatEntryName !== undefined) e.SnatEntryName = SnatEntryName;
  e.EipAffinity = EipAffinity;
  return {};
});

export const DeleteSnatEntry = action(['SnatTableId', 'SnatEntryId'], (ctx, p) => {
  const gw = snatTable(ctx, reqStr(p, 'SnatTableId'));
  const e = snatEntry(gw, p);
  gw.SnatEntries.splice(gw.SnatEntries.indexOf(e), 1);
  return {};
});

/** Gateways named by SnatTableId or NatGatewayId (or all, when neither is given). */
function tablesOf(ctx: ActionContext, p: Params, param: 'SnatTableId' | 'ForwardTableId'): NatGateway[] {
  const tid = str(p, param);
  const nid = str(p, 'NatGatewayId');
  let gws = ctx.model.natGateways;
  if (tid !== undefined) gws = [param === 'SnatTableId' ? snatTable(ctx, tid) : forwardTable(ctx, tid)];
  if (nid !== undefined) gws = gws.filter((g) => g.NatGatewayId === nid);
  return gws;
}

export const DescribeSnatTableEntries = action(['SnatTableId', 'NatGatewayId', 'SnatEntryId', 'SourceCIDR'], (ctx, p) => {
  const id = str(p, 'SnatEntryId');
  const src = str(p, 'SourceCIDR');
  const rows = tablesOf(ctx, p, 'SnatTableId').flatMap((g) =>
    g.SnatEntries.filter((e) => (id === undefined || e.SnatEntryId === id) && (src === undefined || e.SourceCIDR === src)).map((e) => ({
      NatGatewayId: g.NatGatewayId,
      SnatTableId: g.SnatTableId,
      SnatEntryId: e.SnatEntryId,
      SnatEntryName: e.SnatEntryName,
      SourceCIDR: e.SourceCIDR,
      SourceVSwitchId: e.SourceVSwitchId ?? '',
      SnatIp: e.SnatIp.join(','),
      EipAffinity: e.EipAffinity ? 1 : 0,
      Status: e.Status,
    })),
  );
  return { TotalCount: rows.length, SnatTableEntries: { SnatTableEntry: rows } };
});

// ---------------------------------------------------------------------------------------
// DNAT (D9–D10)

interface Ports {
  any: boolean;
  lo: number;
  hi: number;
  range: boolean;
  text: string;
}

/** `80`, `10/20` or `Any` (D10.1). */
function ports(raw: string, param: string, code: string): Ports {
  if (raw.toLowerCase() === 'any') return { any: true, lo: 1, hi: 65535, range: true, text: 'Any' };
  const m = /^([0-9]{1,5})(?:\/([0-9]{1,5}))?$/.exec(raw);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(lo >= 1 && hi <= 65535 && lo <= hi)) throw invalid(code, param, `${quoted(raw)} is not a port 1-65535, a range start/end such as 10/20, or Any`);
  const range = m![2] !== undefined;
  return { any: false, lo, hi, range, text: range ? `${lo}/${hi}` : `${lo}` };
}

const isIpMapping = (f: Pick<ForwardEntry, 'IpProtocol' | 'ExternalPort' | 'InternalPort'>): boolean =>
  f.IpProtocol === 'Any' && f.ExternalPort === 'Any' && f.InternalPort === 'Any';

const protocolsOverlap = (a: string, b: string): boolean => a === b || a === 'Any' || b === 'Any';
const portsOverlap = (a: Ports, b: Ports): boolean => a.lo <= b.hi && b.lo <= a.hi;
const portsOf = (text: string): Ports => ports(text, '', '');

type ForwardFields = Omit<ForwardEntry, 'ForwardEntryId' | 'Status'>;

function protocol(raw: string): ForwardEntry['IpProtocol'] {
  const s = raw.toLowerCase();
  if (s === 'tcp') return 'TCP';
  if (s === 'udp') return 'UDP';
  if (s === 'any') return 'Any';
  throw invalid('InvalidProtocal.ValueNotSupported', 'IpProtocol', `${quoted(raw)} is not one of TCP, UDP, Any`);
}

/**
 * Every DNAT rule for a candidate entry (new or modified; `self` is skipped): the EIP belongs to
 * the gateway, the internal IP to the VPC (D10.3: an ECS holding its own EIP is accepted, the
 * entry simply has no effect), ports (D10.1), IP mapping exclusivity (D10.2), both uniqueness
 * rules with overlapping ranges (D9), and PortBreak next to SNAT (D10.6).
 */
function checkForward(ctx: ActionContext, gw: NatGateway, f: ForwardFields, self?: ForwardEntry): void {
  if (!natEips(ctx.model, gw).some((e) => e.IpAddress === f.ExternalIp)) {
    throw invalid('EIP_NOT_IN_GATEWAY', 'ExternalIp', `${f.ExternalIp} is not an EIP associated with ${gw.NatGatewayId}`);
  }
  const vpc = ctx.vpc(gw.VpcId);
  if (!containsIp(cidrOf(vpc.CidrBlock), parseIp(f.InternalIp))) {
    throw invalid('Forbidden.DestnationIpOutOfVpcCIDR', 'InternalIp', `${f.InternalIp} is outside ${vpc.VpcId} (${vpc.CidrBlock})`);
  }
  const ext = portsOf(f.ExternalPort);
  const int = portsOf(f.InternalPort);
  const mapping = isIpMapping(f);
  if (f.IpProtocol === 'Any' && !mapping) {
    throw invalid('InvalidParameter', ext.any ? 'InternalPort' : 'ExternalPort', 'IpProtocol Any is the IP mapping: ExternalPort and InternalPort must both be Any');
  }
  if (!mapping && (ext.any || int.any)) {
    throw invalid('InvalidParameter', ext.any ? 'ExternalPort' : 'InternalPort', 'port Any is the IP mapping: it needs IpProtocol Any and Any on both sides');
  }
  if (!mapping && (ext.range !== int.range || ext.hi - ext.lo !== int.hi - int.lo)) {
    throw invalid('InvalidInternalPort.Malformed', 'InternalPort', `ExternalPort ${ext.text} and InternalPort ${int.text} must both be single ports or ranges of the same size`);
  }
  const others = gw.ForwardEntries.filter((x) => x !== self);
  const sameEip = others.filter((x) => x.ExternalIp === f.ExternalIp);
  const taken = sameEip.find(isIpMapping);
  if (taken) throw invalid('OperationDenied.IpMappingConflict', 'ExternalIp', `${f.ExternalIp} is used by IP-mapping DNAT entry ${taken.ForwardEntryId}, so no other DNAT entry may use it`);
  if (mapping) {
    if (sameEip.length > 0) throw invalid('OperationDenied.IpMappingConflict', 'ExternalIp', `an IP mapping needs ${f.ExternalIp} for itself, but DNAT entry ${sameEip[0].ForwardEntryId} uses it`);
    const snat = gw.SnatEntries.find((s) => s.SnatIp.includes(f.ExternalIp));
    if (snat) throw invalid('OperationDenied.IpMappingConflict', 'ExternalIp', `an IP mapping needs ${f.ExternalIp} for itself, but SNAT entry ${snat.SnatEntryId} uses it`);
  }
  const extDup = sameEip.find((x) => protocolsOverlap(x.IpProtocol, f.IpProtocol) && portsOverlap(portsOf(x.ExternalPort), ext));
  if (extDup) {
    throw invalid('OperationUnsupported.ForwardEntry', 'ExternalPort', `${f.IpProtocol} ${f.ExternalIp}:${ext.text} overlaps DNAT entry ${extDup.ForwardEntryId} (${extDup.IpProtocol} ${extDup.ExternalIp}:${extDup.ExternalPort}); (ExternalIp, ExternalPort, IpProtocol) must be unique`);
  }
  const intDup = others.find((x) => x.InternalIp === f.InternalIp && protocolsOverlap(x.IpProtocol, f.IpProtocol) && portsOverlap(portsOf(x.InternalPort), int));
  if (intDup) {
    throw invalid('OperationUnsupported.ForwardEntry', 'InternalPort', `${f.IpProtocol} ${f.InternalIp}:${int.text} overlaps DNAT entry ${intDup.ForwardEntryId} (${intDup.IpProtocol} ${intDup.InternalIp}:${intDup.InternalPort}); (IpProtocol, InternalIp, InternalPort) must be unique`);
  }
  if (!mapping && ext.hi >= SNAT_PORT_MIN && !f.PortBreak) {
    const snat = gw.SnatEntries.find((s) => s.SnatIp.includes(f.ExternalIp));
    if (snat) {
      throw invalid('OperationDenied.PortBreakRequired', 'PortBreak', `SNAT entry ${snat.SnatEntryId} uses ${f.ExternalIp}; a DNAT public port above 1024 (${ext.text}) needs PortBreak=true`);
    }
  }
}

function forwardFields(p: Params, base?: ForwardEntry): ForwardFields {
  const pick = (k: string, b?: string): string => (b === undefined ? reqStr(p, k) : str(p, k) ?? b);
  const extIp = pick('ExternalIp', base?.ExternalIp);
  const intIp = pick('InternalIp', base?.InternalIp);
  const addr = (v: string, param: string, code: string): string => ipToString(ip({ [param]: v }, param, code).addr);
  const IpProtocol = protocol(pick('IpProtocol', base?.IpProtocol));
  const ExternalPort = ports(pick('ExternalPort', base?.ExternalPort), 'ExternalPort', 'InvalidExternalPort.Malformed').text;
  const InternalPort = ports(pick('InternalPort', base?.InternalPort), 'InternalPort', 'InvalidInternalPort.Malformed').text;
  return {
    ForwardEntryName: name(p, 'ForwardEntryName', 'InvalidForwardEntryName.Malformed') ?? base?.ForwardEntryName ?? '',
    ExternalIp: addr(extIp, 'ExternalIp', 'InvalidExternalIp.Malformed'),
    ExternalPort,
    InternalIp: addr(intIp, 'InternalIp', 'InvalidInternalIp.Malformed'),
    InternalPort,
    IpProtocol,
    PortBreak: bool(p, 'PortBreak', base?.PortBreak ?? false),
  };
}

function forwardEntry(gw: NatGateway, p: Params): ForwardEntry {
  const id = reqStr(p, 'ForwardEntryId');
  const e = gw.ForwardEntries.find((x) => x.ForwardEntryId === id);
  if (!e) throw notFound('InvalidForwardEntryId.NotFound', 'ForwardEntryId', id);
  return e;
}

/** D9–D10, D3 (100 per gateway). */
export const CreateForwardEntry = action(['ForwardTableId', 'ExternalIp', 'ExternalPort', 'IpProtocol', 'InternalIp', 'InternalPort', 'ForwardEntryName', 'PortBreak'], (ctx, p) => {
  const gw = forwardTable(ctx, reqStr(p, 'ForwardTableId'));
  const f = forwardFields(p);
  checkForward(ctx, gw, f);
  if (gw.ForwardEntries.length >= MAX_FORWARD_ENTRIES) {
    throw invalid('QuotaExceeded.ForwardEntry', 'ForwardTableId', `a NAT gateway holds at most ${MAX_FORWARD_ENTRIES} DNAT entries (natgw_quota_dnat_entry_num)`);
  }
  const ForwardEntryId = ctx.newId('fwd');
  gw.ForwardEntries.push({ ForwardEntryId, ...f, Status: 'Available' });
  return { ForwardEntryId };
});

/** Any field may change; the result is checked like a new entry (without clashing with itself). */
export const ModifyForwardEntry = action(['ForwardTableId', 'ForwardEntryId', 'ExternalIp', 'ExternalPort', 'IpProtocol', 'InternalIp', 'InternalPort', 'ForwardEntryName', 'PortBreak'], (ctx, p) => {
  const gw = forwardTable(ctx, reqStr(p, 'ForwardTableId'));
  const e = forwardEntry(gw, p);
  const f = forwardFields(p, e);
  checkForward(ctx, gw, f, e);
  Object.assign(e, f);
  return {};
});

export const DeleteForwardEntry = action(['ForwardTableId', 'ForwardEntryId'], (ctx, p) => {
  const gw = forwardTable(ctx, reqStr(p, 'ForwardTableId'));
  const e = forwardEntry(gw, p);
  gw.ForwardEntries.splice(gw.ForwardEntries.indexOf(e), 1);
  return {};
});

export const DescribeForwardTableEntries = action(['ForwardTableId', 'NatGatewayId', 'ForwardEntryId', 'ExternalIp', 'InternalIp'], (ctx, p) => {
  const id = str(p, 'ForwardEntryId');
  const ext = str(p, 'ExternalIp');
  const int = str(p, 'InternalIp');
  const rows = tablesOf(ctx, p, 'ForwardTableId').flatMap((g) =>
    g.ForwardEntries.filter((e) => (id === undefined || e.ForwardEntryId === id) && (ext === undefined || e.ExternalIp === ext) && (int === undefined || e.InternalIp === int)).map((e) => ({
      NatGatewayId: g.NatGatewayId,
      ForwardTableId: g.ForwardTableId,
      ...e,
    })),
  );
  return { TotalCount: rows.length, ForwardTableEntries: { ForwardTableEntry: rows } };
});
