// A checkpoint is about 100 MB of typed arrays at full size (weights and both Adam moments):
// between threads it moves by transfer (its buffers change owner, nothing is copied), so the
// page's thread never clones it. transferOf lists the buffers to hand to postMessage.

/** Every typed array in `value` (e.g. a checkpoint), depth first. */
export function typedArraysOf(
  value: unknown,
  found: ArrayBufferView[] = [],
  seen = new Set<object>(),
): ArrayBufferView[] {
  if (ArrayBuffer.isView(value)) found.push(value);
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const item of Object.values(value)) typedArraysOf(item, found, seen);
  }
  return found;
}

/** The distinct buffers under `value`'s typed arrays, for postMessage's transfer list. */
export function transferOf(value: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of typedArraysOf(value)) if (view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  return [...buffers];
}

/** A copy to transfer away while the original stays usable here (e.g. the worker's rollback checkpoint). */
export function copyForTransfer<T>(value: T): { copy: T; transfer: ArrayBuffer[] } {
  const copy = structuredClone(value);
  return { copy, transfer: transferOf(copy) };
}
