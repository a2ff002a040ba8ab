// How much work a scenario file may make the loader do. A tutorial is a few hundred lines
// written by hand; these limits are far above that and far below what hangs the app: a
// 20 KB file repeating an anchor 2,000 × 2,000 times held the loader for minutes at
// 750 MB, 100,000 `[` overflowed the stack (issue 10). docs/scenario-format.md states them.

/** Larger files are refused before they are read. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Lists and maps inside each other; the deepest real scenario field is 7 levels down. */
export const MAX_DEPTH = 64;

/**
 * Values the validator may visit through YAML aliases (`*svc`), all aliases together: an
 * alias costs the size of what it stands for, so `&a [x × 2000]` used 2,000 times costs
 * 4,000,000 and is refused, while a services list reused on every host costs a few dozen.
 */
export const MAX_ALIAS_EXPANSION = 10_000;

/**
 * Problems collected before the loader stops looking. Nobody reads past the first few
 * (the message lists 20), and work per problem (a did-you-mean among the file's names)
 * would otherwise grow with the square of a broken file's size.
 */
export const MAX_ISSUES = 200;
