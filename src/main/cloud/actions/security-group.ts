// Security groups (ECS API 2014-05-26): create, describe, change the internal-access policy,
// delete; and the groups of an instance (RunInstances' SecurityGroupId(s), JoinSecurityGroup,
// LeaveSecurityGroup, ModifyInstanceAttribute SecurityGroupIds). Rules are in
// security-group-rules.ts. SEMANTICS H1–H2.
//
// The lab default group: an ECS created without a group joins its VPC's group `default`,
// made on first use (LabDefault), normal, InnerAccessPolicy Accept, with one ingress rule
// accepting everything from 0.0.0.0/0 at priority 100 and no egress rule (a basic group
// allows all outbound), so every tutorial written before security groups runs unchanged.
// Its IDs are derived from the VPC (ids.ts `derived`), so making it shifts no other ID.
//
// Codes, as docs/security-rules.md SG12 has them: InvalidSecurityGroupId.NotFound (404;
// DeleteSecurityGroup: InvalidSecurityGroup.NotFound), InvalidInstanceId.Mismatch (group and
// instance in different VPCs), InstanceSecurityGroupLimitExceeded (more than 5 groups),
// InvalidInstanceId.AlreadyExists (JoinSecurityGroup, already in it, 403),
// InstanceLastSecurityGroup (LeaveSecurityGroup, its only group, 403), InstanceNotInSecurityGroup
// (LeaveSecurityGroup, not in it, 403), InvalidPolicy.Malformed (InnerAccessPolicy),
// DependencyViolation (DeleteSecurityGroup while an instance is in it or another group's rule
// names it, 403, told apart by the message); lab codes InvalidSecurityGroup.TypeMismatch
// (basic and enterprise groups on one instance), InvalidSecurityGroup.OperationDenied
// (InnerAccessPolicy of an enterprise group), InvalidSecurityGroupId.Duplicated (a group
// listed twice), InvalidParameter.Conflict (SecurityGroupId and SecurityGroupIds both).

import { action, type ActionContext } from '../context';
import { ApiError, invalid, notFound, quoted } from '../errors';
import type { CloudModel, Instance, SecurityGroup } from '../model';
import { idList, name, oneOf, reqStr, str, type Params } from '../params';
import { pageOf } from './vpn-common';

/** An ECS's primary ENI is in at most 5 groups (JoinSecurityGroup). */
export const MAX_GROUPS_PER_INSTANCE = 5;

export function sgOf(ctx: ActionContext, id: string, param = 'SecurityGroupId'): SecurityGroup {
  const g = ctx.model.securityGroups.find((x) => x.SecurityGroupId === id);
  if (!g) throw notFound('InvalidSecurityGroupId.NotFound', param, id);
  return g;
}

const forbidden = (code: string, param: string, why: string): ApiError => new ApiError(code, `${param}: ${why}`, 403, param);

/** The VPC's lab default group, made on first use (see the header). */
export function labDefaultGroup(ctx: ActionContext, vpcId: string): SecurityGroup {
  const m = ctx.model;
  const had = m.securityGroups.find((g) => g.VpcId === vpcId && g.LabDefault);
  if (had) return had;
  const now = ctx.isoNow();
  const g: SecurityGroup = {
    SecurityGroupId: ctx.ids.derived('sg', `${vpcId}/default`),
    SecurityGroupName: 'default', Description: 'Lab default group: accepts all inbound, allows all outbound',
    VpcId: vpcId, SecurityGroupType: 'normal', InnerAccessPolicy: 'Accept', CreationTime: now, LabDefault: true,
    Rules: [{
      SecurityGroupRuleId: ctx.ids.derived('sgr', `${vpcId}/default/1`), Direction: 'ingress', IpProtocol: 'all', PortRange: '-1/-1',
      SourceCidrIp: '0.0.0.0/0', SourceGroupId: '', DestCidrIp: '', DestGroupId: '', Policy: 'accept', Priority: 100,
      Description: 'Lab default: all inbound', CreateTime: now,
    }],
  };
  m.securityGroups.push(g);
  return g;
}

/** The instances whose ENI is in group `id`. */
export const membersOf = (m: CloudModel, id: string): Instance[] => m.instances.filter((i) => i.SecurityGroupIds.includes(id));

/** A set of groups one instance in `vpcId` may be in: 1–5, existing, distinct, in its VPC, one type. */
function checkGroupSet(ctx: ActionContext, ids: string[], vpcId: string, param: string): string[] {
  if (ids.length > MAX_GROUPS_PER_INSTANCE) {
    throw invalid('InstanceSecurityGroupLimitExceeded', param, `an instance is in at most ${MAX_GROUPS_PER_INSTANCE} security groups, got ${ids.length}`);
  }
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw invalid('InvalidSecurityGroupId.Duplicated', param, `${dup} is listed twice`);
  const groups = ids.map((id) => sgOf(ctx, id, param));
  const other = groups.find((g) => g.VpcId !== vpcId);
  if (other) throw invalid('InvalidInstanceId.Mismatch', param, `${other.SecurityGroupId} is in ${other.VpcId}, the instance in ${vpcId}`);
  if (new Set(groups.map((g) => g.SecurityGroupType)).size > 1) {
    throw invalid('InvalidSecurityGroup.TypeMismatch', param, 'an instance cannot be in basic (normal) and enterprise groups at once');
  }
  return ids;
}

