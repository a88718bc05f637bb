/**
 * A walk's drawn edges both ways, for its cycle marks, over dense local
 * numbers: what each node holds and what holds it, and a visit stamp per
 * node and direction, so a check allocates nothing. Both walks mark an edge
 * from holder to held as a cycle when, before it is added, the held object
 * already holds its holder through drawn edges (holdsThrough(held, holder)).
 */
export class DrawnEdges {
  private readonly local = new Map<number, number>();
  private readonly holds: number[][] = [];
  private readonly holders: number[][] = [];
  private seenDown: Int32Array = new Int32Array(1024);
  private seenUp: Int32Array = new Int32Array(1024);
  private round = 0;

  add(holder: number, held: number): void {
    const from = this.localOf(holder);
    const to = this.localOf(held);
    this.holds[from].push(to);
    this.holders[to].push(from);
  }

  /**
   * Does `from` hold `to`, directly or through objects already in the walk?
   * Searched from both ends, down what `from` holds and up what holds `to`,
   * the side that has seen less first: either side alone can span most of a
   * large walk (one search down per revisited retainer made a walk of 22,000
   * nodes take seconds).
   */
  holdsThrough(fromOrdinal: number, toOrdinal: number): boolean {
    if (fromOrdinal === toOrdinal) return true;
    const from = this.local.get(fromOrdinal);
    const to = this.local.get(toOrdinal);
    // A node with no drawn edge holds nothing drawn, and nothing drawn holds it.
    if (from === undefined || to === undefined) return false;
    const round = ++this.round;
    const { holds, holders, seenDown, seenUp } = this;
    const down = [from];
    const up = [to];
    seenDown[from] = round;
    seenUp[to] = round;
    let downSeen = 1;
    let upSeen = 1;
    while (down.length > 0 && up.length > 0) {
      const forward = downSeen <= upSeen;
      const added = forward ? expand(down, holds, seenDown, seenUp, round) : expand(up, holders, seenUp, seenDown, round);
      if (added < 0) return true;
      if (forward) downSeen += added;
      else upSeen += added;
    }
    return false;
  }

  private localOf(ordinal: number): number {
    let index = this.local.get(ordinal);
    if (index === undefined) {
      index = this.holds.length;
      this.local.set(ordinal, index);
      this.holds.push([]);
      this.holders.push([]);
      if (index === this.seenDown.length) {
        this.seenDown = grown(this.seenDown);
        this.seenUp = grown(this.seenUp);
      }
    }
    return index;
  }
}

/** One step of a side's search: the nodes it newly sees, or -1 when it meets the other side. */
function expand(stack: number[], lists: number[][], seen: Int32Array, otherSeen: Int32Array, round: number): number {
  let added = 0;
  for (const next of lists[stack.pop()!]) {
    if (otherSeen[next] === round) return -1;
    if (seen[next] === round) continue;
    seen[next] = round;
    added++;
    stack.push(next);
  }
  return added;
}

function grown(stamps: Int32Array): Int32Array {
  const larger = new Int32Array(stamps.length * 2);
  larger.set(stamps);
  return larger;
}
