/**
 * A small strict XML parser for checking junit.xml: elements, attributes, text, comments,
 * CDATA and entity/character references. It rejects what a real parser rejects for our output
 * (forbidden characters, bad references, `<` in attributes, mismatched tags) and applies
 * attribute-value normalisation, so a round trip through it shows what CI tools will read.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content, references decoded. */
  text: string;
}

const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) throw new Error(`bare & in ${where}`);
    if (body in NAMED) return NAMED[body]!;
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (m === null) throw new Error(`unknown entity &${body}; in ${where}`);
    const cp = m[1]!.startsWith("x") ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10);
    const ch = String.fromCodePoint(cp);
    if (FORBIDDEN.test(ch)) throw new Error(`reference to forbidden character ${cp} in ${where}`);
    return ch;
  });
}

export function parseXml(src: string): XmlElement {
  const bad = FORBIDDEN.exec(src);
  if (bad !== null) throw new Error(`forbidden character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  let pos = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${pos}: ${JSON.stringify(src.slice(pos, pos + 40))}`);
  };
  const skipWs = (): void => {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
  };
  const skipMisc = (): void => {
    for (;;) {
      skipWs();
      if (src.startsWith("<?", pos)) pos = src.indexOf("?>", pos) + 2;
      else if (src.startsWith("<!--", pos)) pos = src.indexOf("-->", pos) + 3;
      else return;
      if (pos < 2) fail("unterminated prolog or comment");
    }
  };
  const name = (): string => {
    const m = /^[A-Za-z_:][\w.:-]*/.exec(src.slice(pos, pos + 200));
    if (m === null) return fail("expected a name");
    pos += m[0].length;
    return m[0];
  };

  const element = (): XmlElement => {
    if (src[pos] !== "<") fail("expected <");
    pos++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
    for (;;) {
      skipWs();
      if (src.startsWith("/>", pos)) {
        pos += 2;
        return el;
      }
      if (src[pos] === ">") {
        pos++;
        break;
      }
      const attr = name();
      skipWs();
      if (src[pos] !== "=") fail("expected =");
      pos++;
      skipWs();
      const quote = src[pos];
      if (quote !== '"' && quote !== "'") return fail("expected a quote");
      const end = src.indexOf(quote, pos + 1);
      if (end < 0) fail("unterminated attribute");
      const raw = src.slice(pos + 1, end);
      if (raw.includes("<")) fail("< in attribute value");
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      // Attribute-value normalisation (XML 1.0 §3.3.3): literal whitespace becomes a space.
      el.attrs[attr] = decode(raw.replace(/[\t\n\r]/g, " "), `attribute ${attr}`);
      pos = end + 1;
    }
    for (;;) {
      if (pos >= src.length) fail(`unterminated <${el.name}>`);
      if (src.startsWith("</", pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipWs();
        if (src[pos] !== ">") fail("expected >");
        pos++;
        return el;
      }
      if (src.startsWith("<!--", pos)) {
        pos = src.indexOf("-->", pos) + 3;
      } else if (src.startsWith("<![CDATA[", pos)) {
        const end = src.indexOf("]]>", pos);
        el.text += src.slice(pos + 9, end);
        pos = end + 3;
      } else if (src[pos] === "<") {
        el.children.push(element());
      } else {
        const end = src.indexOf("<", pos);
        const raw = src.slice(pos, end < 0 ? src.length : end);
        if (raw.includes("]]>")) fail("]]> in text");
        el.text += decode(raw.replace(/\r\n?/g, "\n"), `<${el.name}> text`);
        pos += raw.length;
      }
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (pos !== src.length) fail("content after the root element");
  return root;
}

/** All descendants named `name`, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of el.children) {
    if (child.name === name) out.push(child);
    out.push(...findAll(child, name));
  }
  return out;
}
