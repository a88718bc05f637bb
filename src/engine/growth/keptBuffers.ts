/**
 * Buffers a growth recording keeps while later snapshots are loaded. glibc
 * serves a request below its mmap threshold (raised to ~30 MB by the first
 * snapshot's freed buffers) from its heap, where a long-lived block left on
 * top of the freed parse buffers keeps them all resident; a request above
 * 32 MiB is mapped apart, and pages never written cost no memory.
 */
const APART = 33 * 2 ** 20;

export function keptBuffer(bytes: number): ArrayBuffer {
  return new ArrayBuffer(Math.max(APART, bytes));
}
