// The private address a resource takes in its vSwitch (an endpoint's ENI, a GWLB's zone
// address): the one asked for, if it is usable and free, else the next free one.

import { cidrOf, containsIp, isReserved } from '../cidr';
import { ApiError, invalid } from '../errors';
import type { CloudModel, VSwitch } from '../model';
import { ip, str, type Params } from '../params';
import { freePrivateIp, usedPrivateIps } from './nat-gateway';

/**
 * `param` of `p` names the wanted address (optional); `what` says what takes it, and
 * `vswParam` is the parameter a full vSwitch is blamed on.
 */
export function takePrivateIp(model: CloudModel, vsw: VSwitch, p: Params, param: string, what: string, vswParam: string): string {
  if (str(p, param) === undefined) {
    const free = freePrivateIp(model, vsw);
    if (!free) throw new ApiError('InvalidVSwitchId.IpNotEnough', `vSwitch ${vsw.VSwitchId} (${vsw.CidrBlock}) has no free private IP for ${what}.`, 400, vswParam);
    return free;
  }
  const a = ip(p, param, 'InvalidPrivateIpAddress.Malformed');
  const block = cidrOf(vsw.CidrBlock);
  if (!containsIp(block, a.addr) || isReserved(block, a.addr)) {
    throw invalid('InvalidPrivateIpAddress.Malformed', param, `${a.text} is not a usable address of ${vsw.VSwitchId} (${vsw.CidrBlock}): the first address and the last three are reserved`);
  }
  if (usedPrivateIps(model, vsw.VpcId).has(a.text)) throw invalid('InvalidPrivateIpAddress.Duplicated', param, `${a.text} is already used in ${vsw.VpcId}`);
  return a.text;
}
