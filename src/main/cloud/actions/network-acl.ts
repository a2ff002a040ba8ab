// Network ACLs (VPC API 2016-04-28): CreateNetworkAcl, UpdateNetworkAclEntries,
// AssociateNetworkAcl / UnassociateNetworkAcl with vSwitches, DescribeNetworkAcls,
// DeleteNetworkAcl. SEMANTICS H4: stateless, entries in priority order (the list's order,
// first match decides), the port range is the destination port both ways, at most 20 custom
// IPv4 entries per direction, system entries always last (SYSTEM_ACL_ENTRIES below).
//
// UpdateNetworkAclEntries: UpdateIngressAclEntries / UpdateEgressAclEntries say which
// direction is replaced; absent, a direction is replaced when its list is given (the API's
// default is false, which would silently ignore the list). A flag true with no list clears
// that direction; a list with its flag false is refused (InvalidParameter.Conflict). An entry
// naming the NetworkAclEntryId of one of that direction's entries keeps that ID; an unknown
// one is refused (ACL6).
//
// Codes, as docs/security-rules.md ACL6 has them: InvalidNetworkAcl.NotFound, InvalidVpcId.NotFound,
// IllegalParam.Protocol, IllegalParam.PortRange (ParameterMissing.Port when absent),
// IllegalParam.Policy, IllegalParam.SourceCidrIp / IllegalParam.DestinationCidrIp,
// IllegalParam.IpVersion, IllegalParam.IngressAclEntryId / IllegalParam.EgressAclEntryId,
// QuotaExceed.NetworkAclEntry (a 21st entry), InvalidResource.NotFound (vSwitch),
// InvalidResource.VpcError (a vSwitch of another VPC), InvalidResource.BindingExist (the
// vSwitch already has an ACL, this one or another), ParameterIllegal.ResourceType,
// InvalidResource.NotBinding (Unassociate of a vSwitch the ACL does not hold),
// NetworkAclExistBinding (DeleteNetworkAcl while associated); all 400. MissingParameter for
// other absent fields, InvalidName.Malformed, InvalidDescription.Malformed.

import { action, type ActionContext } from '../context';
import { ApiError, invalid, missing, quoted } from '../errors';
import type { NetworkAcl, NetworkAclEntry } from '../model';
import { bool, name, objects, reqStr, str, type ParamItem, type Params } from '../params';
import { cidrParam, pageOf } from './vpn-common';
import { policyOf, portRangeOf, protocolOf } from './security-group-rules';

/** Custom IPv4 entries per direction (H4; raisable by quota in the cloud, not in the lab). */
export const MAX_CUSTOM_ACL_ENTRIES = 20;

type AclDirection = 'ingress' | 'egress';

/**
 * The system entries every ACL ends with, after its custom ones, one list per direction: the
 * one place to change them. None (docs/security-rules.md ACL3): an ACL without entries denies
 * everything but DNS and metadata (the engine's implicit deny, ACL7). Were there any, their
 * IDs would come from `systemEntry`, derived from the ACL's so they stay the same across updates.
 */
export function systemAclEntries(ctx: ActionContext, aclId: string): Record<AclDirection, NetworkAclEntry[]> {
  void systemEntry;
  void ctx;
  void aclId;
  return { ingress: [], egress: [] };
}

/** A system entry, for systemAclEntries (unused while the lab has none). */
function systemEntry(ctx: ActionContext, aclId: string, dir: AclDirection, i: number, policy: NetworkAclEntry['Policy']): NetworkAclEntry {
  return {
    NetworkAclEntryId: ctx.ids.derived('nae', `${aclId}/system/${dir}/${i}`), NetworkAclEntryName: `system-${dir}-${i}`,
    Policy: policy, Protocol: 'all', CidrIp: '0.0.0.0/0', Port: '-1/-1', Description: `System ${dir} entry`, EntryType: 'system',
  };
}

