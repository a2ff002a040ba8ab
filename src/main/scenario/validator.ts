// The validator: walks the YAML syntax tree against a TypeSpec (schema-lang.ts) and returns
// the typed value, collecting every problem with its line and column instead of stopping at
// the first, and remembering where each typed value came from (meta) so that the
// cross-field rules can point at the file too.
//
// It resolves YAML aliases itself, so it also bounds what they cost (aliases.ts; the `yaml`
// package's own maxAliasCount guards only Document.toJS, which the loader never calls).
// Its recursion follows the schema, which is a few levels deep whatever the file holds.

import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type LineCounter, type Node } from 'yaml';
import { Aliases } from './aliases';
import { didYouMean, suggest } from '../util/did-you-mean';
import { clip, quote } from '../util/quote';
import { checkFormat } from './formats';
import { MAX_ISSUES } from './limits';
import { rangeText, type ObjectSpec, type StringFormat, type TypeSpec } from './schema-lang';

export interface Pos {
  line: number; // 1-based
  column: number; // 1-based
}

export interface Issue extends Pos {
  path: string;
  message: string;
}

/** Where a value of the typed form came from: its YAML path and position. */
export interface Origin extends Pos {
  path: string;
}

/**
 * Origins of each validated object and array: the object itself and each of its fields
 * (by typed-form name) or items (by index). Defaulted fields point at their parent.
 */
export interface Meta {
  self: Origin;
  children: Map<string | number, Origin>;
}

/** The name of the root in messages, where a field path would be empty. */
export const ROOT = '(document)';

/** Thrown by issue() at MAX_ISSUES, to stop the validator and the rules wherever they are. */
export class TooManyIssues extends Error {}

export class Validator {
  readonly issues: Issue[] = [];
  readonly meta = new WeakMap<object, Meta>();
  private readonly aliases: Aliases;

  constructor(
    doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {
    this.aliases = new Aliases(doc, (o, message) => this.issue(o, o.path, message));
  }

  posOf(node: Node | null | undefined, fallback?: Pos): Pos {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback ?? { line: 1, column: 1 };
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  issue(at: Pos, path: string, message: string): void {
    this.issues.push({ line: at.line, column: at.column, path: path || ROOT, message });
    if (this.issues.length >= MAX_ISSUES) throw new TooManyIssues();
  }

  sourcePos(at: Pos): { file: string; line: number; column: number } {
    return { file: this.file, line: at.line, column: at.column };
  }

  /** Validates `node` as `spec`; returns the typed value, or undefined when invalid. */
  value(node: unknown, spec: TypeSpec, path: string, at: Pos): unknown {
    if (isAlias(node)) return this.throughAlias(node, spec, path, at);
    if (!this.aliases.spend()) return undefined;
    const here = isScalar(node) || isMap(node) || isSeq(node) ? this.posOf(node, at) : at;
    switch (spec.type) {
      case 'string': {
        if (!isScalar(node) || typeof node.value !== 'string') {
          this.issue(here, path, `expected a string, found ${describe(node)}`);
          return undefined;
        }
        const s = node.value;
        if (spec.enum) {
          if (!spec.enum.includes(s)) {
            this.issue(here, path, `${quote(s)} is not one of ${spec.enum.join(', ')}${didYouMean(s, spec.enum)}`);
            return undefined;
          }
          return s;
        }
        if (!spec.format) return s;
        const r = checkFormat(spec.format, s);
        if ('error' in r) {
          this.issue(here, path, r.error);
          return undefined;
        }
        return r.value;
      }
      case 'number': {
        if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
          this.issue(here, path, `expected ${spec.integer ? 'an integer' : 'a number'}, found ${describe(node)}`);
          return undefined;
        }
        const n = node.value;
        if (spec.integer && !Number.isInteger(n)) {
          this.issue(here, path, `expected an integer, found ${n}`);
          return undefined;
        }
        const tooLow = spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min);
        const tooHigh = spec.max !== undefined && n > spec.max;
        if (tooLow || tooHigh) {
          this.issue(here, path, `${n} is out of range (${rangeText(spec)})`);
          return undefined;
        }
        if (spec.enum && !spec.enum.includes(n)) {
          this.issue(here, path, `${n} is not one of ${spec.enum.join(', ')}`);
          return undefined;
        }
        return n;
      }
      case 'boolean':
        if (!isScalar(node) || typeof node.value !== 'boolean') {
          this.issue(here, path, `expected true or false, found ${describe(node)}`);
          return undefined;
        }
        return node.value;
      case 'list': {
        if (!isSeq(node)) {
          if (spec.orSingle && isScalar(node) && node.value !== null) {
            const one = this.value(node, spec.items, path, here);
            if (one === undefined) return undefined;
            const out = [one];
            this.meta.set(out, { self: { ...here, path }, children: new Map([[0, { ...here, path }]]) });
            return out;
          }
          this.issue(here, path, `expected a list${spec.orSingle ? ' or a single value' : ''}, found ${describe(node)}`);
          return undefined;
        }
        const out: unknown[] = [];
        const children = new Map<string | number, Origin>();
        for (let i = 0; i < node.items.length && !this.aliases.exhausted; i++) {
          const item = node.items[i];
          const itemPath = `${path}[${i}]`;
          const itemPos = this.posOf(this.deref(item) as Node, here);
          const v = this.value(item, spec.items, itemPath, itemPos);
          if (v !== undefined) {
            children.set(out.length, { ...itemPos, path: itemPath });
            out.push(v);
          }
        }
        this.meta.set(out, { self: { ...here, path }, children });
        return out;
      }
      case 'map': {
        if (!isMap(node)) {
          this.issue(here, path, `expected a map, found ${describe(node)}`);
          return undefined;
        }
        const out: Record<string, unknown> = {};
        const children = new Map<string | number, Origin>();
        const keys = new Map<string, Pos>();
        for (const pair of node.items) {
          if (!this.aliases.spend()) return undefined;
          const key = this.key(pair.key, path, here);
          if (key === undefined) continue;
          const keyPos = this.posOf(pair.key as Node, here);
          if (this.duplicate(keys, key.text, keyPos, path)) continue;
          const kf = checkFormat(spec.keyFormat, key.text);
          if ('error' in kf) {
            this.issue(keyPos, joinPath(path, key.text), kf.error);
            continue;
          }
          const valuePath = joinPath(path, key.text);
          const valuePos = this.valuePos(pair.value, keyPos);
          const v = this.value(pair.value, spec.values, valuePath, valuePos);
          if (v !== undefined) {
            // Free keys: `__proto__` must become a key, not the object's prototype.
            Object.defineProperty(out, key.text, { value: v, enumerable: true, writable: true, configurable: true });
            children.set(key.text, { ...valuePos, path: valuePath });
          }
        }
        this.meta.set(out, { self: { ...here, path }, children });
        return out;
      }
      case 'union': {
        const kind = kindOf(node);
        const alt = spec.of.find((t) => t.type === kind);
        if (!alt) {
          const kinds = spec.of.map((t) => (t.type === 'list' ? (t.items.type === 'string' ? 'a list of strings' : 'a list') : `a ${t.type}`));
          this.issue(here, path, `expected ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}, found ${describe(node)}`);
          return undefined;
        }
        return this.value(node, alt, path, here);
      }
      case 'object':
        return this.object(node, spec.object, path, here);
    }
  }

