// YAML aliases (`*svc`) as the validator meets them: what each one stands for, and what
// the file may spend on them. The validator walks what an alias stands for as if it were
// written there, so an alias of an alias of … multiplies the work ("billion laughs": a
// 20 KB file held the loader for minutes); every value walked through an alias is paid
// for from one budget per file, MAX_ALIAS_EXPANSION.

import { isAlias, visit, type Alias, type Document } from 'yaml';
import { MAX_ALIAS_EXPANSION } from './limits';

/** A place in the file, as the validator reports it. */
export interface AliasOrigin {
  line: number;
  column: number;
  path: string;
}

export class Aliases {
  /** Each alias node → the node it stands for (undefined: no such anchor before it). */
  private table?: Map<Alias, unknown>;
  /** > 0 while walking what an alias stands for; `outermost` is the alias that started it. */
  private depth = 0;
  private outermost?: AliasOrigin;
  private spent = 0;
  /** The budget ran out: every further value through an alias is refused, silently. */
  exhausted = false;

  constructor(
    private readonly doc: Document,
    /** Called once, when the budget runs out, at the outermost alias being walked. */
    private readonly overspent: (at: AliasOrigin, message: string) => void,
  ) {}

  /**
   * What an alias stands for: the last node before it with that anchor, as the YAML spec
   * (and yaml's Alias.resolve) has it; one walk of the document for all aliases, where
   * Alias.resolve walks the whole document for each one.
   */
  resolve(alias: Alias): unknown {
    if (!this.table) {
      const table = new Map<Alias, unknown>();
      const anchors = new Map<string, unknown>();
      visit(this.doc, {
        Node: (_key, n) => {
          if (isAlias(n)) table.set(n, anchors.get(n.source));
          else if (n.anchor) anchors.set(n.anchor, n);
        },
      });
      this.table = table;
    }
    return this.table.get(alias);
  }

  /** Runs `walk` (the validation of what the alias at `at` stands for) as paid for by it. */
  through<T>(at: AliasOrigin, walk: () => T): T {
    if (this.depth === 0) this.outermost = at;
    this.depth++;
    try {
      return walk();
    } finally {
      this.depth--;
    }
  }

  /** Pays for one value about to be walked; false once the file's budget is spent. */
  spend(): boolean {
    if (this.depth === 0) return true;
    if (this.exhausted) return false;
    if (++this.spent <= MAX_ALIAS_EXPANSION) return true;
    this.exhausted = true;
    this.overspent(
      this.outermost!,
      `aliases expand to more than ${MAX_ALIAS_EXPANSION} values by here; a file may repeat only so much through anchors (&name / *name)`,
    );
    return false;
  }
}
