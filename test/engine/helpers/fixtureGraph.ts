/** Real fixture snapshots parsed and indexed once per test process. */
import { readFileSync } from 'node:fs';
import { HeapGraph, SnapshotParser } from '../../../src/engine/index';
import type { Walk, WalkNode } from '../../../src/protocol/walk';
import { fixtureSnapshot } from '../../fixtures/snapshot';

const graphs = new Map<string, Promise<HeapGraph>>();

/** The fixture's snapshot, written by `node` (default: this Node), parsed and indexed. */
export function fixtureGraph(name: string, node = process.execPath): Promise<HeapGraph> {
  const key = `${name}\0${node}`;
  let graph = graphs.get(key);
  if (!graph) {
    graph = fixtureSnapshot(name, node).then((path) => {
      const parser = new SnapshotParser();
      parser.write(readFileSync(path));
      return HeapGraph.build(parser.end());
    });
    graphs.set(key, graph);
  }
  return graph;
}

export function nodeByLabel(walk: Walk, label: string): WalkNode {
  const node = walk.nodes.find((n) => n.label === label);
  if (!node) throw new Error(`no node labelled ${label}; labels: ${walk.nodes.map((n) => n.label).join(' | ')}`);
  return node;
}

export function edgeLabelsInto(walk: Walk, id: number): string[] {
  return walk.edges.filter((e) => e.to === id).map((e) => e.label);
}

/** The shortest path as `label --edge--> label …`, for readable assertions. */
export function pathText(walk: Walk): string {
  const byId = new Map(walk.nodes.map((n) => [n.id, n]));
  return walk.shortestPath.nodes
    .map((id, i) => (i === 0 ? '' : ` --${walk.shortestPath.edges[i - 1].label}--> `) + (byId.get(id)?.label ?? `@${id}`))
    .join('');
}