export function aclOf(ctx: ActionContext, id: string, param = 'NetworkAclId'): NetworkAcl {
  const a = ctx.model.networkAcls.find((x) => x.NetworkAclId === id);
  if (!a) throw invalid('InvalidNetworkAcl.NotFound', param, `The specified network ACL ${quoted(id)} does not exist.`);
  return a;
}

const DIR = {
  ingress: { list: 'IngressAclEntries', flag: 'UpdateIngressAclEntries', cidr: 'SourceCidrIp', cidrCode: 'IllegalParam.SourceCidrIp', key: 'IngressAclEntries' as const, idCode: 'IllegalParam.IngressAclEntryId' },
  egress: { list: 'EgressAclEntries', flag: 'UpdateEgressAclEntries', cidr: 'DestinationCidrIp', cidrCode: 'IllegalParam.DestinationCidrIp', key: 'EgressAclEntries' as const, idCode: 'IllegalParam.EgressAclEntryId' },
} as const;

const ENTRY_FIELDS = (dir: AclDirection): string[] => ['NetworkAclEntryId', 'Policy', 'Protocol', DIR[dir].cidr, 'Port', 'NetworkAclEntryName', 'Description', 'EntryType', 'IpVersion'];

function entryOf(ctx: ActionContext, acl: NetworkAcl, dir: AclDirection, it: ParamItem): NetworkAclEntry {
  const get = (f: string): string | undefined => str(it.p, it.key(f));
  const need = (f: string): string => {
    const v = get(f);
    if (v === undefined) throw missing(it.key(f));
    return v;
  };
  const type = get('EntryType');
  if (type !== undefined && type !== 'custom') throw invalid('InvalidParameter', it.key('EntryType'), `${quoted(type)}: only custom entries are given; system entries are the ACL's own`);
  const ipv = get('IpVersion');
  if (ipv !== undefined && ipv.toUpperCase() !== 'IPV4') throw invalid('IllegalParam.IpVersion', it.key('IpVersion'), `${quoted(ipv)}: the lab has IPv4 entries only`);
  const Protocol = protocolOf(need('Protocol'), it.key('Protocol'), 'IllegalParam.Protocol');
  const port = get('Port');
  if (port === undefined) throw new ApiError('ParameterMissing.Port', `The input parameter "${it.key('Port')}" that is mandatory for processing this request is not supplied.`, 400, it.key('Port'));
  const Port = portRangeOf(port, Protocol, it.key('Port'), 'IllegalParam.PortRange', 'IllegalParam.PortRange');
  const CidrIp = cidrParam(need(DIR[dir].cidr), it.key(DIR[dir].cidr), DIR[dir].cidrCode).text;
  const Policy = policyOf(need('Policy'), it.key('Policy'), 'accept', 'IllegalParam.Policy');
  const wanted = get('NetworkAclEntryId');
  if (wanted !== undefined && !acl[DIR[dir].key].some((e) => e.EntryType === 'custom' && e.NetworkAclEntryId === wanted)) {
    throw invalid(DIR[dir].idCode, it.key('NetworkAclEntryId'), `${quoted(wanted)} is not one of the ${dir} entries of ${acl.NetworkAclId}`);
  }
  return {
    NetworkAclEntryId: wanted ?? ctx.newId('nae'),
    NetworkAclEntryName: name(it.p, it.key('NetworkAclEntryName'), 'InvalidName.Malformed', 1, 128) ?? '',
    Policy, Protocol, CidrIp, Port,
    Description: name(it.p, it.key('Description'), 'InvalidDescription.Malformed', 1, 256) ?? '',
    EntryType: 'custom',
  };
}