  private object(node: unknown, spec: ObjectSpec, path: string, at: Pos): Record<string, unknown> | undefined {
    if (spec.shorthand && isScalar(node) && typeof node.value === 'string') {
      const field = spec.fields[spec.shorthand];
      const out: Record<string, unknown> = {};
      const v = this.value(node, field.type, joinPath(path, spec.shorthand), at);
      if (v === undefined) return undefined;
      out[field.as ?? spec.shorthand] = v;
      const children = new Map<string | number, Origin>([[field.as ?? spec.shorthand, { ...at, path: joinPath(path, spec.shorthand) }]]);
      this.fillDefaults(spec, out, new Set([spec.shorthand]), path, at, children);
      this.meta.set(out, { self: { ...at, path }, children });
      if (spec.pos) out.pos = this.sourcePos(at);
      return out;
    }
    if (!isMap(node)) {
      const alt = spec.shorthand ? ` or a ${spec.shorthand} name` : '';
      this.issue(at, path, `expected a map (${spec.name})${alt}, found ${describe(node)}`);
      return undefined;
    }

    // Collect keys first (to know whether the single-key form applies).
    const pairs: { key: string; keyPos: Pos; value: unknown }[] = [];
    const keys = new Map<string, Pos>();
    for (const pair of node.items) {
      if (!this.aliases.spend()) return undefined;
      if (!isPair(pair)) continue;
      const key = this.key(pair.key, path, at);
      if (key === undefined) continue;
      const keyPos = this.posOf(pair.key as Node, at);
      if (this.duplicate(keys, key.text, keyPos, path)) continue;
      pairs.push({ key: key.text, keyPos, value: pair.value });
    }

    const out: Record<string, unknown> = {};
    const children = new Map<string | number, Origin>();
    const seen = new Set<string>();

