// The string formats of the schema language: what a host name, a DNS name, an IPv4 address
// or a regex may look like, the message when a value is not one, and the word the docs
// use for each. Addresses follow the one IPv4 parser of the lab (engine/wire/ipv4-addr.ts).

import { checkCidr, checkIp, formatCidr } from '../engine/wire/ipv4-addr';
import type { StringFormat } from './schema-lang';

const HOST_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;
const RESOURCE_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
const ACTION_NAME = /^[A-Z][A-Za-z0-9]+$/;
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9.]*$/;
const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const FORMAT_DOCS: Record<StringFormat | 'paramName', string> = {
  nonEmpty: 'non-empty string',
  ipv4: 'IPv4 address',
  cidr: 'IPv4 CIDR',
  cidrOrIp: 'IPv4 CIDR or address',
  regex: 'regex',
  hostName: 'host name',
  resourceName: 'name',
  dnsName: 'DNS name',
  actionName: 'API name',
  errorCode: 'error code',
  paramName: 'parameter name',
};

/** Checks a string; returns the (possibly normalised) value or an error message. */
export function checkFormat(format: StringFormat | 'paramName', s: string): { value: string } | { error: string } {
  switch (format) {
    case 'nonEmpty':
      return s.trim() === '' ? { error: 'must not be empty' } : { value: s };
    case 'ipv4': {
      const r = checkIp(s);
      return r.ok ? { value: s } : { error: `${show(s)} is not an IPv4 address: ${r.why}` };
    }
    case 'cidr':
    case 'cidrOrIp': {
      const r = checkCidr(s, { bareAddressIsHost: format === 'cidrOrIp' });
      if (r.ok) return { value: s.includes('/') ? s : `${s}/32` };
      if (r.network) return { error: `${s} has host bits set (did you mean ${formatCidr(r.network)}?)` };
      return { error: `${show(s)} is not an IPv4 CIDR block${format === 'cidrOrIp' ? ' or address' : ''}: ${r.why}` };
    }
    case 'regex':
      try {
        new RegExp(s);
        return { value: s };
      } catch (e) {
        return { error: `invalid regex ${show(s)}: ${(e as Error).message}` };
      }
    case 'hostName':
      return HOST_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not a valid host name (a letter, then up to 30 letters, digits, _ or -)` };
    case 'resourceName':
      return RESOURCE_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not a valid name (a letter, then letters, digits, ., _ or -; at most 128)` };
    case 'dnsName': {
      const labels = s.split('.');
      const ok = s.length <= 253 && labels.length >= 1 && labels.every((l) => DNS_LABEL.test(l));
      return ok ? { value: s.toLowerCase() } : { error: `${show(s)} is not a valid DNS name (like www.aliyun.com, no trailing dot)` };
    }
    case 'actionName':
      return ACTION_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not an API action name (like CreateRouteEntry: ^[A-Z][A-Za-z0-9]+$)` };
    case 'errorCode':
      return ERROR_CODE.test(s)
        ? { value: s }
        : { error: `${show(s)} is not an error code (like OperationDenied.VpcExistIpv4Gateway)` };
    case 'paramName':
      return PARAM_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not a parameter name (like DestinationCidrBlock or NextHopList.1.NextHopId)` };
  }
}

function show(s: string): string {
  return JSON.stringify(s);
}
