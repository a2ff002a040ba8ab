// EIPs (SEMANTICS C1, C2): allocate, associate with an ECS in NAT mode or with an Internet NAT
// gateway (D1, D3), unassociate, release, describe. The data plane reads an ECS association
// as a 1:1 NAT and a NAT gateway's EIPs as its SNAT/DNAT addresses.

import { action } from '../context';
import { ApiError, invalid } from '../errors';
import type { CloudModel } from '../model';
import { bool, ip, name, oneOf, reqStr, str } from '../params';
import { isPublic, ipToString, parseIp } from '../../engine/wire/ipv4';
import { freePrivateIp, ipNotEnough, MAX_EIPS_NAT_MODE, MAX_EIPS_PER_NAT, natEips } from './nat-gateway';

/** Where EIPs come from when the caller does not name an address: a lab-only public block. */
const POOL_START = parseIp('47.96.0.1');
const POOL_SIZE = 65_000;

/**
 * Who holds a public address of the lab's Internet: an EIP, an Internet host, an IDC router
 * or a VPN gateway's tunnel endpoint (F3). A customer gateway does not hold one: its
 * IpAddress names a device that holds it (normally an IDC router).
 */
export function publicAddressInUse(model: CloudModel, addr: string): string | undefined {
  const e = model.eips.find((x) => x.IpAddress === addr);
  if (e) return e.AllocationId;
  const h = model.internetHosts.find((x) => x.IpAddress === addr);
  if (h) return h.HostName;
  for (const g of model.vpnGateways) {
    const ep = g.Endpoints.find((x) => x.InternetIp === addr);
    if (ep) return `tunnel ${ep.TunnelIndex} of VPN gateway ${g.VpnGatewayId}`;
  }
  for (const c of model.vpnConnections) {
    const t = c.Tunnels.find((x) => x.InternetIp === addr);
    if (t) return `tunnel ${t.TunnelIndex} of IPsec connection ${c.VpnConnectionId}`;
  }
  return model.idcSites.find((s) => s.Gateway.PublicIp === addr)?.Gateway.HostName;
}

/** The first address of the lab's EIP pool that nothing holds (nor `alsoTaken`), or undefined. */
export function freePublicIp(model: CloudModel, alsoTaken: ReadonlySet<string> = new Set()): string | undefined {
  for (let i = 0; i < POOL_SIZE; i++) {
    const cand = ipToString((POOL_START + i) >>> 0);
    if (!alsoTaken.has(cand) && !publicAddressInUse(model, cand)) return cand;
  }
  return undefined;
}

export const AllocateEipAddress = action(['IpAddress', 'Name'], (ctx, p) => {
  let IpAddress: string;
  if (str(p, 'IpAddress') !== undefined) {
    const a = ip(p, 'IpAddress');
    if (!isPublic(a.addr)) throw invalid('InvalidIpAddress.Malformed', 'IpAddress', `${a.text} is not a public address`);
    IpAddress = ipToString(a.addr);
    const user = publicAddressInUse(ctx.model, IpAddress);
    if (user) throw invalid('InvalidIpAddress.AlreadyUsed', 'IpAddress', `${IpAddress} is already used by ${user}`);
  } else {
    const found = freePublicIp(ctx.model);
    if (!found) throw new ApiError('QuotaExceeded.Eip', 'The lab EIP pool is exhausted.');
    IpAddress = found;
  }
  const AllocationId = ctx.newId('eip');
  ctx.model.eips.push({ AllocationId, IpAddress, Name: name(p, 'Name', 'InvalidName.Malformed') ?? '', Status: 'Available', Mode: 'NAT' });
  return { AllocationId, EipAddress: IpAddress };
});

/**
 * C2 for an ECS; D1/D3 for a NAT gateway (`InstanceType=Nat`, or an omitted InstanceType with an
 * `ngw-` InstanceId, a lab convenience). A NAT gateway takes at most 20 EIPs (quota, D3; NAT
 * mode's own cap of 50 never binds at the default quota). In EipBindMode NAT each EIP also takes
 * one more free private IP of the gateway's vSwitch, stored as the EIP's PrivateIpAddress
 * (`InvalidVSwitchId.IpNotEnough` when none is left); in MULTI_BINDED mode the EIP has none.
 */
