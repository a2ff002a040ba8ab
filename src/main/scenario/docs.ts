// The reference part of docs/scenario-format.md, rendered from the shape (shape.ts) so the
// documentation cannot drift from what the loader accepts. The doc embeds the output
// between markers; test/unit/scenario/docs.test.ts checks it (UPDATE_DOCS=1 rewrites it).

import { FORMAT_DOCS } from './formats';
import { rangeText, type FieldSpec, type TypeSpec } from './schema-lang';
import { ALL_OBJECTS } from './shape';

function typeDoc(t: TypeSpec): string {
  switch (t.type) {
    case 'string':
      if (t.enum) return t.enum.map((e) => `\`${e}\``).join(' \\| ');
      return t.format && FORMAT_DOCS[t.format] !== '' ? `string (${FORMAT_DOCS[t.format]})` : 'string';
    case 'number':
      if (t.enum) return t.enum.map((e) => `\`${e}\``).join(' \\| ');
      return t.min === undefined && t.max === undefined
        ? t.integer ? 'integer' : 'number'
        : `${t.integer ? 'integer' : 'number'} (${rangeText(t)})`;
    case 'boolean':
      return 'boolean';
    case 'list': {
      const items = t.items.type === 'union' ? `(${typeDoc(t.items)})` : typeDoc(t.items);
      return t.orSingle ? `${items} or list of them` : `list of ${items}`;
    }
    case 'map':
      return t.docAs ?? `map of ${FORMAT_DOCS[t.keyFormat]} → ${typeDoc(t.values)}`;
    case 'union':
      return t.of.map(typeDoc).join(' \\| ');
    case 'object':
      return `[${t.object.name}](#${t.object.name.toLowerCase()})`;
  }
}

function defaultDoc(f: FieldSpec): string {
  if (f.required) return '**required**';
  if (f.defaultDoc) return f.defaultDoc;
  if (f.default === undefined) return '—';
  if (Array.isArray(f.default)) return '`[]`';
  if (typeof f.default === 'object') return '`{}`';
  if (f.default === '') return '`""`';
  return `\`${String(f.default)}\``;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown tables for every object type: field, type, default, meaning. */
export function renderSchemaReference(): string {
  const parts: string[] = [];
  for (const o of ALL_OBJECTS) {
    parts.push(`### ${o.name}\n`);
    parts.push(`${o.doc}\n`);
    parts.push('| Field | Type | Default | Meaning |');
    parts.push('|---|---|---|---|');
    for (const [name, f] of Object.entries(o.fields)) {
      const type = typeDoc(f.type); // already escaped where it joins alternatives
      parts.push(`| \`${name}\` | ${type} | ${cell(defaultDoc(f))} | ${cell(f.doc)} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}
