// An ES-module program: a Markdown renderer (marked) whose output is cached
// in an LRU cache (lru-cache), its renderers kept by a class's static Set;
// then a snapshot. argv: <out.heapsnapshot> <project root> [documents]
import { createRequire } from 'node:module';
import { join } from 'node:path';
const [out, root, documentCount = '7000'] = process.argv.slice(2);
const require = createRequire(join(root, 'package.json'));
const { Marked } = await import(require.resolve('marked'));
const { LRUCache } = await import(require.resolve('lru-cache'));
const writeSnapshot = createRequire(import.meta.url)('./writeSnapshot.cjs');

export class DocRenderer {
  static instances = new Set();
  #cache = new LRUCache({ max: 100_000 });
  #marked = new Marked({ gfm: true });
  #tokens = new Map();

  constructor(name) {
    this.name = name;
    DocRenderer.instances.add(this);
  }

  render(path, source) {
    let html = this.#cache.get(source);
    if (html === undefined) {
      const tokens = this.#marked.lexer(source);
      html = this.#marked.parser(tokens);
      this.#tokens.set(path, tokens);
      this.#cache.set(source, html);
    }
    return html;
  }
}

const page = (i) => `# Page ${i}\n\nSome *text* with a [link](https://example.org/${i}) and \`code ${i}\`.\n\n- item ${i}\n- item ${i + 1}\n  - nested **${i % 7}**\n\n| a | b |\n|---|---|\n| ${i} | ${i * 2} |\n\n> quoted ${i}\n\n\`\`\`js\nconst x = ${i};\n\`\`\`\n`;
const renderers = [new DocRenderer('site'), new DocRenderer('api')];
let bytes = 0;
for (let i = 0; i < Number(documentCount); i++) bytes += renderers[i % 2].render(`docs/page-${i}.md`, page(i)).length;
export const rendered = { bytes };
writeSnapshot(out);
