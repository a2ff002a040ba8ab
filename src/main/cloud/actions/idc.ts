// Lab-only: on-premises sites (IDCs) for the VPN labs. A site is a LAN (its CIDR block) with
// hosts on it behind one router, the customer gateway device, which also has a public
// address on the lab's Internet; IPsec between that router and a VPN gateway is strongSwan's
// on both ends. The cloud has no such API: the names follow RunInstances' style.

import { cidrOf, containsIp } from '../cidr';
import { action } from '../context';
import { invalid, notFound } from '../errors';
import type { IdcSite } from '../model';
import { cidr, ip, reqStr, str } from '../params';
import { ipToString, isPublic } from '../../engine/wire/ipv4';
import { publicAddressInUse } from './eip';
import { hostName, services } from './hosts';
import { DEFAULT_PORTS } from '../../services/kinds';

const MAX_SITES = 10;

function siteOf(sites: IdcSite[], id: string, param = 'SiteId'): IdcSite {
  const s = sites.find((x) => x.SiteId === id);
  if (!s) throw notFound('InvalidSiteId.NotFound', param, id);
  return s;
}

/** An address of the site's LAN: inside its block, not its first or broadcast address, unused. */
function lanAddress(site: Pick<IdcSite, 'CidrBlock' | 'Gateway' | 'Hosts'>, raw: { text: string; addr: number }, param: string): string {
  const block = cidrOf(site.CidrBlock);
  const text = ipToString(raw.addr);
  if (!containsIp(block, raw.addr)) throw invalid('InvalidIpAddress.Malformed', param, `${text} is not in the site's ${site.CidrBlock}`);
  const size = 2 ** (32 - block.len);
  const off = (raw.addr - block.addr) >>> 0;
  if (block.len < 31 && (off === 0 || off === size - 1)) throw invalid('InvalidIpAddress.Malformed', param, `${text} is the network or broadcast address of ${site.CidrBlock}`);
  if (site.Gateway.LanIp === text || site.Hosts.some((h) => h.IpAddress === text)) throw invalid('InvalidIpAddress.AlreadyUsed', param, `${text} is already used in the site`);
  return text;
}

export const CreateIdcSite = action(['SiteName', 'CidrBlock', 'GatewayName', 'GatewayPublicIp', 'GatewayLanIp', 'GatewayServices'], (ctx, p) => {
  const m = ctx.model;
  if (m.idcSites.length >= MAX_SITES) throw invalid('QuotaExceeded.IdcSite', 'SiteName', `the lab holds at most ${MAX_SITES} IDC sites`);
  const SiteName = reqStr(p, 'SiteName');
  if (m.idcSites.some((s) => s.SiteName === SiteName)) throw invalid('InvalidSiteName.Duplicated', 'SiteName', `a site named ${SiteName} already exists`);
  const block = cidr(p, 'CidrBlock');
  if (block.len < 8 || block.len > 30) throw invalid('InvalidCidrBlock.Malformed', 'CidrBlock', 'the mask must be between /8 and /30');
  if (isPublic(block.addr)) throw invalid('InvalidCidrBlock.Malformed', 'CidrBlock', `${block.text} is not a private range: an IDC's LAN is private`);
  const HostName = hostName({ HostName: p.GatewayName }, 'HostName', m);
  const pub = ip(p, 'GatewayPublicIp');
  if (!isPublic(pub.addr)) throw invalid('InvalidIpAddress.Malformed', 'GatewayPublicIp', `${pub.text} is not a public address`);
  const PublicIp = ipToString(pub.addr);
  const user = publicAddressInUse(m, PublicIp);
  if (user) throw invalid('InvalidIpAddress.AlreadyUsed', 'GatewayPublicIp', `${PublicIp} is already used by ${user}`);
  const base = { CidrBlock: block.text, Gateway: { HostName, PublicIp, LanIp: '', Services: [] }, Hosts: [] };
  // The router takes the first usable address unless told otherwise, as most LANs do.
  const lan = str(p, 'GatewayLanIp') !== undefined ? ip(p, 'GatewayLanIp') : { text: '', addr: (block.addr + 1) >>> 0 };
  const LanIp = lanAddress(base, lan, 'GatewayLanIp');
  const SiteId = ctx.newId('idc');
  // The router is the customer gateway device: it always runs strongSwan, whatever else it serves.
  const extra = services({ Services: p.GatewayServices });
  const Services = extra.some((s) => s.Kind === 'strongswan') ? extra : [{ Kind: 'strongswan' as const, Port: DEFAULT_PORTS.strongswan }, ...extra];
  m.idcSites.push({ SiteId, SiteName, CidrBlock: block.text, Gateway: { HostName, PublicIp, LanIp, Services }, Hosts: [] });
  return { SiteId };
});

export const CreateIdcHost = action(['SiteId', 'HostName', 'IpAddress', 'Services'], (ctx, p) => {
  const site = siteOf(ctx.model.idcSites, reqStr(p, 'SiteId'));
  const HostName = hostName(p, 'HostName', ctx.model);
  const IpAddress = lanAddress(site, ip(p, 'IpAddress'), 'IpAddress');
  site.Hosts.push({ HostName, IpAddress, Services: services(p) });
  return { SiteId: site.SiteId, HostName };
});

export const DeleteIdcSite = action(['SiteId'], (ctx, p) => {
  const site = siteOf(ctx.model.idcSites, reqStr(p, 'SiteId'));
  ctx.model.idcSites.splice(ctx.model.idcSites.indexOf(site), 1);
  return {};
});

export const DescribeIdcSites = action(['SiteId'], (ctx, p) => {
  const id = str(p, 'SiteId');
  const list = ctx.model.idcSites.filter((s) => id === undefined || s.SiteId === id);
  return { TotalCount: list.length, IdcSites: { IdcSite: list } };
});
