// Network ACLs (VPC API 2016-04-28): CreateNetworkAcl, UpdateNetworkAclEntries,
// AssociateNetworkAcl / UnassociateNetworkAcl with vSwitches, DescribeNetworkAcls,
// DeleteNetworkAcl. SEMANTICS H4: stateless, entries in priority order (the list's order,
// first match decides), the port range is the destination port both ways, at most 20 custom
// IPv4 entries per direction, system entries always last (SYSTEM_ACL_ENTRIES below).
//
// UpdateNetworkAclEntries: UpdateIngressAclEntries / UpdateEgressAclEntries say which
// direction is replaced; absent, a direction is replaced when its list is given. A flag
// true with no list clears that direction's custom entries; a list with its flag false is
// refused (InvalidParameter.Conflict) rather than silently ignored. An entry naming the
// NetworkAclEntryId of an existing custom entry of that direction keeps that ID.
//
// Codes: ResourceNotFound.NetworkAcl (404), InvalidVpcId.NotFound, InvalidVSwitchId.NotFound,
// MissingParameter, InvalidIpProtocol.Malformed (Protocol), InvalidPort.Malformed,
// InvalidSourceCidrIp.Malformed, InvalidDestinationCidrIp.Malformed, InvalidPolicy.Malformed,
// InvalidName.Malformed, InvalidDescription.Malformed, InvalidParameter.Conflict, and lab codes
// QuotaExceeded.NetworkAclEntry (a 21st custom entry), InvalidResourceType.NotSupported
// (ResourceType other than VSwitch), InvalidVSwitchId.VpcMismatch (a vSwitch of another VPC),
// OperationDenied.VSwitchHasNetworkAcl (the vSwitch already has another ACL: one per vSwitch),
// OperationDenied.ResourceNotAssociated (Unassociate of a vSwitch the ACL does not hold),
// DependencyViolation.NetworkAclAssociated (DeleteNetworkAcl while a vSwitch is associated).

import { action, type ActionContext } from '../context';
import { invalid, missing, notFound, quoted } from '../errors';
import type { NetworkAcl, NetworkAclEntry } from '../model';
import { bool, name, objects, reqStr, str, type ParamItem, type Params } from '../params';
import { cidrParam, pageOf } from './vpn-common';
import { policyOf, portRangeOf, protocolOf } from './security-group-rules';

/** Custom IPv4 entries per direction (H4; raisable by quota in the cloud, not in the lab). */
export const MAX_CUSTOM_ACL_ENTRIES = 20;

type AclDirection = 'ingress' | 'egress';

/**
 * The system entries every ACL ends with, after its custom ones, one list per direction.
 * PROVISIONAL: accept everything both ways, until the research on what the cloud's default
 * entries are is in (the lead adjusts this one place). IDs are derived from the ACL's, so
 * they stay the same across updates.
 */
export function systemAclEntries(ctx: ActionContext, aclId: string): Record<AclDirection, NetworkAclEntry[]> {
  const entry = (dir: AclDirection, i: number, policy: NetworkAclEntry['Policy']): NetworkAclEntry => ({
    NetworkAclEntryId: ctx.ids.derived('nae', `${aclId}/system/${dir}/${i}`), NetworkAclEntryName: `system-${dir}-${i}`,
    Policy: policy, Protocol: 'all', CidrIp: '0.0.0.0/0', Port: '-1/-1', Description: `System ${dir} entry`, EntryType: 'system',
  });
  return { ingress: [entry('ingress', 1, 'accept')], egress: [entry('egress', 1, 'accept')] };
}

export function aclOf(ctx: ActionContext, id: string, param = 'NetworkAclId'): NetworkAcl {
  const a = ctx.model.networkAcls.find((x) => x.NetworkAclId === id);
  if (!a) throw notFound('ResourceNotFound.NetworkAcl', param, id);
  return a;
}

