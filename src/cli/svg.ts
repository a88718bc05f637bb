/**
 * DOT → SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz),
 * so `--format svg` needs no Graphviz on the machine. Graphviz writes label
 * text as XML text (`<` as `&lt;`), and formatWalkDot escapes DOT's own
 * specials, so heap strings stay text in the image.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

let graphviz: Promise<Graphviz> | undefined;

/** Lays out `dot` with Graphviz's `dot` engine; the WebAssembly is compiled on first use. */
export async function renderDotSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).dot(dot, 'svg');
}