/** With entries too (IngressAclEntries / EgressAclEntries), as the API takes them (ACL5). */
export const CreateNetworkAcl = action(['VpcId', 'NetworkAclName', 'Description', 'IngressAclEntries', 'EgressAclEntries'], (ctx, p) => {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  const NetworkAclName = name(p, 'NetworkAclName', 'InvalidName.Malformed', 1, 128) ?? '';
  const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 256) ?? '';
  const NetworkAclId = ctx.newId('nacl');
  const sys = systemAclEntries(ctx, NetworkAclId);
  const acl: NetworkAcl = {
    NetworkAclId, NetworkAclName, Description, VpcId: vpc.VpcId, IngressAclEntries: sys.ingress, EgressAclEntries: sys.egress,
    VSwitchIds: [], CreationTime: ctx.isoNow(),
  };
  ctx.model.networkAcls.push(acl);
  applyEntries(ctx, acl, p);
  return { NetworkAclId };
}, { flat: ['IngressAclEntries', 'EgressAclEntries'] });

export const ModifyNetworkAclAttributes = action(['NetworkAclId', 'NetworkAclName', 'Description'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  acl.NetworkAclName = name(p, 'NetworkAclName', 'InvalidName.Malformed', 1, 128) ?? acl.NetworkAclName;
  acl.Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 256) ?? acl.Description;
  return {};
});

/** Replaces the custom entries of each direction asked for (see the header), before the system entries. */
function applyEntries(ctx: ActionContext, acl: NetworkAcl, p: Params): void {
  const sys = systemAclEntries(ctx, acl.NetworkAclId);
  for (const dir of ['ingress', 'egress'] as const) {
    const d = DIR[dir];
    const items = objects(p, d.list, ENTRY_FIELDS(dir));
    const given = p[d.list] !== undefined || items.length > 0;
    const update = d.flag in p ? bool(p, d.flag, given) : given;
    if (!update) {
      if (items.length > 0) throw invalid('InvalidParameter.Conflict', d.flag, `${d.list} is given but ${d.flag} is false`);
      continue;
    }
    if (items.length > MAX_CUSTOM_ACL_ENTRIES) {
      throw invalid('QuotaExceed.NetworkAclEntry', d.list, `at most ${MAX_CUSTOM_ACL_ENTRIES} custom ${dir} entries per ACL, got ${items.length}`);
    }
    const custom = items.map((it) => entryOf(ctx, acl, dir, it));
    const dup = custom.find((e, i) => custom.findIndex((x) => x.NetworkAclEntryId === e.NetworkAclEntryId) !== i);
    if (dup) throw invalid('InvalidParameter', d.list, `NetworkAclEntryId ${dup.NetworkAclEntryId} is given twice`);
    acl[d.key] = [...custom, ...sys[dir]];
  }
}

export const UpdateNetworkAclEntries = action(
  ['NetworkAclId', 'IngressAclEntries', 'EgressAclEntries', 'UpdateIngressAclEntries', 'UpdateEgressAclEntries'],
  (ctx, p) => {
    applyEntries(ctx, aclOf(ctx, reqStr(p, 'NetworkAclId')), p);
    return {};
  },
  { flat: ['IngressAclEntries', 'EgressAclEntries'] },
);

/** The vSwitches of a `Resource` list ({ResourceId, ResourceType: VSwitch}), checked against `acl`'s VPC. */
function resources(ctx: ActionContext, acl: NetworkAcl, p: Params): string[] {
  const items = objects(p, 'Resource', ['ResourceId', 'ResourceType']);
  if (items.length === 0) throw missing('Resource');
  const ids = items.map((it) => {
    const type = str(it.p, it.key('ResourceType')) ?? 'VSwitch';
    if (type !== 'VSwitch') throw invalid('ParameterIllegal.ResourceType', it.key('ResourceType'), `${quoted(type)}: a network ACL is associated with vSwitches (VSwitch) only`);
    const idv = str(it.p, it.key('ResourceId'));
    if (idv === undefined) throw missing(it.key('ResourceId'));
    const vsw = ctx.model.vswitches.find((v) => v.VSwitchId === idv);
    if (!vsw) throw invalid('InvalidResource.NotFound', it.key('ResourceId'), `The specified vSwitch ${quoted(idv)} does not exist.`);
    if (vsw.VpcId !== acl.VpcId) throw invalid('InvalidResource.VpcError', it.key('ResourceId'), `${vsw.VSwitchId} is in ${vsw.VpcId}, ${acl.NetworkAclId} in ${acl.VpcId}`);
    return vsw.VSwitchId;
  });
  return [...new Set(ids)];
}