/**
 * RunInstances' groups: `SecurityGroupId` (one) or `SecurityGroupIds` (a list of 1–5), or
 * neither: the VPC's lab default group.
 */
export function runInstancesGroups(ctx: ActionContext, p: Params, vpcId: string): string[] {
  const one = str(p, 'SecurityGroupId');
  const many = idList(p, 'SecurityGroupIds');
  if (one !== undefined && many.length > 0) throw invalid('InvalidParameter.Conflict', 'SecurityGroupIds', 'give SecurityGroupId or SecurityGroupIds, not both');
  if (one !== undefined) return checkGroupSet(ctx, [one], vpcId, 'SecurityGroupId');
  if (many.length > 0) return checkGroupSet(ctx, many, vpcId, 'SecurityGroupIds');
  return [labDefaultGroup(ctx, vpcId).SecurityGroupId];
}

export const CreateSecurityGroup = action(['VpcId', 'SecurityGroupName', 'Description', 'SecurityGroupType'], (ctx, p) => {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  const SecurityGroupName = name(p, 'SecurityGroupName', 'InvalidSecurityGroupName.Malformed', 2, 128) ?? '';
  const Description = name(p, 'Description', 'InvalidDescription.Malformed', 2, 256) ?? '';
  const SecurityGroupType = oneOf(p, 'SecurityGroupType', ['normal', 'enterprise'] as const, 'normal');
  const SecurityGroupId = ctx.newId('sg');
  ctx.model.securityGroups.push({
    SecurityGroupId, SecurityGroupName, Description, VpcId: vpc.VpcId, SecurityGroupType,
    InnerAccessPolicy: SecurityGroupType === 'normal' ? 'Accept' : 'Drop', Rules: [], CreationTime: ctx.isoNow(),
  });
  return { SecurityGroupId };
});

/** A basic group's internal access (H2); an enterprise group's is always Drop. */
export const ModifySecurityGroupPolicy = action(['SecurityGroupId', 'InnerAccessPolicy'], (ctx, p) => {
  const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
  const raw = reqStr(p, 'InnerAccessPolicy');
  const policy = ({ accept: 'Accept', drop: 'Drop' } as const)[raw.toLowerCase() as 'accept' | 'drop'];
  if (policy === undefined) throw invalid('InvalidPolicy.Malformed', 'InnerAccessPolicy', `${quoted(raw)} is not Accept or Drop`);
  if (g.SecurityGroupType !== 'normal') {
    throw invalid('InvalidSecurityGroup.OperationDenied', 'InnerAccessPolicy', `${g.SecurityGroupId} is an enterprise group: its instances never reach each other by the group alone`);
  }
  g.InnerAccessPolicy = policy;
  return {};
});

export const DescribeSecurityGroups = action(['VpcId', 'SecurityGroupId', 'SecurityGroupIds', 'SecurityGroupName', 'PageNumber', 'PageSize'], (ctx, p) => {
  const m = ctx.model;
  const vpcId = str(p, 'VpcId');
  const one = str(p, 'SecurityGroupId');
  const many = idList(p, 'SecurityGroupIds');
  const nm = str(p, 'SecurityGroupName');
  const all = m.securityGroups.filter((g) => (vpcId === undefined || g.VpcId === vpcId) && (one === undefined || g.SecurityGroupId === one) &&
    (many.length === 0 || many.includes(g.SecurityGroupId)) && (nm === undefined || g.SecurityGroupName === nm));
  const pg = pageOf(p, all);
  return {
    TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize,
    SecurityGroups: {
      SecurityGroup: pg.items.map((g) => ({
        SecurityGroupId: g.SecurityGroupId, SecurityGroupName: g.SecurityGroupName, SecurityGroupType: g.SecurityGroupType, VpcId: g.VpcId,
        Description: g.Description, CreationTime: g.CreationTime, EcsCount: membersOf(m, g.SecurityGroupId).length,
      })),
    },
  };
}, { flat: ['SecurityGroupIds'] });

