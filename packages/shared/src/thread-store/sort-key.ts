/**
 * Items and threads are ordered by a string key: the creation time in ms, zero-padded, then a
 * per-process counter, so two writes in the same millisecond still keep their order. Firestore
 * compares strings bytewise, which matches numeric order at fixed width.
 */
let counter = 0;

export function sortKey(createdAtMs: number): string {
  counter = (counter + 1) % 1_000_000;
  return `${Math.trunc(createdAtMs).toString().padStart(15, '0')}.${counter.toString().padStart(6, '0')}`;
}
