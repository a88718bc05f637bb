/**
 * Walks the browser tests render: the engine's walk of a real snapshot (the
 * static-map story), a hand-built walk covering every role, a hostile walk,
 * and synthetic walks sized for the timing tests.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HeapGraph, SnapshotParser } from '../../src/engine/index';
import type { Walk, WalkEdge, WalkNode } from '../../src/protocol/walk';
import { scratchDir } from '../harness/scratchDir';

let story: Promise<HeapGraph> | undefined;

/** The engine's graph of test/webview/fixtures/botServer.js (snapshotted once per process). */
export function botServerGraph(): Promise<HeapGraph> {
  story ??= (async () => {
    const out = join(scratchDir('rg-webview-'), 'botServer.heapsnapshot');
    await promisify(execFile)(process.execPath, [join(__dirname, 'fixtures', 'botServer.js'), out], { timeout: 60_000 });
    const parser = new SnapshotParser();
    parser.write(readFileSync(out));
    return HeapGraph.build(parser.end());
  })();
  return story;
}

/**
 * The ResourceLoader of one bot. Every loader is held by Processor.instanceMap
 * (via its Processor) and a listener closure; "bot3"'s also by globalThis.appCache.
 */
export async function storyWalk(options: { bot?: string; depth?: number; fanOut?: number } = {}): Promise<{ graph: HeapGraph; walk: Walk }> {
  const graph = await botServerGraph();
  const key = `get("${options.bot ?? 'bot3'}")`;
  const loader = graph.instances('ResourceLoader').find((n) => graph.walk(n.id, { depth: 2, fanOut: 10 }).edges.some((e) => e.label === key));
  if (!loader) throw new Error(`the ResourceLoader under ${key} is not in the botServer snapshot`);
  return { graph, walk: graph.walk(loader.id, { depth: options.depth ?? 8, fanOut: options.fanOut ?? 3 }) };
}

const demos = new Map<string, Promise<HeapGraph>>();

/**
 * The engine's graph of the demo bot server after its timer loaded 30 bots
 * (test/webview/fixtures/demoServer.js), or with the README's fix applied.
 */
export function demoGraph({ fixed = false } = {}): Promise<HeapGraph> {
  const key = fixed ? 'fixed' : 'leaky';
  let graph = demos.get(key);
  if (!graph) {
    graph = (async () => {
      const out = join(scratchDir('rg-webview-'), `demo-${key}.heapsnapshot`);
      await promisify(execFile)(process.execPath, [join(__dirname, 'fixtures', 'demoServer.js'), out], { timeout: 60_000, env: { ...process.env, FIXED: fixed ? '1' : '0' } });
      const parser = new SnapshotParser();
      parser.write(readFileSync(out));
      return HeapGraph.build(parser.end());
    })();
    demos.set(key, graph);
  }
  return graph;
}

export function handWalk(): Walk {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'static-map-walk.json'), 'utf8')) as Walk;
}

export const HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_SCRIPT = '</script><script>window.__pwned=2</script>';

/** Every heap string in the hand walk replaced by markup that would run if treated as HTML. */
export function hostileWalk(): Walk {
  const walk = handWalk();
  for (const node of walk.nodes) {
    node.name = `${HOSTILE_IMG}${node.id}`;
    node.label = `${HOSTILE_SCRIPT}${node.id}`;
    node.preview = HOSTILE_IMG;
  }
  for (const edge of [...walk.edges, ...walk.shortestPath.edges]) {
    edge.name = HOSTILE_SCRIPT;
    edge.label = HOSTILE_IMG;
  }
  return walk;
}

/**
 * A walk of `count` nodes shaped like a real fan-in: a shortest path of 8
 * links plus bushy retainers (each node retained by up to `branching`
 * others), with roots of every kind at the top.
 */
export function syntheticWalk(count: number, branching = 3): Walk {
  const nodes: WalkNode[] = [];
  const edges: WalkEdge[] = [];
  const kinds = [null, null, null, null, 'global', 'static-map', 'module', 'closure'] as const;
  const make = (id: number, level: number): WalkNode => ({
    id,
    name: level === 0 ? 'Target' : `Class${id % 37}`,
    type: id % 5 === 0 ? 'closure' : 'object',
    selfSize: 32 + (id % 200),
    v8SelfSize: 32 + (id % 200),
    retainedSize: 1000 + id,
    distance: 20 - level,
    rootKind: level > 2 ? kinds[id % kinds.length] : null,
    label: level > 2 && id % kinds.length >= 4 ? `Holder${id}.items` : `Class${id % 37}`,
    preview: id % 3 === 0 ? `{key: "value ${id}"}` : undefined,
    level,
    retainerCount: branching,
    internal: id % 11 === 0,
  });
  nodes.push(make(1, 0));
  const frontier = [1];
  let next = 2;
  const levelOf = new Map([[1, 0]]);
  while (nodes.length < count && frontier.length) {
    const held = frontier.shift() as number;
    for (let b = 0; b < branching && nodes.length < count; b++) {
      const id = next++;
      const level = (levelOf.get(held) ?? 0) + 1;
      levelOf.set(id, level);
      nodes.push(make(id, level));
      edges.push({ from: id, to: held, name: `field${b}`, label: b === 2 ? `[${id}]` : `.field${b}`, type: b === 2 ? 'element' : 'property' });
      frontier.push(id);
    }
  }
  // Shortest path: the first retainer of each node up the tree.
  const pathNodes = [1];
  for (let i = 0; i < 8; i++) {
    const up = edges.find((e) => e.to === pathNodes[0]);
    if (!up) break;
    pathNodes.unshift(up.from);
  }
  const pathEdges = pathNodes.slice(1).map((to, i) => edges.find((e) => e.from === pathNodes[i] && e.to === to) as WalkEdge);
  return {
    target: 1,
    options: { depth: 8, fanOut: branching, includeWeak: false },
    nodes,
    edges,
    truncated: frontier.slice(0, 20).map((id) => ({ id, hidden: 5, by: 'depth' as const })),
    shortestPath: { nodes: pathNodes, edges: pathEdges },
  };
}