const DIR = {
  ingress: { list: 'IngressAclEntries', flag: 'UpdateIngressAclEntries', cidr: 'SourceCidrIp', cidrCode: 'InvalidSourceCidrIp.Malformed', key: 'IngressAclEntries' as const },
  egress: { list: 'EgressAclEntries', flag: 'UpdateEgressAclEntries', cidr: 'DestinationCidrIp', cidrCode: 'InvalidDestinationCidrIp.Malformed', key: 'EgressAclEntries' as const },
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
  if (ipv !== undefined && ipv.toUpperCase() !== 'IPV4') throw invalid('InvalidParameter', it.key('IpVersion'), 'the lab has IPv4 entries only');
  const Protocol = protocolOf(need('Protocol'), it.key('Protocol'));
  const Port = portRangeOf(need('Port'), Protocol, it.key('Port'), 'InvalidPort.Malformed');
  const CidrIp = cidrParam(need(DIR[dir].cidr), it.key(DIR[dir].cidr), DIR[dir].cidrCode).text;
  const Policy = policyOf(need('Policy'), it.key('Policy'));
  const wanted = get('NetworkAclEntryId');
  const kept = wanted !== undefined && acl[DIR[dir].key].some((e) => e.EntryType === 'custom' && e.NetworkAclEntryId === wanted) ? wanted : undefined;
  return {
    NetworkAclEntryId: kept ?? ctx.newId('nae'),
    NetworkAclEntryName: name(it.p, it.key('NetworkAclEntryName'), 'InvalidName.Malformed', 1, 128) ?? '',
    Policy, Protocol, CidrIp, Port,
    Description: name(it.p, it.key('Description'), 'InvalidDescription.Malformed', 1, 256) ?? '',
    EntryType: 'custom',
  };
}

export const CreateNetworkAcl = action(['VpcId', 'NetworkAclName', 'Description'], (ctx, p) => {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  const NetworkAclName = name(p, 'NetworkAclName', 'InvalidName.Malformed', 1, 128) ?? '';
  const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 256) ?? '';
  const NetworkAclId = ctx.newId('nacl');
  const sys = systemAclEntries(ctx, NetworkAclId);
  ctx.model.networkAcls.push({
    NetworkAclId, NetworkAclName, Description, VpcId: vpc.VpcId, IngressAclEntries: sys.ingress, EgressAclEntries: sys.egress,
    VSwitchIds: [], CreationTime: ctx.isoNow(),
  });
  return { NetworkAclId };
});

export const ModifyNetworkAclAttributes = action(['NetworkAclId', 'NetworkAclName', 'Description'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  acl.NetworkAclName = name(p, 'NetworkAclName', 'InvalidName.Malformed', 1, 128) ?? acl.NetworkAclName;
  acl.Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 256) ?? acl.Description;
  return {};
});

export const UpdateNetworkAclEntries = action(
  ['NetworkAclId', 'IngressAclEntries', 'EgressAclEntries', 'UpdateIngressAclEntries', 'UpdateEgressAclEntries'],
  (ctx, p) => {
    const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
    const sys = systemAclEntries(ctx, acl.NetworkAclId);
    for (const dir of ['ingress', 'egress'] as const) {
      const d = DIR[dir];
      const items = objects(p, d.list, ENTRY_FIELDS(dir));
      const given = p[d.list] !== undefined || items.length > 0;
      const update = bool(p, d.flag, given);
      if (!update) {
        if (items.length > 0) throw invalid('InvalidParameter.Conflict', d.flag, `${d.list} is given but ${d.flag} is false`);
        continue;
      }
      if (items.length > MAX_CUSTOM_ACL_ENTRIES) {
        throw invalid('QuotaExceeded.NetworkAclEntry', d.list, `at most ${MAX_CUSTOM_ACL_ENTRIES} custom ${dir} entries per ACL, got ${items.length}`);
      }
      const custom = items.map((it) => entryOf(ctx, acl, dir, it));
      const dup = custom.find((e, i) => custom.findIndex((x) => x.NetworkAclEntryId === e.NetworkAclEntryId) !== i);
      if (dup) throw invalid('InvalidParameter', d.list, `NetworkAclEntryId ${dup.NetworkAclEntryId} is given twice`);
      acl[d.key] = [...custom, ...sys[dir]];
    }
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
    if (type !== 'VSwitch') throw invalid('InvalidResourceType.NotSupported', it.key('ResourceType'), `${quoted(type)}: a network ACL is associated with vSwitches (VSwitch) only`);
    const idv = str(it.p, it.key('ResourceId'));
    if (idv === undefined) throw missing(it.key('ResourceId'));
    const vsw = ctx.vswitch(idv, it.key('ResourceId'));
    if (vsw.VpcId !== acl.VpcId) throw invalid('InvalidVSwitchId.VpcMismatch', it.key('ResourceId'), `${vsw.VSwitchId} is in ${vsw.VpcId}, ${acl.NetworkAclId} in ${acl.VpcId}`);
    return vsw.VSwitchId;
  });
  return [...new Set(ids)];
}

