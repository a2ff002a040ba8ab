// A tutorial's `source:` as the Library card shows it: the public document it follows,
// written `Title — https://…`, a bare URL, or plain words (no link).

export interface SourceLink {
  title: string;
  url: string | null;
}

const URL_AT_END = /^(.*?)\s*(?:—|–|-)?\s*(https?:\/\/\S+)$/s;

export function sourceLink(source: string): SourceLink {
  const text = source.trim();
  const m = URL_AT_END.exec(text);
  if (!m) return { title: text, url: null };
  const url = m[2];
  return { title: m[1].trim() || url, url };
}
