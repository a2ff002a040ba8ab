// Values a user gave, as error messages echo them back: JSON-quoted, so that control
// characters and stray spaces show (`"a\u0000b"`, `" 1"`), and clipped, because a message
// that repeats a 10 MB value is itself 10 MB (issue 10).

/** How much of a value a message repeats. */
export const QUOTE_MAX = 60;

/** `"value"`, or its first QUOTE_MAX characters and the full length: `"xxx…"… (10485760 characters)`. */
export function quote(s: string, max = QUOTE_MAX): string {
  if (s.length <= max) return json(s);
  return `${json(head(s, max))}… (${s.length} characters)`;
}

/** JSON.stringify escapes C0 controls only; DEL and C1 controls are as invisible. */
function json(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same clipping for text that is not quoted (another library's message, a path). */
export function clip(s: string, max = QUOTE_MAX): string {
  return s.length <= max ? s : `${head(s, max)}… (${s.length} characters)`;
}

/** The first `max` characters, not splitting a surrogate pair (half an emoji prints as garbage). */
function head(s: string, max: number): string {
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
