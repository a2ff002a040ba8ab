// EIPs (SEMANTICS C1, C2): allocate, associate with an ECS in NAT mode, unassociate,
// release, describe. The data plane reads the association as a 1:1 NAT.

import type { Action } from '../context';
import { ApiError, invalid } from '../errors';
import type { CloudModel } from '../model';
import { ip, name, oneOf, reqStr, str } from '../params';
import { isPublic, ipToString, parseIp } from '../../engine/wire/ipv4';

/** Where EIPs come from when the caller does not name an address: a lab-only public block. */
const POOL_START = parseIp('47.96.0.1');
const POOL_SIZE = 65_000;

export function publicAddressInUse(model: CloudModel, addr: string): string | undefined {
  const e = model.eips.find((x) => x.IpAddress === addr);
  if (e) return e.AllocationId;
  const h = model.internetHosts.find((x) => x.IpAddress === addr);
  return h ? h.HostName : undefined;
}

export const AllocateEipAddress: Action = (ctx, p) => {
  let IpAddress: string;
  if (str(p, 'IpAddress') !== undefined) {
    const a = ip(p, 'IpAddress');
    if (!isPublic(a.addr)) throw invalid('InvalidIpAddress.Malformed', 'IpAddress', `${a.text} is not a public address`);
    IpAddress = ipToString(a.addr);
    const user = publicAddressInUse(ctx.model, IpAddress);
    if (user) throw invalid('InvalidIpAddress.AlreadyUsed', 'IpAddress', `${IpAddress} is already used by ${user}`);
  } else {
    let found: string | undefined;
    for (let i = 0; i < POOL_SIZE && !found; i++) {
      const cand = ipToString((POOL_START + i) >>> 0);
      if (!publicAddressInUse(ctx.model, cand)) found = cand;
    }
    if (!found) throw new ApiError('QuotaExceeded.Eip', 'The lab EIP pool is exhausted.');
    IpAddress = found;
  }
  const AllocationId = ctx.newId('eip');
  ctx.model.eips.push({ AllocationId, IpAddress, Name: name(p, 'Name', 'InvalidName.Malformed') ?? '', Status: 'Available', Mode: 'NAT' });
  return { AllocationId, EipAddress: IpAddress };
};

export const AssociateEipAddress: Action = (ctx, p) => {
  const eip = ctx.eip(reqStr(p, 'AllocationId'));
  oneOf(p, 'InstanceType', ['EcsInstance'] as const, 'EcsInstance');
  oneOf(p, 'Mode', ['NAT'] as const, 'NAT');
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  if (eip.Status !== 'Available') throw invalid('IncorrectEipStatus', 'AllocationId', `${eip.AllocationId} is ${eip.Status} (bound to ${eip.InstanceId})`);
  const other = ctx.model.eips.find((e) => e.InstanceId === inst.InstanceId);
  if (other) throw invalid('InvalidAssociation.Duplicated', 'InstanceId', `${inst.InstanceId} already has EIP ${other.IpAddress}`);
  Object.assign(eip, { Status: 'InUse', InstanceId: inst.InstanceId, InstanceType: 'EcsInstance', PrivateIpAddress: inst.PrivateIpAddress });
  return {};
};

export const UnassociateEipAddress: Action = (ctx, p) => {
  const eip = ctx.eip(reqStr(p, 'AllocationId'));
  const instanceId = str(p, 'InstanceId');
  if (eip.Status !== 'InUse' || (instanceId !== undefined && eip.InstanceId !== instanceId)) {
    throw invalid('IncorrectEipStatus', 'AllocationId', `${eip.AllocationId} is not associated${instanceId ? ` with ${instanceId}` : ''}`);
  }
  eip.Status = 'Available';
  delete eip.InstanceId;
  delete eip.InstanceType;
  delete eip.PrivateIpAddress;
  return {};
};

export const ReleaseEipAddress: Action = (ctx, p) => {
  const eip = ctx.eip(reqStr(p, 'AllocationId'));
  if (eip.Status !== 'Available') throw invalid('IncorrectEipStatus', 'AllocationId', `${eip.AllocationId} is still associated with ${eip.InstanceId}`);
  ctx.model.eips.splice(ctx.model.eips.indexOf(eip), 1);
  return {};
};

export const DescribeEipAddresses: Action = (ctx, p) => {
  const id = str(p, 'AllocationId');
  const addr = str(p, 'EipAddress');
  const list = ctx.model.eips.filter((e) => (id === undefined || e.AllocationId === id) && (addr === undefined || e.IpAddress === addr));
  return { TotalCount: list.length, EipAddresses: { EipAddress: list } };
};
