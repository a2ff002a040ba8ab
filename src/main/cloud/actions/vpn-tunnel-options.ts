// Reading an IPsec-VPN connection's per-tunnel settings (F2, F3) and its health check (F4), as
// CreateVpnConnection and ModifyVpnConnectionAttribute take them.
//
// TunnelOptionsSpecification is a list of objects whose TunnelIkeConfig and TunnelIpsecConfig
// are objects themselves. It arrives as a JSON value (scenarios, the console), as JSON text
// (the CLI), or in the flat form `TunnelOptionsSpecification.1.CustomerGatewayId` with the
// two nested objects given as JSON text (`TunnelOptionsSpecification.1.TunnelIkeConfig
// '{"Psk":"…"}'`). The API's three-level flat form (`….1.TunnelIkeConfig.Psk`) needs
// params.ts to know three-level names, which it does not yet.
//
// Defaults are the console's (F2, [S3]): IKEv2, AES128 (`aes`), SHA1, group2, 86400 s for
// both phases. The API reference says ikev1 and md5 instead (SEMANTICS Y1): the lab follows
// the console, which is what the tutorial shows.

import { randomInt } from 'node:crypto';
import { ApiError, invalid, quoted } from '../errors';
import type { VpnHealthCheck, VpnIkeConfig, VpnIpsecConfig } from '../model';
import { bool, int, ip, object, objects, oneOf, str, type Params, type ParamValue } from '../params';
import { suggest } from '../../util/did-you-mean';

export const IKE_VERSIONS = ['ikev1', 'ikev2'] as const;
export const IKE_MODES = ['main', 'aggressive'] as const;
export const ENC_ALGS = ['aes', 'aes192', 'aes256', 'des', '3des'] as const;
export const AUTH_ALGS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
export const DH_GROUPS = ['group1', 'group2', 'group5', 'group14'] as const;
export const IPSEC_PFS = ['disabled', ...DH_GROUPS] as const;
export const MAX_LIFETIME = 86400;

/** F2: the console's defaults (the API's differ, see the header). */
export const IKE_DEFAULTS = { IkeVersion: 'ikev2', IkeMode: 'main', IkeEncAlg: 'aes', IkeAuthAlg: 'sha1', IkePfs: 'group2', IkeLifetime: 86400 } as const;
export const IPSEC_DEFAULTS = { IpsecEncAlg: 'aes', IpsecAuthAlg: 'sha1', IpsecPfs: 'group2', IpsecLifetime: 86400 } as const;
/** F4. */
export const HEALTH_DEFAULTS = { Interval: 3, Retry: 3, Policy: 'revoke_route' } as const;

const IKE_FIELDS = ['Psk', 'IkeVersion', 'IkeMode', 'IkeEncAlg', 'IkeAuthAlg', 'IkePfs', 'IkeLifetime', 'LocalId', 'RemoteId'] as const;
const IPSEC_FIELDS = ['IpsecEncAlg', 'IpsecAuthAlg', 'IpsecPfs', 'IpsecLifetime'] as const;
export const TUNNEL_FIELDS = ['CustomerGatewayId', 'TunnelIndex', 'TunnelId', 'Role', 'EnableDpd', 'EnableNatTraversal', 'TunnelIkeConfig', 'TunnelIpsecConfig', 'RemoteCaCertificate', 'TunnelBgpConfig'] as const;
const HEALTH_FIELDS = ['enable', 'sip', 'dip', 'interval', 'retry', 'Policy', 'policy'] as const;