export const AssociateNetworkAcl = action(['NetworkAclId', 'Resource'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  const ids = resources(ctx, acl, p);
  for (const id of ids) {
    const had = ctx.model.networkAcls.find((a) => a.VSwitchIds.includes(id));
    if (had) throw invalid('InvalidResource.BindingExist', 'Resource', `${id} is already associated with ${had.NetworkAclId}; a vSwitch has at most one network ACL`);
  }
  acl.VSwitchIds.push(...ids);
  return {};
}, { flat: ['Resource'] });

export const UnassociateNetworkAcl = action(['NetworkAclId', 'Resource'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  const ids = resources(ctx, acl, p);
  const stray = ids.find((id) => !acl.VSwitchIds.includes(id));
  if (stray) throw invalid('InvalidResource.NotBinding', 'Resource', `${stray} is not associated with ${acl.NetworkAclId}`);
  acl.VSwitchIds = acl.VSwitchIds.filter((id) => !ids.includes(id));
  return {};
}, { flat: ['Resource'] });

const entryView = (e: NetworkAclEntry, peer: 'SourceCidrIp' | 'DestinationCidrIp'): Record<string, unknown> => ({
  NetworkAclEntryId: e.NetworkAclEntryId, NetworkAclEntryName: e.NetworkAclEntryName, Policy: e.Policy, Protocol: e.Protocol,
  [peer]: e.CidrIp, Port: e.Port, EntryType: e.EntryType, Description: e.Description, IpVersion: 'IPv4',
});

export const DescribeNetworkAcls = action(['NetworkAclId', 'VpcId', 'ResourceId', 'ResourceType', 'NetworkAclName', 'PageNumber', 'PageSize'], (ctx, p) => {
  const id = str(p, 'NetworkAclId');
  const vpcId = str(p, 'VpcId');
  const res = str(p, 'ResourceId');
  const nm = str(p, 'NetworkAclName');
  const all = ctx.model.networkAcls.filter((a) => (id === undefined || a.NetworkAclId === id) && (vpcId === undefined || a.VpcId === vpcId) &&
    (res === undefined || a.VSwitchIds.includes(res)) && (nm === undefined || a.NetworkAclName === nm));
  const pg = pageOf(p, all);
  return { TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize, NetworkAcls: { NetworkAcl: pg.items.map((a) => aclView(ctx, a)) } };
});

export const DescribeNetworkAclAttributes = action(['NetworkAclId'], (ctx, p) => ({ NetworkAclAttribute: aclView(ctx, aclOf(ctx, reqStr(p, 'NetworkAclId'))) }));

function aclView(ctx: ActionContext, a: NetworkAcl): Record<string, unknown> {
  return {
    NetworkAclId: a.NetworkAclId, NetworkAclName: a.NetworkAclName, VpcId: a.VpcId, RegionId: ctx.model.RegionId, Description: a.Description, Status: 'Available', CreationTime: a.CreationTime,
    IngressAclEntries: { IngressAclEntry: a.IngressAclEntries.map((e) => entryView(e, 'SourceCidrIp')) },
    EgressAclEntries: { EgressAclEntry: a.EgressAclEntries.map((e) => entryView(e, 'DestinationCidrIp')) },
    Resources: { Resource: a.VSwitchIds.map((v) => ({ ResourceId: v, ResourceType: 'VSwitch', Status: 'BINDED' })) },
  };
}

export const DeleteNetworkAcl = action(['NetworkAclId'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  if (acl.VSwitchIds.length > 0) {
    throw invalid('NetworkAclExistBinding', 'NetworkAclId', `${acl.NetworkAclId} is still associated with ${acl.VSwitchIds.join(', ')}; unassociate it first`);
  }
  ctx.model.networkAcls.splice(ctx.model.networkAcls.indexOf(acl), 1);
  return {};
});
