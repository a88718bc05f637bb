/**
 * Keys of the nodes the view draws (d3 join keys, `data-key`, the saved
 * selection): an object is `n<id>`, the "+N more" node above it `more<id>`.
 * Built and recognised only here.
 */

export function nodeKey(id: number): string {
  return `n${id}`;
}

export function moreKey(id: number): string {
  return `more${id}`;
}

/** Is this the key of a "+N more" node (rather than of an object)? */
export function isMoreKey(key: string): boolean {
  return key.startsWith('more');
}
