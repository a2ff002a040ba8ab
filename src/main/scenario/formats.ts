// The string formats of the schema language: what a host name, a DNS name, an IPv4 address
// or a regex may look like, the message when a value is not one, and the word the docs
// use for each. Addresses follow the one IPv4 parser of the lab (engine/wire/ipv4-addr.ts).

import { checkCidr, checkIp, formatCidr } from '../engine/wire/ipv4-addr';
import { clip, quote, QUOTE_MAX } from '../util/quote';
import type { StringFormat } from './schema-lang';

const HOST_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;
const RESOURCE_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
const ACTION_NAME = /^[A-Z][A-Za-z0-9]+$/;
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9.]*$/;
const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The docs' word for each format; '' for formats the docs show as a plain string. */
export const FORMAT_DOCS: Record<StringFormat | 'paramName', string> = {
  label: 'one line',
  text: '',
  command: '',
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
    case 'label':
    case 'command': {
      if (s.trim() === '') return { error: 'must not be empty' };
      return noControl(s, format === 'label') ?? { value: s };
    }
    case 'text':
      return noControl(s, false) ?? { value: s };
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
        // The engine's message repeats the pattern (`/…/: Unterminated group`).
        const why = s.length > QUOTE_MAX ? (e as Error).message.replace(`/${s}/`, '/…/') : (e as Error).message;
        return { error: `invalid regex ${show(s)}: ${clip(why, 200)}` };
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
  return quote(s);
}

// C0 controls, DEL and C1 controls (Unicode category Cc): a NUL in a title ends it early
// in C strings and argv, an escape sequence in a step name repaints the terminal it is
// printed on, and none of them can be seen when the file is read.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_TAB_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const SPECIAL_NAMES: Record<string, string> = { '\t': 'a tab', '\n': 'a line break', '\r': 'a carriage return' };

/** The error for a control character, or undefined if there is none. */
function noControl(s: string, oneLine: boolean): { error: string } | undefined {
  const m = (oneLine ? CONTROL : CONTROL_BUT_TAB_NEWLINE).exec(s);
  if (m === null) return undefined;
  const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const what = SPECIAL_NAMES[m[0]] ?? 'a control character';
  const rule = oneLine ? 'titles and names are one line of printable text' : 'text may hold tabs and newlines but no other control characters';
  return { error: `${show(s)} contains ${what} (${code}) at character ${m.index + 1}; ${rule}` };
}