    if (spec.singleKey && !pairs.some((p) => p.key === spec.singleKey!.nameField)) {
      const { nameField, valueField } = spec.singleKey;
      if (pairs.length !== 1) {
        this.issue(
          at,
          path,
          `${article(spec.name)} ${spec.name.toLowerCase()} is either a map with exactly one key (the ${nameField} name) or has ${article(nameField)} \`${nameField}\` field; found keys: ${listKeys(pairs.map((p) => p.key))}`,
        );
        return undefined;
      }
      const [{ key, keyPos, value }] = pairs;
      const r = checkFormat((spec.fields[nameField].type as { format: StringFormat }).format, key);
      if ('error' in r) {
        this.issue(keyPos, path, r.error);
        out[nameField] = undefined;
      } else {
        out[nameField] = r.value;
      }
      // The name is the key itself (`- CreateVpc: …`): report it as the item, not as a field.
      children.set(nameField, { ...keyPos, path });
      const valuePath = joinPath(path, key);
      const valuePos = this.valuePos(value, keyPos);
      if (!isNull(value)) {
        const v = this.value(value, spec.fields[valueField].type, valuePath, valuePos);
        if (v !== undefined) out[valueField] = v;
        children.set(valueField, { ...valuePos, path: valuePath });
        seen.add(valueField);
      }
      seen.add(nameField);
    } else {
      for (const { key, keyPos, value } of pairs) {
        // Own fields only: `constructor` or `toString` must not find Object.prototype's.
        const field = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
        const fieldPath = joinPath(path, key);
        if (!field) {
          const names = Object.keys(spec.fields);
          const hint = suggest(key, names);
          this.issue(
            keyPos,
            fieldPath,
            hint
              ? `unknown field (did you mean ${hint}?)`
              : `unknown field; ${spec.name} fields are ${names.join(', ')}`,
          );
          continue;
        }
        if (isNull(value)) continue; // `key:` with nothing: same as absent
        seen.add(key);
        const valuePos = this.valuePos(value, keyPos);
        const v = this.value(value, field.type, fieldPath, valuePos);
        out[field.as ?? key] = v;
        children.set(field.as ?? key, { ...valuePos, path: fieldPath });
      }
    }

    for (const [key, field] of Object.entries(spec.fields)) {
      if (field.required && !seen.has(key)) {
        const present = pairs.find((p) => p.key === key);
        if (present) this.issue(present.keyPos, joinPath(path, key), 'has no value');
        else this.issue(at, joinPath(path, key), `missing required field ${key}`);
      }
    }
    this.fillDefaults(spec, out, seen, path, at, children);
    this.meta.set(out, { self: { ...at, path }, children });
    if (spec.pos) out.pos = this.sourcePos(at);
    return out;
  }

  private fillDefaults(
    spec: ObjectSpec,
    out: Record<string, unknown>,
    seen: Set<string>,
    path: string,
    at: Pos,
    children: Map<string | number, Origin>,
  ): void {
    for (const [key, field] of Object.entries(spec.fields)) {
      if (seen.has(key) || field.default === undefined) continue;
      const d = field.default;
      const value = Array.isArray(d) ? [...d] : typeof d === 'object' && d !== null ? { ...d } : d;
      if (typeof value === 'object' && value !== null) {
        this.meta.set(value, { self: { ...at, path: joinPath(path, key) }, children: new Map() });
      }
      out[field.as ?? key] = value;
      children.set(field.as ?? key, { ...at, path: joinPath(path, key) });
    }
  }

  /** Reports a key seen before in this map (linear, unlike yaml's uniqueKeys). */
  private duplicate(keys: Map<string, Pos>, key: string, at: Pos, path: string): boolean {
    const first = keys.get(key);
    if (first === undefined) {
      keys.set(key, at);
      return false;
    }
    this.issue(at, joinPath(path, key), `duplicate key, first at line ${first.line} column ${first.column} (keys of a map must be unique)`);
    return true;
  }

  private key(node: unknown, path: string, at: Pos): { text: string } | undefined {
    node = this.deref(node);
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      return { text: String(node.value) };
    }
    this.issue(this.posOf(node as Node, at), path, `keys must be plain names, found ${describe(node)}`);
    return undefined;
  }

  /** Position of a value; an empty value (`key:`) has no useful position, so use the key's. */
  private valuePos(value: unknown, keyPos: Pos): Pos {
    const v = this.deref(value);
    if (isNull(v)) return keyPos;
    return this.posOf(v as Node, keyPos);
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? this.aliases.resolve(node) : node;
  }

  private throughAlias(alias: Alias, spec: TypeSpec, path: string, at: Pos): unknown {
    const target = this.aliases.resolve(alias);
    const pos = this.posOf(alias, at);
    if (target === undefined) {
      this.issue(pos, path, `*${clip(alias.source)} refers to no anchor: an alias repeats a value marked &${clip(alias.source)} earlier in the file`);
      return undefined;
    }
    if (this.aliases.exhausted) return undefined;
    return this.aliases.through({ ...pos, path }, () => this.value(target, spec, path, at));
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function kindOf(node: unknown): string {
  if (isSeq(node)) return 'list';
  if (isMap(node)) return 'map';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return 'string';
    if (typeof v === 'number') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    return 'null';
  }
  return 'null';
}

function describe(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'nothing';
    if (typeof v === 'string') return `the string ${quote(v)}`;
    if (typeof v === 'number') return `the number ${v}`;
    if (typeof v === 'boolean') return `${v}`;
    return `a ${typeof v}`;
  }
  return 'nothing';
}

/** Up to five keys for a message, each clipped. */
function listKeys(keys: string[]): string {
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 5).map((k) => clip(k, 40));
  return keys.length > 5 ? `${shown.join(', ')}, … (${keys.length} keys)` : shown.join(', ');
}

export function joinPath(parent: string, key: string): string {
  const k = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/.test(key) ? key : quote(key);
  return parent === '' ? k : `${parent}.${k}`;
}
