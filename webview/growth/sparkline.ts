/** A word-sized line chart of a series (Tufte's sparkline): a count in every snapshot at a glance. */
const SVG_NS = 'http://www.w3.org/2000/svg';

export const SPARK_WIDTH = 48;
export const SPARK_HEIGHT = 14;

/** Missing values (a collection that did not exist yet) leave a gap; the last point is marked. */
export function sparkline(values: readonly (number | null)[]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', String(SPARK_WIDTH));
  svg.setAttribute('height', String(SPARK_HEIGHT));
  svg.setAttribute('viewBox', `0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`);
  svg.setAttribute('aria-hidden', 'true');
  const points = sparkPoints(values);
  if (points.length === 0) return svg;
  const line = document.createElementNS(SVG_NS, 'polyline');
  line.setAttribute('points', points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '));
  svg.append(line);
  const last = points[points.length - 1];
  const dot = document.createElementNS(SVG_NS, 'circle');
  dot.setAttribute('cx', last.x.toFixed(1));
  dot.setAttribute('cy', last.y.toFixed(1));
  dot.setAttribute('r', '1.8');
  svg.append(dot);
  return svg;
}

/** Points scaled to the series' own range (a flat series sits in the middle); x spreads over the snapshots. */
export function sparkPoints(values: readonly (number | null)[]): { x: number; y: number }[] {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return [];
  const min = Math.min(...present);
  const max = Math.max(...present);
  const pad = 2;
  const step = values.length > 1 ? (SPARK_WIDTH - 2 * pad) / (values.length - 1) : 0;
  const points: { x: number; y: number }[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    const y = max === min ? SPARK_HEIGHT / 2 : SPARK_HEIGHT - pad - ((v - min) / (max - min)) * (SPARK_HEIGHT - 2 * pad);
    points.push({ x: pad + i * step, y });
  });
  return points;
}
