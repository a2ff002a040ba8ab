// The schema language: how the scenario's shape (shape.ts) is declared, as data rather than
// code, so that one declaration drives validation (validator.ts), error messages and the
// reference documentation (docs.ts). It knows no scenario field.

export type StringFormat =
  /** One line of printable text, not empty: titles, step and check names. */
  | 'label'
  /** Printable text that may span lines (tabs and newlines), possibly empty. */
  | 'text'
  /** Text that must not be empty: a command line or script. */
  | 'command'
  | 'ipv4'
  | 'cidr'
  | 'cidrOrIp'
  | 'regex'
  | 'hostName'
  | 'resourceName'
  | 'dnsName'
  | 'actionName'
  | 'errorCode';

export type TypeSpec =
  | { type: 'string'; format?: StringFormat; enum?: readonly string[] }
  /** `enum`: the only values taken (an MTU of 1500 or 8500), checked after the other bounds. */
  | { type: 'number'; integer?: boolean; min?: number; max?: number; minExclusive?: boolean; enum?: readonly number[] }
  | { type: 'boolean' }
  /** `orSingle`: a single item may stand for a one-item list (`output: "2 received"`). */
  | { type: 'list'; items: TypeSpec; orSingle?: boolean }
  /** A map with free keys (matching keyFormat) and typed values, e.g. action parameters; `docAs` names it in the docs. */
  | { type: 'map'; keyFormat: StringFormat | 'paramName'; values: TypeSpec; docAs?: string }
  /** The first alternative whose YAML kind (string, number, boolean, list, map) fits. */
  | { type: 'union'; of: readonly TypeSpec[] }
  | { type: 'object'; object: ObjectSpec };

export interface FieldSpec {
  type: TypeSpec;
  required?: boolean;
  /** Filled in when the field is absent (or null). Lists and maps default to empty copies. */
  default?: unknown;
  /** Default that depends on other fields, for the docs only (load.ts fills it in). */
  defaultDoc?: string;
  /** The property name in the typed form when it differs from the YAML key. */
  as?: string;
  doc: string;
}

export interface ObjectSpec {
  /** The section title in the docs, e.g. `Check`. */
  name: string;
  doc: string;
  fields: Record<string, FieldSpec>;
  /** The typed form carries `pos` (where the object starts). */
  pos?: boolean;
  /** A scalar may stand for the object, e.g. `dns` for `{ kind: dns }`. */
  shorthand?: string;
  /**
   * A map without the `nameField` key and with exactly one key is read as
   * `{ [nameField]: key, [valueField]: value }`: `- CreateVpc: { CidrBlock: … }`.
   */
  singleKey?: { nameField: string; valueField: string };
}

/** A number's bounds in words, for messages and the docs: `1 to 65535`, `more than 0 and at most 600`. */
export function rangeText(spec: { min?: number; max?: number; minExclusive?: boolean }): string {
  if (spec.min !== undefined && spec.max !== undefined) {
    return spec.minExclusive ? `more than ${spec.min} and at most ${spec.max}` : `${spec.min} to ${spec.max}`;
  }
  if (spec.min !== undefined) return spec.minExclusive ? `more than ${spec.min}` : `at least ${spec.min}`;
  return `at most ${spec.max}`;
}
