// Reads an SVG the way a browser would have to: a strict XML parser (sax),
// which throws on anything that is not well-formed, and the decoded text of
// every element, so tests can assert what a viewer shows rather than bytes.
import sax from 'sax';

export interface SvgDocument {
  /** Every element name, in document order. */
  elements: string[];
  /** The decoded text of every <text> element (Graphviz writes runs of spaces as no-break spaces: read back as spaces). */
  texts: string[];
}

export function parseSvg(svg: string): SvgDocument {
  const parser = sax.parser(true);
  const elements: string[] = [];
  const texts: string[] = [];
  let inText = false;
  parser.onerror = (error) => {
    throw new Error(`not well-formed XML: ${error.message}`);
  };
  parser.onopentag = (tag) => {
    elements.push(tag.name);
    if (tag.name === 'text') {
      inText = true;
      texts.push('');
    }
  };
  parser.onclosetag = (name) => {
    if (name === 'text') inText = false;
  };
  parser.ontext = (text) => {
    if (inText) texts[texts.length - 1] += text;
  };
  parser.write(svg).close();
  for (let i = 0; i < texts.length; i++) texts[i] = texts[i].replace(/\u00a0/g, ' ');
  if (elements[0] !== 'svg') throw new Error(`the root element is <${elements[0]}>, not <svg>`);
  return { elements, texts };
}