export const AssociateNetworkAcl = action(['NetworkAclId', 'Resource'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  const ids = resources(ctx, acl, p);
  for (const id of ids) {
    const other = ctx.model.networkAcls.find((a) => a !== acl && a.VSwitchIds.includes(id));
    if (other) throw invalid('OperationDenied.VSwitchHasNetworkAcl', 'Resource', `${id} is already associated with ${other.NetworkAclId}; a vSwitch has at most one network ACL`);
  }
  for (const id of ids) if (!acl.VSwitchIds.includes(id)) acl.VSwitchIds.push(id);
  return {};
}, { flat: ['Resource'] });

export const UnassociateNetworkAcl = action(['NetworkAclId', 'Resource'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  const ids = resources(ctx, acl, p);
  const stray = ids.find((id) => !acl.VSwitchIds.includes(id));
  if (stray) throw invalid('OperationDenied.ResourceNotAssociated', 'Resource', `${stray} is not associated with ${acl.NetworkAclId}`);
  acl.VSwitchIds = acl.VSwitchIds.filter((id) => !ids.includes(id));
  return {};
}, { flat: ['Resource'] });

const entryView = (e: NetworkAclEntry, peer: 'SourceCidrIp' | 'DestinationCidrIp'): Record<string, unknown> => ({
  NetworkAclEntryId: e.NetworkAclEntryId, NetworkAclEntryName: e.NetworkAclEntryName, Policy: e.Policy, Protocol: e.Protocol,
  [peer]: e.CidrIp, Port: e.Port, EntryType: e.EntryType, Description: e.Description, IpVersion: 'IPV4',
});

export const DescribeNetworkAcls = action(['NetworkAclId', 'VpcId', 'ResourceId', 'ResourceType', 'NetworkAclName', 'PageNumber', 'PageSize'], (ctx, p) => {
  const id = str(p, 'NetworkAclId');
  const vpcId = str(p, 'VpcId');
  const res = str(p, 'ResourceId');
  const nm = str(p, 'NetworkAclName');
  const all = ctx.model.networkAcls.filter((a) => (id === undefined || a.NetworkAclId === id) && (vpcId === undefined || a.VpcId === vpcId) &&
    (res === undefined || a.VSwitchIds.includes(res)) && (nm === undefined || a.NetworkAclName === nm));
  const pg = pageOf(p, all);
  return {
    TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize,
    NetworkAcls: {
      NetworkAcl: pg.items.map((a) => ({
        NetworkAclId: a.NetworkAclId, NetworkAclName: a.NetworkAclName, VpcId: a.VpcId, Description: a.Description, Status: 'Available', CreationTime: a.CreationTime,
        IngressAclEntries: { IngressAclEntry: a.IngressAclEntries.map((e) => entryView(e, 'SourceCidrIp')) },
        EgressAclEntries: { EgressAclEntry: a.EgressAclEntries.map((e) => entryView(e, 'DestinationCidrIp')) },
        Resources: { Resource: a.VSwitchIds.map((v) => ({ ResourceId: v, ResourceType: 'VSwitch', Status: 'BINDED' })) },
      })),
    },
  };
});

export const DeleteNetworkAcl = action(['NetworkAclId'], (ctx, p) => {
  const acl = aclOf(ctx, reqStr(p, 'NetworkAclId'));
  if (acl.VSwitchIds.length > 0) {
    throw invalid('DependencyViolation.NetworkAclAssociated', 'NetworkAclId', `${acl.NetworkAclId} is still associated with ${acl.VSwitchIds.join(', ')}; unassociate it first`);
  }
  ctx.model.networkAcls.splice(ctx.model.networkAcls.indexOf(acl), 1);
  return {};
});
