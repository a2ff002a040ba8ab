// Lab-only: the cloud services that live outside every VPC, in 100.64.0.0/10 (SEMANTICS F6.1.2:
// OSS, SLS, DTS…). A VPC reaches them by its 100.64/10 system route (A4); so does an IDC over
// a VPN once that range is behind the tunnel (F6). Each is a lab host answering on real ports,
// with its internal endpoint name (`oss-cn-hangzhou-internal.aliyuncs.com`) in the lab's zone.
// The cloud has no such API: the names follow CreateInternetHost's.

import { action } from '../context';
import { invalid, notFound } from '../errors';
import { ip, reqStr, str } from '../params';
import { ipToString } from '../../engine/wire/ipv4';
import { CLOUD_SERVICE_RANGE } from '../../engine/wire/ipv4-ranges';
import { VPC_DNS } from '../lab-hosts';
import { dnsNames, hostName, services } from './hosts';

export const CreateCloudService = action(['HostName', 'IpAddress', 'DomainNames', 'Services'], (ctx, p) => {
  const m = ctx.model;
  const HostName = hostName(p, 'HostName', m);
  const a = ip(p, 'IpAddress');
  const IpAddress = ipToString(a.addr);
  const r = CLOUD_SERVICE_RANGE.cidr;
  if (((a.addr & r.mask) >>> 0) !== r.addr) throw invalid('InvalidIpAddress.Malformed', 'IpAddress', `${IpAddress} is not in 100.64.0.0/10, where the cloud's services are`);
  if (IpAddress === VPC_DNS) throw invalid('InvalidIpAddress.AlreadyUsed', 'IpAddress', `${IpAddress} is the VPC DNS`);
  const other = m.cloudServices.find((s) => s.IpAddress === IpAddress);
  if (other) throw invalid('InvalidIpAddress.AlreadyUsed', 'IpAddress', `${IpAddress} is already used by ${other.HostName}`);
  const DomainNames = dnsNames(m, p, 'DomainNames');
  const ServiceId = ctx.newId('cs');
  m.cloudServices.push({ ServiceId, HostName, IpAddress, DomainNames, Services: services(p) });
  return { ServiceId };
});

export const DeleteCloudService = action(['ServiceId'], (ctx, p) => {
  const id = reqStr(p, 'ServiceId');
  const i = ctx.model.cloudServices.findIndex((s) => s.ServiceId === id);
  if (i < 0) throw notFound('InvalidServiceId.NotFound', 'ServiceId', id);
  ctx.model.cloudServices.splice(i, 1);
  return {};
});

export const DescribeCloudServices = action(['ServiceId'], (ctx, p) => {
  const id = str(p, 'ServiceId');
  const list = ctx.model.cloudServices.filter((s) => id === undefined || s.ServiceId === id);
  return { TotalCount: list.length, CloudServices: { CloudService: list } };
});
