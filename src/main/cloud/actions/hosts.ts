// Lab hosts: ECS instances in vSwitches (RunInstances, with the few parameters a network
// lab needs; StopInstances/StartInstances) and hosts on the lab's Internet
// (CreateInternetHost, lab-only). The runtime turns each into a namespace; here they are
// just model entries.

import { action, type ActionContext } from '../context';
import { DEFAULT_PORTS, SERVICE_KINDS, SERVICE_PROTOCOLS } from '../../services/kinds';
import { cidrOf, containsIp, isReserved } from '../cidr';
import { ApiError, invalid, missing, quoted } from '../errors';
import type { CloudModel, Instance, LabService } from '../model';
import { bool, idList, ip, list, oneOf, reqStr, str, type Params } from '../params';
import { currentServers } from './gwlb-status';
import { isPublic, ipToString } from '../../engine/wire/ipv4';
import { publicAddressInUse } from './eip';
import { usedPrivateIps } from './nat-gateway';
import { runInstancesGroups } from './security-group';
import { isServiceHostName } from '../lab-hosts';
import { isDomainName, normalizeName } from '../../services/zone';


const HOST_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;

/**
 * `http-hello:8080,dns` → services; a lab-only parameter so the CLI can start them. A JSON
 * list (`[{"Kind":"http-hello","Body":"…"}]`) is accepted too, for bodies with commas.
 */
export function services(p: Params): LabService[] {
  const raw = p.Services;
  const parsed = typeof raw === 'string' && raw.trim().startsWith('[') ? servicesFromJson(raw) : servicesFromList(p);
  // Describe shows the port a service really listens on, however it was asked for.
  for (const s of parsed) s.Port ??= DEFAULT_PORTS[s.Kind];
  const taken = new Set<string>();
  for (const s of parsed) {
    for (const proto of SERVICE_PROTOCOLS[s.Kind]) {
      const key = `${s.Port}/${proto}`;
      if (taken.has(key)) throw invalid('InvalidParameter', 'Services', `two services on ${key}`);
      taken.add(key);
    }
  }
  return parsed;
}

function servicesFromList(p: Params): LabService[] {
  return list(p, 'Services').map((v) => {
    const [kind, port, ...rest] = v.split(':');
    if (rest.length > 0) throw invalid('InvalidParameter', 'Services', `${quoted(v)} is not kind or kind:port`);
    const s: LabService = { Kind: serviceKind(kind) };
    if (port !== undefined) s.Port = servicePort(port);
    return s;
  });
}

function serviceKind(kind: string): LabService['Kind'] {
  if (!(SERVICE_KINDS as readonly string[]).includes(kind)) {
    throw invalid('InvalidParameter', 'Services', `${quoted(kind)} is not one of ${SERVICE_KINDS.join(', ')}`);
  }
  return kind as LabService['Kind'];
}

/** Decimal digits only: Number() would also take "0x50", "1e3" or "+80". */
function servicePort(port: string): number {
  const n = /^[0-9]{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) throw invalid('InvalidParameter', 'Services', `port ${quoted(port)} is not 1-65535`);
  return n;
}

