/**
 * A small, strict XML parser for the tests of the files Vigil generates (the Windows task XML): elements,
 * attributes, text, comments, the XML declaration and a DOCTYPE. Enough to prove a file well-formed and read
 * its structure; errors carry line and column. Not a general XML parser (no DTD internals, no CDATA).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text directly inside this element (entities decoded). */
  readonly text: string;
  readonly line: number;
}

export class XmlError extends Error {
  readonly code = 'XML_MALFORMED';
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`XML_MALFORMED: ${line}:${column}: ${message}`);
    this.name = 'XmlError';
  }
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /[A-Za-z_][\w.:-]*/y;

export function parseXml(text: string): XmlElement {
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    const before = text.slice(0, at);
    throw new XmlError(message, before.split('\n').length, at - before.lastIndexOf('\n'));
  };
  const lineAt = (at: number) => text.slice(0, at).split('\n').length;
  const decode = (raw: string, at: number): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (m, ent: string | undefined) => {
      if (ent === undefined) return fail('bare & (write &amp;)', at);
      if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
      if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
      return ENTITIES[ent] ?? fail(`unknown entity ${m}`, at);
    });
  const skipMisc = () => {
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = pos;
      ws.exec(text);
      pos = ws.lastIndex;
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos + 2);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
      } else if (text.startsWith('<!DOCTYPE', pos)) {
        const end = text.indexOf('>', pos);
        if (end < 0) fail('unterminated DOCTYPE');
        pos = end + 1;
      } else return;
    }
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (m === null) return fail('expected a name');
    pos = NAME.lastIndex;
    return m[0];
  };
  const element = (): XmlElement => {
    const start = pos;
    if (text[pos] !== '<') fail('expected <');
    pos++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = pos;
      ws.exec(text);
      pos = ws.lastIndex;
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return { name: tag, attributes, children: [], text: '', line: lineAt(start) };
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      const attr = name();
      if (attr in attributes) fail(`duplicate attribute ${attr}`);
      if (text[pos] !== '=') fail(`expected = after ${attr}`);
      const quote = text[pos + 1];
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value', pos + 1);
      const end = text.indexOf(quote!, pos + 2);
      if (end < 0) fail('unterminated attribute value');
      attributes[attr] = decode(text.slice(pos + 2, end), pos);
      pos = end + 1;
    }
    const children: XmlElement[] = [];
    let content = '';
    for (;;) {
      if (pos >= text.length) fail(`<${tag}> is never closed`, start);
      if (text.startsWith('</', pos)) {
        pos += 2;
        const close = name();
        if (close !== tag) fail(`</${close}> closes <${tag}>`);
        if (text[pos] !== '>') fail('expected >');
        pos++;
        return { name: tag, attributes, children, text: content, line: lineAt(start) };
      }
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (text[pos] === '<') children.push(element());
      else {
        const next = text.indexOf('<', pos);
        const end = next < 0 ? text.length : next;
        content += decode(text.slice(pos, end), pos);
        pos = end;
      }
    }
  };
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  skipMisc();
  const root = element();
  skipMisc();
  if (pos !== text.length) fail('content after the root element');
  return root;
}
