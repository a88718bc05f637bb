/**
 * Serializes the drawn graph as a standalone SVG: theme colours come from CSS
 * variables that do not exist outside the webview, so the computed styles are
 * inlined on a clone, and the clone is framed on the whole graph.
 */
import type { Layout } from './layoutTypes';

const INLINED = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'display', 'visibility'];

export function serializeSvg(svg: SVGSVGElement, layout: Layout): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((original, i) => {
    const copy = copies[i];
    if (!(copy instanceof SVGElement)) return;
    const computed = getComputedStyle(original);
    for (const property of INLINED) copy.style.setProperty(property, computed.getPropertyValue(property));
    copy.removeAttribute('class');
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('viewBox', `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`);
  clone.setAttribute('width', String(Math.ceil(layout.width)));
  clone.setAttribute('height', String(Math.ceil(layout.height)));
  clone.querySelector('g')?.parentElement?.querySelectorAll(':scope > g').forEach((g) => g.removeAttribute('transform'));
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.style.setProperty('fill', getComputedStyle(document.body).getPropertyValue('background-color'));
  clone.insertBefore(background, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}
