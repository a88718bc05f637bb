/**
 * An independent reading of a snapshot's JSON (not the engine's parser): the
 * constructor name of the node with a given snapshot id, or undefined.
 */
export function nodeNameById(snapshotText: string, id: number): string | undefined {
  const snapshot = JSON.parse(snapshotText) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[]; strings: string[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const idOffset = fields.indexOf('id');
  const nameOffset = fields.indexOf('name');
  for (let nodeIndex = 0; nodeIndex < snapshot.nodes.length; nodeIndex += fields.length) {
    if (snapshot.nodes[nodeIndex + idOffset] === id) return snapshot.strings[snapshot.nodes[nodeIndex + nameOffset]];
  }
  return undefined;
}
