// Customer gateways (VPC API 2016-04-28): the cloud's record of an IDC's VPN device, its
// public address. In the lab that is normally an IDC router's PublicIp (actions/idc.ts), but,
// as in the cloud, the API does not require it: a connection to an address no device holds
// simply never comes up.
//
// Lab codes: InvalidIpAddress.AlreadyExist (two customer gateways with one address),
// InvalidAsn.Malformed, DependencyViolation.VpnConnection (delete while a connection uses it).

import { action } from '../context';
import { invalid, quoted } from '../errors';
import type { CustomerGateway } from '../model';
import { ip, name, reqStr, str } from '../params';
import { isPublic, ipToString } from '../../engine/wire/ipv4';
import { customerGatewayOf, ms, pageOf } from './vpn-common';

function asn(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const n = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 4294967295)) throw invalid('InvalidAsn.Malformed', 'Asn', `${quoted(raw)} is not an ASN from 1 to 4294967295`);
  // 45104 is Alibaba Cloud's own ASN (the VPN gateway's BGP default).
  if (n === 45104) throw invalid('InvalidAsn.Malformed', 'Asn', '45104 is the ASN of the Alibaba Cloud side and cannot be used by a customer gateway');
  return String(n);
}

export const CreateCustomerGateway = action(['IpAddress', 'Name', 'Description', 'Asn', 'AuthKey'], (ctx, p) => {
  const m = ctx.model;
  const a = ip(p, 'IpAddress');
  const IpAddress = ipToString(a.addr);
  if (!isPublic(a.addr)) throw invalid('InvalidIpAddress.Malformed', 'IpAddress', `${IpAddress} is not a public address; a customer gateway is the IDC's gateway on the Internet`);
  const dup = m.customerGateways.find((g) => g.IpAddress === IpAddress);
  if (dup) throw invalid('InvalidIpAddress.AlreadyExist', 'IpAddress', `customer gateway ${dup.CustomerGatewayId} already has ${IpAddress}`);
  const Name = name(p, 'Name', 'InvalidName.Malformed', 1, 100) ?? '';
  const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 100) ?? '';
  const Asn = asn(str(p, 'Asn'));
  name(p, 'AuthKey', 'InvalidAuthKey.Malformed', 1, 64);
  const CustomerGatewayId = ctx.newId('cgw');
  const CreateTime = ctx.isoNow();
  m.customerGateways.push({ CustomerGatewayId, Name, Description, IpAddress, ...(Asn ? { Asn } : {}), CreateTime });
  return { CustomerGatewayId, IpAddress, Name, Description, CreateTime: ms(CreateTime) };
});

function view(g: CustomerGateway): Record<string, unknown> {
  return { CustomerGatewayId: g.CustomerGatewayId, IpAddress: g.IpAddress, Name: g.Name, Description: g.Description, Asn: g.Asn ?? '', CreateTime: ms(g.CreateTime), Tags: { Tag: [] } };
}

export const DescribeCustomerGateway = action(['CustomerGatewayId'], (ctx, p) => view(customerGatewayOf(ctx, reqStr(p, 'CustomerGatewayId'))));

export const DescribeCustomerGateways = action(['CustomerGatewayId', 'PageNumber', 'PageSize'], (ctx, p) => {
  const id = str(p, 'CustomerGatewayId');
  const pg = pageOf(p, ctx.model.customerGateways.filter((g) => id === undefined || g.CustomerGatewayId === id));
  return { TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize, CustomerGateways: { CustomerGateway: pg.items.map(view) } };
});

export const ModifyCustomerGatewayAttribute = action(['CustomerGatewayId', 'Name', 'Description', 'AuthKey'], (ctx, p) => {
  const g = customerGatewayOf(ctx, reqStr(p, 'CustomerGatewayId'));
  const n = name(p, 'Name', 'InvalidName.Malformed', 1, 100);
  const d = name(p, 'Description', 'InvalidDescription.Malformed', 1, 100);
  name(p, 'AuthKey', 'InvalidAuthKey.Malformed', 1, 64);
  if (n !== undefined) g.Name = n;
  if (d !== undefined) g.Description = d;
  return view(g);
});

export const DeleteCustomerGateway = action(['CustomerGatewayId'], (ctx, p) => {
  const m = ctx.model;
  const g = customerGatewayOf(ctx, reqStr(p, 'CustomerGatewayId'));
  const users = m.vpnConnections.filter((c) => c.Tunnels.some((t) => t.CustomerGatewayId === g.CustomerGatewayId));
  if (users.length > 0) {
    throw invalid('DependencyViolation.VpnConnection', 'CustomerGatewayId',
      `${g.CustomerGatewayId} is used by IPsec-VPN connection ${users.map((c) => c.VpnConnectionId).join(', ')}; delete the connection first (DeleteVpnConnection)`);
  }
  m.customerGateways.splice(m.customerGateways.indexOf(g), 1);
  return {};
});
