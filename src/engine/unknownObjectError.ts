/** A snapshot id that is not in the snapshot (collected, or from another snapshot). */
export class UnknownObjectError extends Error {
  constructor(readonly id: number) {
    super(`Object @${id} is not in this heap snapshot: it was collected before the snapshot, or the id comes from another snapshot.`);
    this.name = 'UnknownObjectError';
  }
}
