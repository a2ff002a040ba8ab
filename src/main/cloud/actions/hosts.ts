// Lab hosts: ECS instances in vSwitches (RunInstances, with the few parameters a network
// lab needs) and hosts on the lab's Internet (CreateInternetHost, lab-only). The runtime
// turns each into a namespace; here they are just model entries.

import type { Action } from '../context';
import { DEFAULT_PORTS, SERVICE_KINDS, SERVICE_PROTOCOLS } from '../../services/kinds';
import { cidrOf, containsIp, isReserved } from '../cidr';
import { ApiError, invalid } from '../errors';
import type { LabService } from '../model';
import { bool, ip, list, reqStr, str } from '../params';
import { isPublic, ipToString } from '../../engine/wire/ipv4';
import { publicAddressInUse } from './eip';
import { usedPrivateIps } from './nat-gateway';
import { isServiceHostName } from '../lab-hosts';


const HOST_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;

/**
 * `http-hello:8080,dns` → services; a lab-only parameter so the CLI can start them. A JSON
 * list (`[{"Kind":"http-hello","Body":"…"}]`) is accepted too, for bodies with commas.
 */
function services(p: Parameters<Action>[1]): LabService[] {
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

function servicesFromList(p: Parameters<Action>[1]): LabService[] {
  return list(p, 'Services').map((v) => {
    const [kind, port, ...rest] = v.split(':');
    if (rest.length > 0) throw invalid('InvalidParameter', 'Services', `"${v}" is not kind or kind:port`);
    const s: LabService = { Kind: serviceKind(kind) };
    if (port !== undefined) s.Port = servicePort(port);
    return s;
  });
}

function serviceKind(kind: string): LabService['Kind'] {
  if (!(SERVICE_KINDS as readonly string[]).includes(kind)) {
    throw invalid('InvalidParameter', 'Services', `"${kind}" is not one of ${SERVICE_KINDS.join(', ')}`);
  }
  return kind as LabService['Kind'];
}

/** Decimal digits only: Number() would also take "0x50", "1e3" or "+80". */
function servicePort(port: string): number {
  const n = /^[0-9]{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) throw invalid('InvalidParameter', 'Services', `port "${port}" is not 1-65535`);
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
      s.Body = Body;
    }
    return s;
  });
}

function hostName(p: Parameters<Action>[1], param: string, taken: (n: string) => boolean): string {
  const n = reqStr(p, param);
  if (!HOST_NAME.test(n)) throw invalid('InvalidInstanceName.Malformed', param, 'must start with a letter and hold 1-31 letters, digits, "-" or "_"');
  if (taken(n)) throw invalid('InvalidInstanceName.Duplicated', param, `a lab host named ${n} already exists`);
  if (isServiceHostName(n)) throw invalid('InvalidInstanceName.Duplicated', param, `${n} is reserved for a VPC's DNS service host`);
  return n;
}

export const RunInstances: Action = (ctx, p) => {
  const m = ctx.model;
  const taken = (n: string): boolean => m.instances.some((i) => i.InstanceName === n) || m.internetHosts.some((h) => h.HostName === n);
  const InstanceName = hostName(p, 'InstanceName', taken);
  const vsw = ctx.vswitch(reqStr(p, 'VSwitchId'));
  const block = cidrOf(vsw.CidrBlock);
  let addr: number;
  if (str(p, 'PrivateIpAddress') !== undefined) {
    addr = ip(p, 'PrivateIpAddress', 'InvalidPrivateIpAddress.Malformed').addr;
    if (!containsIp(block, addr)) throw invalid('InvalidPrivateIpAddress.Malformed', 'PrivateIpAddress', `${ipToString(addr)} is not in vSwitch ${vsw.VSwitchId} (${vsw.CidrBlock})`);
    if (isReserved(block, addr)) throw invalid('InvalidPrivateIpAddress.Malformed', 'PrivateIpAddress', `${ipToString(addr)} is reserved in ${vsw.CidrBlock}: the first address and the last three are reserved (A1)`);
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
  const InstanceId = ctx.newId('i');
  m.instances.push({
    InstanceId, InstanceName, VpcId: vsw.VpcId, VSwitchId: vsw.VSwitchId, PrivateIpAddress,
    IpForward: bool(p, 'IpForward', false), Services: services(p), Status: 'Running',
  });
  return { InstanceIdSets: { InstanceIdSet: [InstanceId] } };
};

export const DeleteInstance: Action = (ctx, p) => {
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  const eip = ctx.model.eips.find((e) => e.InstanceId === inst.InstanceId);
  if (eip) throw invalid('DependencyViolation.Eip', 'InstanceId', `unassociate EIP ${eip.AllocationId} first`);
  const rt = ctx.model.routeTables.find((t) => t.Entries.some((e) => e.NextHopId === inst.InstanceId));
  if (rt) throw invalid('DependencyViolation.RouteEntry', 'InstanceId', `route table ${rt.RouteTableId} still points at it`);
  ctx.model.instances.splice(ctx.model.instances.indexOf(inst), 1);
  return {};
};

export const DescribeInstances: Action = (ctx, p) => {
  const vpcId = str(p, 'VpcId');
  const list = ctx.model.instances.filter((i) => vpcId === undefined || i.VpcId === vpcId);
  return {
    TotalCount: list.length,
    Instances: {
      Instance: list.map((i) => ({
        ...i,
        EipAddress: ctx.model.eips.find((e) => e.InstanceId === i.InstanceId)?.IpAddress ?? '',
      })),
    },
  };
};

export const CreateInternetHost: Action = (ctx, p) => {
  const m = ctx.model;
  const taken = (n: string): boolean => m.instances.some((i) => i.InstanceName === n) || m.internetHosts.some((h) => h.HostName === n);
  const HostName = hostName(p, 'HostName', taken);
  const a = ip(p, 'IpAddress');
  if (!isPublic(a.addr)) throw invalid('InvalidIpAddress.Malformed', 'IpAddress', `${a.text} is not a public address: the lab's Internet holds public addresses only`);
  const IpAddress = ipToString(a.addr);
  const user = publicAddressInUse(m, IpAddress);
  if (user) throw invalid('InvalidIpAddress.AlreadyUsed', 'IpAddress', `${IpAddress} is already used by ${user}`);
  const HostId = ctx.newId('ih');
  m.internetHosts.push({ HostId, HostName, IpAddress, Services: services(p), DnsNames: list(p, 'DnsNames'), PtrName: str(p, 'PtrName') });
  return { HostId };
};

export const DescribeInternetHosts: Action = (ctx) => ({ TotalCount: ctx.model.internetHosts.length, InternetHosts: { InternetHost: ctx.model.internetHosts } });

export const CreateCnameRecord: Action = (ctx, p) => {
  const Name = reqStr(p, 'Name').toLowerCase();
  const Target = reqStr(p, 'Target').toLowerCase();
  if (ctx.model.cnames.some((c) => c.Name === Name)) throw invalid('DomainRecordDuplicate', 'Name', `${Name} already has a CNAME`);
  ctx.model.cnames.push({ Name, Target });
  return {};
};
