// The page's Content-Security-Policy has `style-src 'self'` and no 'unsafe-inline', so the
// browser refuses (and logs a violation for) any <style> element and any `style` attribute
// set with setAttribute, even from our own bundled scripts. It does allow stylesheets made
// with the CSSStyleSheet constructor and styles set through `element.style`.
//
// xterm's DOM renderer uses both refused forms: three <style> elements it fills with
// textContent (its theme, cell sizes, scrollbar), and setAttribute('style', …) for 24-bit
// colours. Without them a terminal has no font, colours or cursor, and each one logs a
// violation. installCspStyles() reroutes both to the allowed forms, for the whole page:
// - document.createElement('style') gives a <vpclab-style> element whose textContent goes
//   into a constructed stylesheet, adopted by the document while the element is connected;
// - setAttribute('style', css) sets element.style.cssText, which is what the attribute means.
// Under this policy the refused forms never work, so nothing that worked changes.

const TAG = 'vpclab-style';
let installed = false;

export function installCspStyles(): void {
  if (installed || typeof CSSStyleSheet !== 'function' || typeof customElements === 'undefined') return;
  installed = true;
  const doc = document;

  class StyleSheetElement extends HTMLElement {
    private readonly sheet = new CSSStyleSheet();
    private css = '';

    // xterm writes its rules as textContent; a <style> would parse them, we hand them to the sheet.
    override get textContent(): string {
      return this.css;
    }
    override set textContent(css: string | null) {
      this.css = css ?? '';
      this.sheet.replaceSync(this.css);
    }

    connectedCallback(): void {
      this.hidden = true;
      if (!doc.adoptedStyleSheets.includes(this.sheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, this.sheet];
    }

    disconnectedCallback(): void {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== this.sheet);
    }
  }
  if (!customElements.get(TAG)) customElements.define(TAG, StyleSheetElement);

  const createElement = doc.createElement;
  doc.createElement = function (this: Document, tag: string, options?: ElementCreationOptions): HTMLElement {
    return createElement.call(this, tag.toLowerCase() === 'style' ? TAG : tag, options);
  } as Document['createElement'];

  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string): void {
    const style = (this as Partial<ElementCSSInlineStyle>).style;
    if (name.toLowerCase() === 'style' && style) style.cssText = String(value);
    else setAttribute.call(this, name, value);
  };
}
