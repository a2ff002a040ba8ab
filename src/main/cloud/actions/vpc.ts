// CreateVpc, CreateVSwitch and their Describe calls (SEMANTICS A1, A2.1, A4).

import { action } from '../context';
import { contains, cidrOf, overlaps, CLOUD_SERVICE_CIDR } from '../cidr';
import { invalid } from '../errors';
import { cidr, name, reqStr, str } from '../params';

export const CreateVpc = action(['CidrBlock', 'VpcName'], (ctx, p) => {
  const block = cidr(p, 'CidrBlock');
  if (block.len < 8 || block.len > 28) throw invalid('InvalidCidrBlock.Malformed', 'CidrBlock', 'the mask must be between /8 and /28');
  if (overlaps(block, cidrOf(CLOUD_SERVICE_CIDR))) {
    throw invalid('InvalidCidrBlock.Malformed', 'CidrBlock', `${CLOUD_SERVICE_CIDR} is reserved for cloud services`);
  }
  const VpcName = name(p, 'VpcName', 'InvalidVpcName.Malformed') ?? '';
  const VpcId = ctx.newId('vpc');
  const RouteTableId = ctx.newId('vtb');
  ctx.model.vpcs.push({ VpcId, VpcName, CidrBlock: block.text, Status: 'Available', RouteTableId, InternetMode: 'default' });
  // A2.1: the system route table is born with the VPC and cannot be created or deleted.
  ctx.model.routeTables.push({ RouteTableId, RouteTableName: '', VpcId, RouteTableType: 'System', AssociateType: 'VSwitch', Entries: [] });
  return { VpcId, RouteTableId, VRouterId: `vrt-${VpcId.slice(4)}` };
});

export const CreateVSwitch = action(['VpcId', 'ZoneId', 'CidrBlock', 'VSwitchName'], (ctx, p) => {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  const ZoneId = reqStr(p, 'ZoneId');
  const block = cidr(p, 'CidrBlock');
  if (block.len < 16 || block.len > 29) throw invalid('InvalidCidrBlock.Malformed', 'CidrBlock', 'the mask must be between /16 and /29');
  if (!contains(cidrOf(vpc.CidrBlock), block)) {
    throw invalid('InvalidParameter', 'CidrBlock', `Specified CIDR block is not valid in VPC ${vpc.VpcId} (${vpc.CidrBlock}).`);
  }
  for (const other of ctx.model.vswitches.filter((v) => v.VpcId === vpc.VpcId)) {
    if (overlaps(cidrOf(other.CidrBlock), block)) {
      throw invalid('InvalidCidrBlock.Overlapped', 'CidrBlock', `Specified CIDR block overlapped with vSwitch ${other.VSwitchId} (${other.CidrBlock}).`);
    }
  }
  // A5 seen from the other side: a vSwitch CIDR may not equal or contain a custom destination.
  for (const rt of ctx.model.routeTables.filter((t) => t.VpcId === vpc.VpcId)) {
    for (const e of rt.Entries) {
      if (contains(block, cidrOf(e.DestinationCidrBlock))) {
        throw invalid('InvalidCidrBlock.Overlapped', 'CidrBlock', `Specified CIDR block overlapped with route entry ${e.DestinationCidrBlock} in ${rt.RouteTableId}.`);
      }
    }
  }
  const VSwitchName = name(p, 'VSwitchName', 'InvalidVSwitchName.Malformed') ?? '';
  const VSwitchId = ctx.newId('vsw');
  ctx.model.vswitches.push({ VSwitchId, VSwitchName, VpcId: vpc.VpcId, CidrBlock: block.text, ZoneId, Status: 'Available', RouteTableId: vpc.RouteTableId });
  return { VSwitchId };
});

export const DescribeVpcs = action(['VpcId'], (ctx, p) => {
  const id = str(p, 'VpcId');
  const vpcs = ctx.model.vpcs.filter((v) => id === undefined || v.VpcId === id);
  return {
    TotalCount: vpcs.length,
    Vpcs: {
      Vpc: vpcs.map((v) => ({
        ...v,
        VSwitchIds: { VSwitchId: ctx.model.vswitches.filter((s) => s.VpcId === v.VpcId).map((s) => s.VSwitchId) },
      })),
    },
  };
});

export const DescribeVSwitches = action(['VpcId', 'VSwitchId'], (ctx, p) => {
  const vpcId = str(p, 'VpcId');
  const id = str(p, 'VSwitchId');
  const list = ctx.model.vswitches.filter((v) => (vpcId === undefined || v.VpcId === vpcId) && (id === undefined || v.VSwitchId === id));
  return { TotalCount: list.length, VSwitches: { VSwitch: list } };
});