export const DeleteSecurityGroup = action(['SecurityGroupId'], (ctx, p) => {
  const m = ctx.model;
  const id = reqStr(p, 'SecurityGroupId');
  const g = m.securityGroups.find((x) => x.SecurityGroupId === id);
  if (!g) throw notFound('InvalidSecurityGroup.NotFound', 'SecurityGroupId', id);
  const inst = membersOf(m, g.SecurityGroupId)[0];
  if (inst) throw forbidden('DependencyViolation', 'SecurityGroupId', `There is still instance(s) in the specified security group: ${inst.InstanceId} (${inst.InstanceName}) is in ${g.SecurityGroupId}`);
  const ep = m.interfaceEndpoints.find((e) => e.SecurityGroupIds.includes(g.SecurityGroupId));
  if (ep) throw forbidden('DependencyViolation', 'SecurityGroupId', `There is still an endpoint in the specified security group: ${ep.EndpointId} is in ${g.SecurityGroupId}`);
  const ref = m.securityGroups.find((o) => o !== g && o.Rules.some((r) => r.SourceGroupId === g.SecurityGroupId || r.DestGroupId === g.SecurityGroupId));
  if (ref) throw forbidden('DependencyViolation', 'SecurityGroupId', `The specified security group has been authorized in another one: a rule of ${ref.SecurityGroupId} names ${g.SecurityGroupId}; revoke it first`);
  m.securityGroups.splice(m.securityGroups.indexOf(g), 1);
  return {};
});

export const JoinSecurityGroup = action(['SecurityGroupId', 'InstanceId'], (ctx, p) => {
  const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  if (inst.SecurityGroupIds.includes(g.SecurityGroupId)) {
    throw forbidden('InvalidInstanceId.AlreadyExists', 'InstanceId', `${inst.InstanceId} is already in ${g.SecurityGroupId}`);
  }
  if (g.VpcId !== inst.VpcId) throw invalid('InvalidInstanceId.Mismatch', 'SecurityGroupId', `${g.SecurityGroupId} is in ${g.VpcId}, ${inst.InstanceId} in ${inst.VpcId}`);
  inst.SecurityGroupIds = checkGroupSet(ctx, [...inst.SecurityGroupIds, g.SecurityGroupId], inst.VpcId, 'SecurityGroupId');
  return {};
});

export const LeaveSecurityGroup = action(['SecurityGroupId', 'InstanceId'], (ctx, p) => {
  const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  if (!inst.SecurityGroupIds.includes(g.SecurityGroupId)) {
    throw forbidden('InstanceNotInSecurityGroup', 'SecurityGroupId', `${inst.InstanceId} is not in ${g.SecurityGroupId}`);
  }
  if (inst.SecurityGroupIds.length === 1) {
    throw forbidden('InstanceLastSecurityGroup', 'SecurityGroupId', `${g.SecurityGroupId} is the only group of ${inst.InstanceId}; an instance is in at least one`);
  }
  inst.SecurityGroupIds = inst.SecurityGroupIds.filter((x) => x !== g.SecurityGroupId);
  return {};
});

/** The lab reads only what a network lab needs of ModifyInstanceAttribute: its groups, replaced as a whole. */
export const ModifyInstanceAttribute = action(['InstanceId', 'SecurityGroupIds'], (ctx, p) => {
  const inst = ctx.instance(reqStr(p, 'InstanceId'));
  const ids = idList(p, 'SecurityGroupIds');
  if (ids.length === 0) return {};
  inst.SecurityGroupIds = checkGroupSet(ctx, ids, inst.VpcId, 'SecurityGroupIds');
  return {};
}, { flat: ['SecurityGroupIds'] });

/**
 * For DeleteVpc / DeleteVSwitch, which the lab does not have yet: what keeps a VPC from
 * going (a group other than its lab default group, or a network ACL:
 * DependencyViolation.SecurityGroup / DependencyViolation.NetworkAcl), or a vSwitch (an
 * associated ACL). A VPC's lab default group goes with it: `dropLabDefault`.
 */
export function vpcDeleteBlocker(m: CloudModel, vpcId: string): ApiError | undefined {
  const g = m.securityGroups.find((x) => x.VpcId === vpcId && !x.LabDefault);
  if (g) return invalid('DependencyViolation.SecurityGroup', 'VpcId', `security group ${g.SecurityGroupId} is still in ${vpcId}`);
  const a = m.networkAcls.find((x) => x.VpcId === vpcId);
  if (a) return invalid('DependencyViolation.NetworkAcl', 'VpcId', `network ACL ${a.NetworkAclId} is still in ${vpcId}`);
  return undefined;
}

export function vswitchDeleteBlocker(m: CloudModel, vswId: string): ApiError | undefined {
  const a = m.networkAcls.find((x) => x.VSwitchIds.includes(vswId));
  return a ? invalid('DependencyViolation.NetworkAcl', 'VSwitchId', `${vswId} is associated with network ACL ${a.NetworkAclId}`) : undefined;
}

export function dropLabDefault(m: CloudModel, vpcId: string): void {
  m.securityGroups = m.securityGroups.filter((g) => !(g.VpcId === vpcId && g.LabDefault));
}
