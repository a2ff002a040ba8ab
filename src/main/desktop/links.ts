// Which links of the page the desktop app hands to the user's browser: the public documents
// a tutorial cites (https only). Everything else stays refused, as in lockDown (index.ts):
// the page itself never navigates and never opens a window of its own.

export function isExternalDocLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
