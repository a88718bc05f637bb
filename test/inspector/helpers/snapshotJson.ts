// Independent readings of a snapshot's JSON (not the engine's parser).

/** The constructor name of the node with a given snapshot id, or undefined. */
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

/**
 * Whether the script whose name ends with `nameSuffix` carries a line-end
 * table in the snapshot (an internal `line_ends` edge; V8 writes none while a
 * script has no table). Undefined when no such script is in the snapshot.
 * Scripts are the nodes with an internal `source` edge.
 */
export function scriptHasLineEndTable(snapshotText: string, nameSuffix: string): boolean | undefined {
  const snapshot = JSON.parse(snapshotText) as {
    snapshot: { meta: { node_fields: string[]; edge_fields: string[]; edge_types: [string[]] } };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const { node_fields: nodeFields, edge_fields: edgeFields, edge_types: edgeTypes } = snapshot.snapshot.meta;
  const [nameOffset, edgeCountOffset] = [nodeFields.indexOf('name'), nodeFields.indexOf('edge_count')];
  const [typeOffset, nameOrIndexOffset] = [edgeFields.indexOf('type'), edgeFields.indexOf('name_or_index')];
  const internal = edgeTypes[0].indexOf('internal');
  let edgeIndex = 0;
  for (let nodeIndex = 0; nodeIndex < snapshot.nodes.length; nodeIndex += nodeFields.length) {
    const edgeCount = snapshot.nodes[nodeIndex + edgeCountOffset];
    const edgeNames = new Set<string>();
    for (let i = 0; i < edgeCount; i++, edgeIndex += edgeFields.length) {
      if (snapshot.edges[edgeIndex + typeOffset] === internal) edgeNames.add(snapshot.strings[snapshot.edges[edgeIndex + nameOrIndexOffset]]);
    }
    if (edgeNames.has('source') && snapshot.strings[snapshot.nodes[nodeIndex + nameOffset]].endsWith(nameSuffix)) return edgeNames.has('line_ends');
  }
  return undefined;
}
