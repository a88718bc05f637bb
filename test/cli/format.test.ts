import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Walk, WalkEdge, WalkNode } from '../../src/protocol/walk';
import { formatWalkText, formatShortestPath } from '../../src/engine/format/text';
import { formatWalkDot, DOT_ROLE_COLORS, dotString } from '../../src/engine/format/dot';
import { formatWalkJson } from '../../src/engine/format/json';
import { renderDotSvg } from '../../src/cli/svg';
import { parseSvg } from './svgDocument';

function node(id: number, name: string, level: number, extra: Partial<WalkNode> = {}): WalkNode {
  return { id, name, type: 'object', selfSize: 32, v8SelfSize: 32, retainedSize: null, distance: 3 - level, rootKind: null, label: name, level, retainerCount: 1, internal: false, ...extra };
}
function edge(from: number, to: number, name: string, label: string, extra: Partial<WalkEdge> = {}): WalkEdge {
  return { from, to, name, label, type: 'property', ...extra };
}

// The static-map story, shaped like the engine's walk: Processor.instanceMap.get("bot3") → Processor.
const toTarget = edge(2, 1, 'bot3', 'get("bot3")', { type: 'internal' });
const toMap = edge(3, 2, 'instanceMap', '.instanceMap');
const hostileName = '</script><img src=x onerror=alert(1)> "q" \\N\n\u001b[31mred';
const walk: Walk = {
  target: 1,
  options: { depth: 8, fanOut: 10, includeWeak: false },
  nodes: [
    node(1, 'Processor', 0),
    node(2, 'Map', 1, { rootKind: 'static-map', label: 'Processor.instanceMap' }),
    node(3, 'Processor', 2, { type: 'closure', label: 'class Processor', rootKind: 'global', location: { scriptId: 7, url: 'file:///app/lib/processor.js', line: 11, column: 2 } }),
    node(5, 'Object', 1),
    node(6, hostileName, 2, { label: hostileName }),
  ],
  edges: [toTarget, toMap, edge(5, 1, 'owner', '.owner'), edge(1, 5, 'child', '.child', { cycle: true }), edge(6, 5, 'a"b\\c', '.a"b\\c')],
  truncated: [{ id: 1, hidden: 3, by: 'fan-out' }],
  shortestPath: { nodes: [3, 2, 1], edges: [toMap, toTarget] },
};

describe('text format', () => {
  it('prints the shortest path root first, down to the target', () => {
    const text = formatShortestPath(walk);
    assert.equal(
      text,
      [
        'Shortest path from a root (2 links):',
        '  class Processor (Processor @3) at /app/lib/processor.js:12:3   [global]',
        '    .instanceMap → Processor.instanceMap (Map @2)   [static-map]',
        '    get("bot3") → Processor @1   ← target',
      ].join('\n'),
    );
  });

  it('prints every branch as a tree from the target, with +N more and cycles marked', () => {
    const text = formatWalkText(walk);
    assert.match(text, /^Retainers of Processor @1, self size 32 B\n/);
    assert.match(text, /\n├─ get\("bot3"\) in Processor\.instanceMap \(Map @2\)   \[static-map\]\n│  └─ \.instanceMap in class Processor \(Processor @3\) at \/app\/lib\/processor\.js:12:3   \[global\]\n/);
    assert.match(text, /\n├─ \.owner in Object @5\n│  ├─ \.child in Processor @1   ↻ cycle\n│  └─ \.a"b\\c in <\/script><img src=x onerror=alert\(1\)> "q" \\N\\n\\u001b\[31mred @6\n/);
    assert.match(text, /\n└─ \+3 more retainers, past the fan-out\n/);
    assert.ok(!text.includes('\u001b'), 'no raw terminal escapes from heap strings');
    assert.ok(text.includes('\\u001b[31mred'), 'control characters are shown escaped');
  });

  it('says so when the target is unreachable', () => {
    const lonely: Walk = { ...walk, nodes: [node(1, 'Processor', 0)], edges: [], truncated: [], shortestPath: { nodes: [], edges: [] } };
    assert.match(formatWalkText(lonely), /No strong path from a GC root: the object is unreachable/);
    assert.match(formatWalkText(lonely), /\(no retainers\)/);
  });
});

describe('dot format', () => {
  const dot = formatWalkDot(walk);

  it('colours by role: target red, global green, static-map orange', () => {
    assert.match(dot, new RegExp(`n1 \\[label="Processor\\\\n@1  32 B  d=3", fillcolor="${DOT_ROLE_COLORS.target}"`));
    assert.match(dot, new RegExp(`n2 \\[label="Map\\\\nProcessor.instanceMap\\\\n@2[^"]*", fillcolor="${DOT_ROLE_COLORS['static-map']}"\\]`));
    assert.match(dot, new RegExp(`n3 \\[[^\\n]*fillcolor="${DOT_ROLE_COLORS.global}"`));
    assert.match(dot, /n2 -> n1 \[label="get\(\\"bot3\\"\)", penwidth=2.5\];/);
    assert.match(dot, /more1 \[label="\+3 more", shape=box, style=dotted\];/);
    assert.match(dot, /n1 -> n5 \[label="\.child", style=dashed, constraint=false/);
  });

  it('escapes labels so hostile heap strings stay text', () => {
    assert.equal(dotString('a"b\\N\nc'), '"a\\"b\\\\N\\nc"');
  });

  it('Graphviz (WebAssembly) lays it out as well-formed SVG, hostile strings shown literally', async () => {
    const svg = await renderDotSvg(dot);
    const { elements, texts } = parseSvg(svg);
    assert.ok(texts.includes('Processor.instanceMap'));
    assert.ok(texts.includes('get("bot3")'));
    assert.ok(texts.includes('+3 more'));
    // Shown as printable() wrote it: `\N` is not Graphviz's node-name escape, the line break is the two characters `\n`.
    assert.ok(texts.some((text) => text.startsWith('</script><img src=x onerror=alert(1)> "q" \\N\\n')), `the hostile name is text: ${JSON.stringify(texts)}`);
    assert.ok(svg.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'), 'hostile markup is escaped text in the SVG');
    assert.deepEqual([...new Set(elements)].filter((name) => !['svg', 'g', 'title', 'polygon', 'path', 'text', 'ellipse', 'polyline'].includes(name)), [], 'only drawing elements');
  });
});

describe('json format', () => {
  it('is exactly the Walk contract', () => {
    assert.deepEqual(JSON.parse(formatWalkJson(walk)), walk);
  });
});
