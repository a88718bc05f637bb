/** The colour key: one swatch per role, plus how the shortest path, cycles and cut retainers look. */
import { h } from './dom';
import { ROLES } from './roles';

export function renderLegend(): HTMLElement {
  const items = ROLES.map((info) =>
    h('li', { 'data-role': info.role }, h('span', { class: `swatch role-${info.role}${info.role === 'plain' ? ' depth-3' : ''}`, 'aria-hidden': 'true' }), info.name),
  );
  items.push(
    h('li', { 'data-role': 'more' }, h('span', { class: 'swatch more', 'aria-hidden': 'true' }), '+N more: retainers cut by fan-out'),
    h('li', {}, h('span', { class: 'line on-path', 'aria-hidden': 'true' }), 'Shortest path to a root'),
    h('li', {}, h('span', { class: 'line cycle', 'aria-hidden': 'true' }), 'Cycle (points back up)'),
    h('li', {}, h('span', { class: 'line weakmap-entry', 'aria-hidden': 'true' }), 'WeakMap entry: held while both the map and the key live'),
  );
  // A strip under the toolbar rather than an overlay, so it never hides a node; folded
  // to one line in a narrow panel, where four lines of legend would cost the graph its height.
  const box = h('details', { class: 'legend-box' }, h('summary', {}, 'Legend'), h('ul', { class: 'legend', 'aria-label': 'Legend' }, ...items));
  box.open = window.innerWidth >= WIDE_PANEL_PX;
  return box;
}

/** From this width on the legend starts unfolded. */
const WIDE_PANEL_PX = 1000;
