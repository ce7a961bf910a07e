/** What the scanner reports, in document order. Names keep their namespace prefix ("x:row"). */
export interface XmlEvents {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  /** Character data between tags (entities decoded, line ends normalized), and CDATA sections. */
  text(text: string): void;
}

const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const GT = 62;
const SLASH = 47;
const QUESTION = 63;
const BANG = 33;
const EQUALS = 61;
const ATTRIBUTE_SPECIAL = /[&\t\n\r]/;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Character references and the five predefined entities; any other entity makes the document not well-formed. */
function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(/&([^;&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`XML: "&" without ";" in "${text.slice(0, 40)}"`);
    if (name in PREDEFINED) return PREDEFINED[name];
    const code = /^#x[0-9a-fA-F]+$/.test(name)
      ? parseInt(name.slice(2), 16)
      : /^#[0-9]+$/.test(name)
        ? parseInt(name.slice(1), 10)
        : NaN;
    if (!(code > 0 && code <= 0x10ffff)) throw new Error(`XML: undefined entity &${name};`);
    return String.fromCodePoint(code);
  });
}

/** XML's end-of-line handling: CR LF and a lone CR read as LF. */
function normalizeLineEnds(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
}

/**
 * A streaming reader of the XML a spreadsheet writes, for the worksheet part: elements, attributes,
 * character data, CDATA; declarations, processing instructions and comments skipped; a DOCTYPE refused.
 * It checks what the import relies on, that the document is well-formed as elements go: every tag
 * closed by its own name, one root, no text outside it, only defined entities; a failure throws. It
 * replaced saxes for the sheet (bench/import.ts: saxes made an object per tag and attribute, 2.1 of
 * the 10.5 GB a 100,000-row import allocated); saxes still reads the workbook's other parts through
 * exceljs. Unlike saxes it does not refuse control characters in text, which no spreadsheet writes.
 */
export class XmlScanner {
  private pending = '';
  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootClosed = false;
  /** The attribute `attribute` read last (fields rather than an object per attribute: a sheet has millions). */
  private attributeName = '';
  private attributeValue = '';

  constructor(private readonly events: XmlEvents) {}

  write(chunk: string): void {
    const text = this.pending ? this.pending + chunk : chunk;
    const done = this.scan(text, false);
    this.pending = done === text.length ? '' : text.slice(done);
  }

  /** The end of the document: anything left open makes it not well-formed. */
  close(): void {
    const text = this.pending;
    this.pending = '';
    if (this.scan(text, true) !== text.length) throw new Error('XML: the document ends inside a tag');
    if (this.stack.length) throw new Error(`XML: <${this.stack[this.stack.length - 1]}> is not closed`);
    if (!this.rootSeen) throw new Error('XML: no root element');
  }

  /** Reads whole tokens from `text`; returns where the unread rest (an incomplete token) begins. */
  private scan(text: string, final: boolean): number {
    let at = 0;
    for (;;) {
      const lt = text.indexOf('<', at);
      if (lt < 0) {
        if (!final) return at;
        this.characters(text.slice(at));
        return text.length;
      }
      if (lt > at) this.characters(text.slice(at, lt));
      const end = this.markup(text, lt);
      if (end < 0) return lt;
      at = end;
    }
  }

  /** The markup at `lt`: where it ends, or -1 when the text stops before it does. */
  private markup(text: string, lt: number): number {
    const next = text.charCodeAt(lt + 1);
    if (next === SLASH) {
      const gt = text.indexOf('>', lt + 2);
      if (gt < 0) return -1;
      this.closeTag(text.slice(lt + 2, gt).trimEnd());
      return gt + 1;
    }
    if (next === QUESTION) {
      const end = text.indexOf('?>', lt + 2);
      return end < 0 ? -1 : end + 2;
    }
    if (next === BANG) return this.declaration(text, lt);
    if (Number.isNaN(next)) return -1;
    return this.openTag(text, lt);
  }

  private declaration(text: string, lt: number): number {
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      return end < 0 ? -1 : end + 3;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return -1;
      this.inside('CDATA');
      this.events.text(normalizeLineEnds(text.slice(lt + 9, end)));
      return end + 3;
    }
    if (text.length - lt < 9) return -1;
    throw new Error('XML: a DOCTYPE or other declaration has no place in a worksheet');
  }

  private openTag(text: string, lt: number): number {
    let i = lt + 1;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (isSpace(code) || code === GT || code === SLASH) break;
      i++;
    }
    if (i >= text.length) return -1;
    const name = text.slice(lt + 1, i);
    if (!name) throw new Error('XML: a tag without a name');
    let attributes: Record<string, string> | null = null;
    for (;;) {
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      if (i >= text.length) return -1;
      const code = text.charCodeAt(i);
      if (code === GT) return this.opened(name, attributes, false, i + 1);
      if (code === SLASH) {
        if (i + 1 >= text.length) return -1;
        if (text.charCodeAt(i + 1) !== GT) throw new Error(`XML: "/" inside <${name}>`);
        return this.opened(name, attributes, true, i + 2);
      }
      const end = this.attribute(text, i, name);
      if (end < 0) return -1;
      attributes ??= {};
      if (this.attributeName in attributes) throw new Error(`XML: <${name}> repeats ${this.attributeName}`);
      attributes[this.attributeName] = this.attributeValue;
      i = end;
    }
  }

  /** `name="value"` at `start` into attributeName/attributeValue: where it ends, or -1 when the text stops before its closing quote. */
  private attribute(text: string, start: number, tag: string): number {
    let i = start;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (isSpace(code) || code === EQUALS || code === GT || code === SLASH) break;
      i++;
    }
    const nameEnd = i;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return -1;
    if (nameEnd === start || text.charCodeAt(i) !== EQUALS)
      throw new Error(`XML: an attribute of <${tag}> without a value`);
    i++;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return -1;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") throw new Error(`XML: an unquoted attribute value in <${tag}>`);
    const close = text.indexOf(quote, i + 1);
    if (close < 0) return -1;
    this.attributeName = text.slice(start, nameEnd);
    const raw = text.slice(i + 1, close);
    // Attribute-value normalization: each line end, tab, CR or LF reads as a space (a reference to one stays).
    this.attributeValue = ATTRIBUTE_SPECIAL.test(raw)
      ? decodeEntities(normalizeLineEnds(raw).replace(/[\t\n]/g, ' '))
      : raw;
    if (raw.indexOf('<') >= 0) throw new Error(`XML: "<" in an attribute value of <${tag}>`);
    return close + 1;
  }

  private opened(name: string, attributes: Record<string, string> | null, selfClosing: boolean, end: number): number {
    if (this.rootClosed) throw new Error(`XML: <${name}> after the root element`);
    this.rootSeen = true;
    this.events.open(name, attributes ?? NO_ATTRIBUTES);
    if (selfClosing) {
      if (!this.stack.length) this.rootClosed = true;
      this.events.close(name);
    } else this.stack.push(name);
    return end;
  }

  private closeTag(name: string): void {
    const open = this.stack.pop();
    if (open !== name) throw new Error(`XML: </${name}> closes ${open ? `<${open}>` : 'nothing'}`);
    if (!this.stack.length) this.rootClosed = true;
    this.events.close(name);
  }

  private characters(raw: string): void {
    if (!this.stack.length) {
      if (raw.trim()) throw new Error('XML: text outside the root element');
      return;
    }
    this.events.text(decodeEntities(normalizeLineEnds(raw)));
  }

  private inside(what: string): void {
    if (!this.stack.length) throw new Error(`XML: ${what} outside the root element`);
  }
}