export const AssociateEipAddress = action(['AllocationId', 'InstanceId', 'InstanceType', 'Mode'], (ctx, p) => {
  const eip = ctx.eip(reqStr(p, 'AllocationId'));
  const instanceId = reqStr(p, 'InstanceId');
  const type = oneOf(p, 'InstanceType', ['EcsInstance', 'Nat'] as const, instanceId.startsWith('ngw-') ? 'Nat' : 'EcsInstance');
  oneOf(p, 'Mode', ['NAT'] as const, 'NAT');
  if (type === 'Nat') {
    const gw = ctx.natGateway(instanceId, 'InstanceId');
    if (eip.Status !== 'Available') throw invalid('IncorrectEipStatus', 'AllocationId', `${eip.AllocationId} is ${eip.Status} (bound to ${eip.InstanceId})`);
    const count = natEips(ctx.model, gw).length;
    const max = gw.EipBindMode === 'NAT' ? Math.min(MAX_EIPS_PER_NAT, MAX_EIPS_NAT_MODE) : MAX_EIPS_PER_NAT;
    if (count >= max) {
      throw invalid('QuotaExceeded.EipsPerNatGateway', 'InstanceId', `${gw.NatGatewayId} already has ${count} EIPs; a NAT gateway takes at most ${max} (natgw_quota_eip_num_per_nat)`);
    }
    let PrivateIpAddress: string | undefined;
    if (gw.EipBindMode === 'NAT') {
      const vsw = ctx.vswitch(gw.VSwitchId);
      PrivateIpAddress = freePrivateIp(ctx.model, vsw);
      if (!PrivateIpAddress) throw ipNotEnough(vsw, `for EIP ${eip.IpAddress} of NAT-mode gateway ${gw.NatGatewayId}`);
    }
    Object.assign(eip, { Status: 'InUse', InstanceId: gw.NatGatewayId, InstanceType: 'Nat' }, PrivateIpAddress ? { PrivateIpAddress } : {});
    return {};
  }
  const inst = ctx.instance(instanceId);
  if (eip.Status !== 'Available') throw invalid('IncorrectEipStatus', 'AllocationId', `${eip.AllocationId} is ${eip.Status} (bound to ${eip.InstanceId})`);
  const other = ctx.model.eips.find((e) => e.InstanceId === inst.InstanceId);
  if (other) throw invalid('InvalidAssociation.Duplicated', 'InstanceId', `${inst.InstanceId} already has EIP ${other.IpAddress}`);
  Object.assign(eip, { Status: 'InUse', InstanceId: inst.InstanceId, InstanceType: 'EcsInstance', PrivateIpAddress: inst.PrivateIpAddress });
  return {};
});

/**
 * An EIP of a NAT gateway that an SNAT entry uses → `DependencyViolation.SnatEntry`; that a DNAT
 * entry uses → `InvalidIpStatus.HasBeenUsedByForwardEntry` (both documented for this call).
 * `Force=true` (an API parameter for NAT gateways) unassociates anyway: the address leaves every
 * SNAT entry's SnatIp (an entry left without addresses is deleted) and the DNAT entries on it
 * are deleted [INF: the API only says Force disassociates despite the entries].
 */
export const UnassociateEipAddress = action(['AllocationId', 'InstanceId', 'InstanceType', 'Force'], (ctx, p) => {
  const eip = ctx.eip(reqStr(p, 'AllocationId'));
  const instanceId = str(p, 'InstanceId');
  const force = bool(p, 'Force', false);
  if (eip.Status !== 'InUse' || (instanceId !== undefined && eip.InstanceId !== instanceId)) {
    throw invalid('IncorrectEipStatus', 'AllocationId', `${eip.AllocationId} is not associated${instanceId ? ` with ${instanceId}` : ''}`);
  }
  const gw = eip.InstanceType === 'Nat' ? ctx.model.natGateways.find((g) => g.NatGatewayId === eip.InstanceId) : undefined;
  if (gw) {
    const snat = gw.SnatEntries.find((e) => e.SnatIp.includes(eip.IpAddress));
    const dnat = gw.ForwardEntries.find((e) => e.ExternalIp === eip.IpAddress);
    if (!force && snat) throw invalid('DependencyViolation.SnatEntry', 'AllocationId', `SNAT entry ${snat.SnatEntryId} of ${gw.NatGatewayId} uses ${eip.IpAddress}; delete or modify it first, or use Force=true`);
    if (!force && dnat) throw invalid('InvalidIpStatus.HasBeenUsedByForwardEntry', 'AllocationId', `DNAT entry ${dnat.ForwardEntryId} of ${gw.NatGatewayId} uses ${eip.IpAddress}; delete it first, or use Force=true`);
    for (const e of gw.SnatEntries) e.SnatIp = e.SnatIp.filter((a) => a !== eip.IpAddress);
    gw.SnatEntries = gw.SnatEntries.filter((e) => e.SnatIp.length > 0);
    gw.ForwardEntries = gw.ForwardEntries.filter((e) => e.ExternalIp !== eip.IpAddress);
  }
  eip.Status = 'Available';
  delete eip.InstanceId;
  delete eip.InstanceType;
  delete eip.PrivateIpAddress;
  return {};
});

export const ReleaseEipAddress = action(['AllocationId'], (ctx, p) => {
  const eip = ctx.eip(reqStr(p, 'AllocationId'));
  if (eip.Status !== 'Available') throw invalid('IncorrectEipStatus', 'AllocationId', `${eip.AllocationId} is still associated with ${eip.InstanceId}`);
  ctx.model.eips.splice(ctx.model.eips.indexOf(eip), 1);
  return {};
});

export const DescribeEipAddresses = action(['AllocationId', 'EipAddress'], (ctx, p) => {
  const id = str(p, 'AllocationId');
  const addr = str(p, 'EipAddress');
  const list = ctx.model.eips.filter((e) => (id === undefined || e.AllocationId === id) && (addr === undefined || e.IpAddress === addr));
  return { TotalCount: list.length, EipAddresses: { EipAddress: list } };
});