/** One tunnel's options as given, flattened so the readers of params.ts name each field fully. */
export interface TunnelInput {
  /** `TunnelOptionsSpecification.1` */
  path: string;
  p: Params;
  has(field: string): boolean;
  key(field: string): string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownField(path: string, field: string, fields: readonly string[]): ApiError {
  const hint = suggest(field, fields);
  return new ApiError('UnsupportedParameter', `The parameter ${quoted(`${path}.${field}`)} is not supported${hint ? ` (did you mean ${path}.${hint}?)` : ''}. ${path} takes ${fields.join(', ')}.`, 400, `${path}.${field}`);
}

/** A nested object (TunnelIkeConfig…): a JSON value or JSON text, its fields put under `path`. */
function nested(out: Params, path: string, v: unknown, fields: readonly string[]): void {
  let o = v;
  if (typeof v === 'string') {
    if (!v.trim().startsWith('{')) throw invalid('InvalidParameter', path, 'expected a JSON object such as {"Psk": "…"}');
    try {
      o = JSON.parse(v);
    } catch (e) {
      throw invalid('InvalidParameter', path, `not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObj(o)) throw invalid('InvalidParameter', path, 'expected an object');
  for (const [f, x] of Object.entries(o)) {
    if (!fields.includes(f)) throw unknownField(path, f, fields);
    if (x === null || x === undefined) continue;
    if (typeof x === 'object') throw invalid('InvalidParameter', `${path}.${f}`, 'expected a single value');
    out[`${path}.${f}`] = x as string | number | boolean;
  }
}

function tunnelInput(path: string, o: Record<string, unknown>): TunnelInput {
  const p: Params = {};
  for (const [f, x] of Object.entries(o)) {
    if (!(TUNNEL_FIELDS as readonly string[]).includes(f)) throw unknownField(path, f, TUNNEL_FIELDS);
    if (x === null || x === undefined || x === '') continue;
    if (f === 'TunnelIkeConfig') nested(p, `${path}.${f}`, x, IKE_FIELDS);
    else if (f === 'TunnelIpsecConfig') nested(p, `${path}.${f}`, x, IPSEC_FIELDS);
    else if (f === 'TunnelBgpConfig') throw new ApiError('UnsupportedFeature.Bgp', 'BGP (TunnelBgpConfig) is not modelled by this lab; use static routes.', 400, `${path}.${f}`);
    else if (typeof x === 'object') throw invalid('InvalidParameter', `${path}.${f}`, 'expected a single value');
    else p[`${path}.${f}`] = x as string | number | boolean;
  }
  return { path, p, has: (f) => Object.keys(p).some((k) => k === `${path}.${f}` || k.startsWith(`${path}.${f}.`)), key: (f) => `${path}.${f}` };
}

/** TunnelOptionsSpecification in any of its forms; undefined when not given. */
export function tunnelInputs(p: Params, name = 'TunnelOptionsSpecification'): TunnelInput[] | undefined {
  let v: unknown = p[name];
  if (typeof v === 'string' && v.trim() !== '') {
    if (!v.trim().startsWith('[')) throw invalid('InvalidParameter', name, `expected a JSON list of objects such as [{"CustomerGatewayId": …}] or ${name}.1.CustomerGatewayId`);
    try {
      v = JSON.parse(v);
    } catch (e) {
      throw invalid('InvalidParameter', name, `not valid JSON: ${(e as Error).message}`);
    }
  }
  if (v !== undefined && v !== '') {
    if (!Array.isArray(v)) throw invalid('InvalidParameter', name, 'expected a list of objects');
    if (Object.keys(p).some((k) => k.startsWith(`${name}.`))) throw invalid('InvalidParameter', name, `give ${name} either as one value or in the flat form (${name}.1…), not both`);
    return v.map((o, i) => {
      if (!isObj(o)) throw invalid('InvalidParameter', `${name}.${i + 1}`, 'expected an object such as {"CustomerGatewayId": "cgw-…"}');
      return tunnelInput(`${name}.${i + 1}`, o);
    });
  }
  // The flat form: its items' fields are scalars, the nested objects JSON text.
  const flat = objects(p, name, TUNNEL_FIELDS);
  if (flat.length === 0) return undefined;
  return flat.map((it) => tunnelInput(it.path, Object.fromEntries(Object.entries(it.p).map(([k, x]) => [k.slice(it.path.length + 1), x as ParamValue]))));
}

const PSK_CHARS = /^[A-Za-z0-9~!`@#$%^&*()_\-+={}[\]|;:",.<>/?]{1,100}$/;
const PSK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** F2: the cloud makes a random 16-character key when none is given. */
export function randomPsk(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += PSK_ALPHABET[randomInt(PSK_ALPHABET.length)];
  return s;
}

function psk(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === '') return undefined;
  const s = String(v);
  if (!PSK_CHARS.test(s)) {
    throw invalid('InvalidPsk.Malformed', key, 'the pre-shared key must be 1-100 characters: letters, digits and ~!`@#$%^&*()_-+={}[]|;:",.<>/? (no spaces)');
  }
  return s;
}

function ident(p: Params, key: string): string | undefined {
  const v = str(p, key);
  if (v === undefined) return undefined;
  if (v.length > 100 || /\s/.test(v)) throw invalid('InvalidParameter', key, 'an identifier is at most 100 characters, without spaces');
  return v;
}

/**
 * F2 phase 1 of tunnel `t`, over `base` (the current settings when modifying, else the
 * defaults with a random key and the two ends' addresses as IDs).
 */
export function ikeConfig(t: TunnelInput, base: VpnIkeConfig): VpnIkeConfig {
  const k = (f: string): string => `${t.key('TunnelIkeConfig')}.${f}`;
  const p = t.p;
  return {
    Psk: psk(p, k('Psk')) ?? base.Psk,
    IkeVersion: oneOf(p, k('IkeVersion'), IKE_VERSIONS, base.IkeVersion),
    IkeMode: oneOf(p, k('IkeMode'), IKE_MODES, base.IkeMode),
    IkeEncAlg: oneOf(p, k('IkeEncAlg'), ENC_ALGS, base.IkeEncAlg),
    IkeAuthAlg: oneOf(p, k('IkeAuthAlg'), AUTH_ALGS, base.IkeAuthAlg),
    IkePfs: oneOf(p, k('IkePfs'), DH_GROUPS, base.IkePfs),
    IkeLifetime: int(p, k('IkeLifetime'), 0, MAX_LIFETIME, base.IkeLifetime),
    LocalId: ident(p, k('LocalId')) ?? base.LocalId,
    RemoteId: ident(p, k('RemoteId')) ?? base.RemoteId,
  };
}

export function ipsecConfig(t: TunnelInput, base: VpnIpsecConfig): VpnIpsecConfig {
  const k = (f: string): string => `${t.key('TunnelIpsecConfig')}.${f}`;
  const p = t.p;
  return {
    IpsecEncAlg: oneOf(p, k('IpsecEncAlg'), ENC_ALGS, base.IpsecEncAlg),
    IpsecAuthAlg: oneOf(p, k('IpsecAuthAlg'), AUTH_ALGS, base.IpsecAuthAlg),
    IpsecPfs: oneOf(p, k('IpsecPfs'), IPSEC_PFS, base.IpsecPfs),
    IpsecLifetime: int(p, k('IpsecLifetime'), 0, MAX_LIFETIME, base.IpsecLifetime),
  };
}

export const defaultIke = (LocalId: string, RemoteId: string, Psk = randomPsk()): VpnIkeConfig => ({ Psk, ...IKE_DEFAULTS, LocalId, RemoteId });
export const defaultIpsec = (): VpnIpsecConfig => ({ ...IPSEC_DEFAULTS });

export const tunnelBool = (t: TunnelInput, field: string, dflt: boolean): boolean => bool(t.p, t.key(field), dflt);

/** Lab ranges (F4 gives only the defaults): probes every 1–60 s, 1–20 misses. */
export const HEALTH_INTERVAL = { min: 1, max: 60 };
export const HEALTH_RETRY = { min: 1, max: 20 };

/**
 * F4: HealthCheckConfig (`enable`, `sip`, `dip`, `interval`, `retry`, `Policy`; the API's
 * lower-case names), over `base`. Enabled, it needs both addresses. Undefined: not given.
 */
export function healthCheck(p: Params, base: VpnHealthCheck): VpnHealthCheck | undefined {
  const h = object(p, 'HealthCheckConfig', HEALTH_FIELDS);
  if (!h) return undefined;
  const k = h.key;
  const Enable = bool(h.p, k('enable'), base.Enable);
  const Sip = str(h.p, k('sip')) !== undefined ? ip(h.p, k('sip')).text : base.Sip;
  const Dip = str(h.p, k('dip')) !== undefined ? ip(h.p, k('dip')).text : base.Dip;
  const Interval = int(h.p, k('interval'), HEALTH_INTERVAL.min, HEALTH_INTERVAL.max, base.Interval);
  const Retry = int(h.p, k('retry'), HEALTH_RETRY.min, HEALTH_RETRY.max, base.Retry);
  const policyKey = str(h.p, k('Policy')) !== undefined ? k('Policy') : k('policy');
  const Policy = oneOf(h.p, policyKey, ['revoke_route', 'reserve_route'] as const, base.Policy);
  if (Enable && (Sip === '' || Dip === '')) throw invalid('InvalidParameter', Sip === '' ? k('sip') : k('dip'), 'an enabled health check needs its source (sip) and destination (dip) addresses');
  if (Enable && Sip === Dip) throw invalid('InvalidParameter', k('dip'), 'the destination address of the health check must differ from its source');
  return { Enable, Sip, Dip, Interval, Retry, Policy };
}

export const defaultHealth = (): VpnHealthCheck => ({ Enable: false, Sip: '', Dip: '', ...HEALTH_DEFAULTS });