function servicesFromJson(raw: string): LabService[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw invalid('InvalidParameter', 'Services', `not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw invalid('InvalidParameter', 'Services', 'expected a JSON list');
  return parsed.map((x: unknown) => {
    // Each item is checked field by field: `null` used to throw a TypeError, and a Kind such
    // as "dns,http-hello" was re-split as the comma form and silently lost a service.
    if (typeof x !== 'object' || x === null || Array.isArray(x)) {
      throw invalid('InvalidParameter', 'Services', 'each item must be an object such as {"Kind":"http-hello","Port":80}');
    }
    const { Kind, Port, Body } = x as { Kind?: unknown; Port?: unknown; Body?: unknown };
    const s: LabService = { Kind: serviceKind(String(Kind)) };
    if (Port !== undefined) s.Port = servicePort(String(Port));
    if (Body !== undefined) {
      if (s.Kind !== 'http-hello') throw invalid('InvalidParameter', 'Services', 'Body is only for http-hello');
      if (typeof Body !== 'string') throw invalid('InvalidParameter', 'Services', 'Body must be a string');
      // The body reaches the service as an argument, and no argument can hold a NUL.
      if (Body.includes('\0')) throw invalid('InvalidParameter', 'Services', 'Body must not contain a NUL character');
      s.Body = Body;
    }
    return s;
  });
}

/** Host names key namespaces: one name, one host, whatever its kind. */
export function hostNameTaken(m: CloudModel, n: string): boolean {
  return isVpnEndpointHostName(n) || m.instances.some((i) => i.InstanceName === n) || m.internetHosts.some((h) => h.HostName === n) || m.cloudServices.some((s) => s.HostName === n) ||
    m.idcSites.some((s) => s.Gateway.HostName === n || s.Hosts.some((h) => h.HostName === n));
}

/**
 * `<VpnGatewayId>-t1` / `-t2`: the names of a VPN gateway's tunnel endpoint appliances (F3),
 * and `<VpnConnectionId>-t1` those of a transit router connection's: lab hosts of their own,
 * reserved whether or not that gateway or connection exists yet, as IDs are handed out later.
 */
export const isVpnEndpointHostName = (n: string): boolean => /^(vpn|vco)-[a-z0-9]+-t[12]$/.test(n);

export function hostName(p: Params, param: string, m: CloudModel): string {
  const taken = (x: string): boolean => hostNameTaken(m, x);
  const n = reqStr(p, param);
  if (!HOST_NAME.test(n)) throw invalid('InvalidInstanceName.Malformed', param, 'must start with a letter and hold 1-31 letters, digits, "-" or "_"');
  if (isVpnEndpointHostName(n)) throw invalid('InvalidInstanceName.Duplicated', param, `${n} is reserved for a cloud-side IPsec tunnel endpoint`);
  if (taken(n)) throw invalid('InvalidInstanceName.Duplicated', param, `a lab host named ${n} already exists`);
  if (isServiceHostName(n)) throw invalid('InvalidInstanceName.Duplicated', param, `${n} is reserved for a VPC's DNS service host`);
  return n;
}

/** The NIC MTUs the lab offers: the ECS default, and the jumbo frames an NVA behind a GWLB needs (E6). */
export const MTUS = [1500, 8500] as const;

/** `Mtu`, LAB-ONLY (not an Alibaba parameter of RunInstances): 1500 (default) or 8500. */
function mtu(p: Params): number {
  const v = str(p, 'Mtu');
  if (v === undefined) return 1500;
  const n = /^[0-9]{1,5}$/.test(v) ? Number(v) : NaN;
  if (!(MTUS as readonly number[]).includes(n)) throw invalid('InvalidParameter', 'Mtu', `${quoted(v)} is not one of ${MTUS.join(', ')} (8500 is a jumbo-frame NIC, for appliances behind a GWLB)`);
  return n;
}

export const RunInstances = action(['InstanceName', 'VSwitchId', 'PrivateIpAddress', 'IpForward', 'Services', 'Mtu', 'SecurityGroupId', 'SecurityGroupIds'], (ctx, p) => {
  const m = ctx.model;
  const InstanceName = hostName(p, 'InstanceName', m);
  const vsw = ctx.vswitch(reqStr(p, 'VSwitchId'));
  const block = cidrOf(vsw.CidrBlock);
  let addr: number;
  if (str(p, 'PrivateIpAddress') !== undefined) {
    addr = ip(p, 'PrivateIpAddress', 'InvalidPrivateIpAddress.Malformed').addr;
    if (!containsIp(block, addr)) throw invalid('InvalidPrivateIpAddress.Malformed', 'PrivateIpAddress', `${ipToString(addr)} is not in vSwitch ${vsw.VSwitchId} (${vsw.CidrBlock})`);
    if (isReserved(block, addr)) throw invalid('InvalidPrivateIpAddress.Malformed', 'PrivateIpAddress', `${ipToString(addr)} is reserved in ${vsw.CidrBlock}: the first address and the last three are reserved`);
  } else {
    const used = usedPrivateIps(m, vsw.VpcId);
    const size = 2 ** (32 - block.len);
    const free = Array.from({ length: size }, (_, i) => (block.addr + i) >>> 0).find(
      (a) => !isReserved(block, a) && !used.has(ipToString(a)),
    );
    if (free === undefined) throw new ApiError('InvalidVSwitchId.IpNotEnough', `vSwitch ${vsw.VSwitchId} has no free address.`, 400, 'VSwitchId');
    addr = free;
  }
  const PrivateIpAddress = ipToString(addr);
  // ECS, NAT gateways and NAT-mode EIPs all take addresses from the vSwitch (D1).
  if (usedPrivateIps(m, vsw.VpcId).has(PrivateIpAddress)) {
    throw invalid('InvalidPrivateIpAddress.Duplicated', 'PrivateIpAddress', `${PrivateIpAddress} is already used in ${vsw.VpcId}`);
  }
  // Groups before the ID: a refused group must not move the ID counter; the default group's ID is derived.
  const SecurityGroupIds = runInstancesGroups(ctx, p, vsw.VpcId);
  const InstanceId = ctx.newId('i');
  m.instances.push({
    InstanceId, InstanceName, VpcId: vsw.VpcId, VSwitchId: vsw.VSwitchId, PrivateIpAddress,
    IpForward: bool(p, 'IpForward', false), Services: services(p), Status: 'Running', Mtu: mtu(p), SecurityGroupIds,
  });
  return { InstanceIdSets: { InstanceIdSet: [InstanceId] } };
}, { flat: ['SecurityGroupIds'] });

export const DeleteInstance = action(['InstanceId'], (ctx, p) => {
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  const eip = ctx.model.eips.find((e) => e.InstanceId === inst.InstanceId);
  if (eip) throw invalid('DependencyViolation.Eip', 'InstanceId', `unassociate EIP ${eip.AllocationId} first`);
  const rt = ctx.model.routeTables.find((t) => t.Entries.some((e) => e.NextHopId === inst.InstanceId));
  if (rt) throw invalid('DependencyViolation.RouteEntry', 'InstanceId', `route table ${rt.RouteTableId} still points at it`);
  // A draining server still carries flows until its drain ends.
  const g = ctx.model.serverGroups.find((x) => currentServers(x, ctx.now()).some((s) => s.ServerId === inst.InstanceId));
  if (g) throw invalid('DependencyViolation.ServerGroup', 'InstanceId', `it is a server of GWLB server group ${g.ServerGroupId}; remove it first (RemoveServersFromServerGroup)`);
  ctx.model.instances.splice(ctx.model.instances.indexOf(inst), 1);
  return {};
});

// ---------------------------------------------------------------------------------------
// Power: a stopped ECS keeps its namespace, and the engine drops its traffic both ways —
// the fault a trainer injects to show a GWLB health check failing. The lab stops and starts
// at once: the API's Stopping and Starting are not shown.

/** ECS: StopInstances/StartInstances take at most 100 instances. */
export const MAX_POWER_BATCH = 100;

const incorrectStatus = (inst: Instance, param: string): ApiError =>
  new ApiError('IncorrectInstanceStatus', `The current status of the resource does not support this operation: ${inst.InstanceId} is ${inst.Status}.`, 403, param);

/** `ForceStop` and `StoppedMode` are read as the API takes them; the lab stops the same way whatever they say. */
function stopOptions(p: Params): void {
  bool(p, 'ForceStop', false);
  oneOf(p, 'StoppedMode', ['StopCharging', 'KeepCharging'] as const, 'KeepCharging');
}

/**
 * StopInstances/StartInstances: `AllTogether` (the default) changes all or none, failing the
 * call on the first instance in the wrong status; `SuccessFirst` changes those it can and
 * reports each in InstanceResponses.
 */
function powerBatch(ctx: ActionContext, p: Params, from: Instance['Status'], to: Instance['Status']): Record<string, unknown> {
  const ids = idList(p, 'InstanceId');
  if (ids.length === 0) throw missing('InstanceId');
  if (ids.length > MAX_POWER_BATCH) throw invalid('InvalidParameter', 'InstanceId', `at most ${MAX_POWER_BATCH} instances per call, got ${ids.length}`);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw invalid('InvalidParameter', 'InstanceId', `${dup} is listed twice`);
  const mode = oneOf(p, 'BatchOptimization', ['AllTogether', 'SuccessFirst'] as const, 'AllTogether');
  const responses = ids.map((id) => {
    const inst = ctx.model.instances.find((i) => i.InstanceId === id);
    if (!inst) {
      if (mode === 'AllTogether') ctx.instance(id);
      return { InstanceId: id, Code: 'InvalidInstanceId.NotFound', Message: `The specified InstanceId ${quoted(id)} does not exist.`, PreviousStatus: '', CurrentStatus: '' };
    }
    if (inst.Status !== from) {
      if (mode === 'AllTogether') throw incorrectStatus(inst, 'InstanceId');
      return { InstanceId: id, Code: 'IncorrectInstanceStatus', Message: incorrectStatus(inst, 'InstanceId').message, PreviousStatus: inst.Status, CurrentStatus: inst.Status };
    }
    inst.Status = to;
    return { InstanceId: id, Code: '200', Message: 'success', PreviousStatus: from, CurrentStatus: to };
  });
  return { InstanceResponses: { InstanceResponse: responses } };
}

export const StopInstances = action(['InstanceId', 'ForceStop', 'StoppedMode', 'BatchOptimization'], (ctx, p) => {
  stopOptions(p);
  return powerBatch(ctx, p, 'Running', 'Stopped');
}, { flat: ['InstanceId'], dryRunCode: 'DRYRUN.SUCCESS' });

export const StartInstances = action(['InstanceId', 'BatchOptimization'], (ctx, p) => powerBatch(ctx, p, 'Stopped', 'Running'), {
  flat: ['InstanceId'], dryRunCode: 'DRYRUN.SUCCESS',
});

/** `ConfirmStop` is deprecated in the API and read like `ForceStop`. */
export const StopInstance = action(['InstanceId', 'ForceStop', 'StoppedMode', 'ConfirmStop'], (ctx, p) => {
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  stopOptions(p);
  bool(p, 'ConfirmStop', false);
  if (inst.Status !== 'Running') throw incorrectStatus(inst, 'InstanceId');
  inst.Status = 'Stopped';
  return {};
});

/** `InitLocalDisk` is read as the API takes it; the lab's ECS have no local disks. */
export const StartInstance = action(['InstanceId', 'InitLocalDisk'], (ctx, p) => {
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  bool(p, 'InitLocalDisk', false);
  if (inst.Status !== 'Stopped') throw incorrectStatus(inst, 'InstanceId');
  inst.Status = 'Running';
  return {};
});

export const DescribeInstances = action(['VpcId'], (ctx, p) => {
  const vpcId = str(p, 'VpcId');
  const list = ctx.model.instances.filter((i) => vpcId === undefined || i.VpcId === vpcId);
  return {
    TotalCount: list.length,
    Instances: {
      Instance: list.map((i) => ({
        ...i,
        SecurityGroupIds: { SecurityGroupId: [...i.SecurityGroupIds] },
        EipAddress: ctx.model.eips.find((e) => e.InstanceId === i.InstanceId)?.IpAddress ?? '',
      })),
    },
  };
});

export const CreateInternetHost = action(['HostName', 'IpAddress', 'Services', 'DnsNames', 'PtrName'], (ctx, p) => {
  const m = ctx.model;
  const HostName = hostName(p, 'HostName', m);
  const a = ip(p, 'IpAddress');
  if (!isPublic(a.addr)) throw invalid('InvalidIpAddress.Malformed', 'IpAddress', `${a.text} is not a public address: the lab's Internet holds public addresses only`);
  const IpAddress = ipToString(a.addr);
  const user = publicAddressInUse(m, IpAddress);
  if (user) throw invalid('InvalidIpAddress.AlreadyUsed', 'IpAddress', `${IpAddress} is already used by ${user}`);
  const DnsNames = dnsNames(m, p, 'DnsNames');
  const ptr = str(p, 'PtrName');
  const PtrName = ptr === undefined ? undefined : domainName(ptr, 'PtrName');
  const HostId = ctx.newId('ih');
  m.internetHosts.push({ HostId, HostName, IpAddress, Services: services(p), DnsNames, PtrName });
  return { HostId };
});

/** The host whose A record `name` is, if any: Internet hosts and cloud services have them. */
export function aRecordOwner(m: CloudModel, name: string): string | undefined {
  return m.internetHosts.find((h) => h.DnsNames.includes(name))?.HostName ?? m.cloudServices.find((s) => s.DomainNames.includes(name))?.HostName;
}

/** Names for A records of a new host: valid, and not a CNAME already. */
export function dnsNames(m: CloudModel, p: Params, param: string): string[] {
  const names = list(p, param).map((n) => domainName(n, param));
  for (const n of names) {
    if (m.cnames.some((c) => c.Name === n)) throw invalid('DomainRecordConflict', param, `${n} is already a CNAME; a name with a CNAME has no other records`);
  }
  return names;
}

/**
 * A name for the lab's DNS zone, lower case: checked by the DNS server's own rule, so a
 * name the servers would refuse (`$(id)`) never reaches the zone they all load.
 */
export function domainName(raw: string, param: string): string {
  const n = normalizeName(raw);
  if (!isDomainName(n)) {
    throw invalid('InvalidDomainName.Format', param, `${quoted(raw)} is not a domain name (labels of letters, digits, "-" or "_", separated by dots, like www.aliyun.com)`);
  }
  return n;
}

export const DescribeInternetHosts = action([], (ctx) => ({ TotalCount: ctx.model.internetHosts.length, InternetHosts: { InternetHost: ctx.model.internetHosts } }));

export const CreateCnameRecord = action(['Name', 'Target'], (ctx, p) => {
  const Name = domainName(reqStr(p, 'Name'), 'Name');
  const Target = domainName(reqStr(p, 'Target'), 'Target');
  if (ctx.model.cnames.some((c) => c.Name === Name)) throw invalid('DomainRecordDuplicate', 'Name', `${Name} already has a CNAME`);
  const owner = aRecordOwner(ctx.model, Name);
  if (owner) throw invalid('DomainRecordConflict', 'Name', `${Name} already names ${owner} (an A record); a name with a CNAME has no other records`);
  // A loop would make every lookup of these names fail (the zone's servers refuse it too).
  for (let n: string | undefined = Target, hops = 0; n !== undefined && hops <= ctx.model.cnames.length; hops++) {
    if (n === Name) throw invalid('DomainRecordConflict', 'Target', `CNAME loop: ${Name} would lead back to itself`);
    n = ctx.model.cnames.find((c) => c.Name === n)?.Target;
  }
  ctx.model.cnames.push({ Name, Target });
  return {};
});
