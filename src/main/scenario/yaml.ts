// YAML text to a syntax tree, guarded against what a broken or hostile file can do to the
// `yaml` package: its composer recurses once per nesting level (100,000 `[` overflowed
// the stack), so the depth is measured while the iterative parser runs and the document
// is composed only if it is within MAX_DEPTH. Duplicate keys are left to the validator:
// yaml's `uniqueKeys` compares each key with every other one (60,000 keys took 66 s).
// Aliases are not expanded here; the validator resolves them under a budget.

import { Composer, Lexer, LineCounter, Parser, type CST, type Document } from 'yaml';
import { clip } from '../util/quote';
import { MAX_DEPTH } from './limits';
import { ROOT, type Issue } from './validator';

export type ParsedYaml = { ok: true; doc: Document.Parsed; lines: LineCounter } | { ok: false; issues: Issue[] };

/** How long a message of the yaml package may be (some repeat the offending token). */
const MESSAGE_MAX = 200;

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

class TooDeep {
  constructor(readonly offset: number) {}
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const docs: Document.Parsed[] = [];
  try {
    for (const d of new Composer({ prettyErrors: false, uniqueKeys: false }).compose(tokens(text, lines), true, text.length)) {
      docs.push(d);
      if (docs.length > 1) break;
    }
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    return { ok: false, issues: [issueAt(lines, e.offset, ROOT, `nested deeper than ${MAX_DEPTH} levels (lists and maps inside each other)`)] };
  }
  const [doc, extra] = docs;
  const issues = doc.errors.map((e) => issueAt(lines, e.pos[0], '(syntax)', clip(e.message, MESSAGE_MAX)));
  if (extra) issues.push(issueAt(lines, extra.range[0], '(syntax)', 'a scenario file holds one YAML document; another starts here'));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, doc, lines };
}

/** The parser's tokens, as Parser.parse() yields them, stopping at the first level too deep. */
function* tokens(text: string, lines: LineCounter): Generator<CST.Token> {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    // The stack holds the document, each open collection and at most a scalar or two; it is
    // only this long when collections nest, so the exact count is rarely taken.
    if (parser.stack.length > MAX_DEPTH) {
      const open = parser.stack.filter((t) => COLLECTIONS.has(t.type));
      if (open.length > MAX_DEPTH) throw new TooDeep(open[MAX_DEPTH].offset);
    }
  }
  yield* parser.end();
}

function issueAt(lines: LineCounter, offset: number, path: string, message: string): Issue {
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col, path, message };
}
