/** Splits items into chunks of at most `size` items each. */
export function toChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/**
 * Hands out chunks of `items` one at a time, each turned into its output by `prepare` only
 * when its chunk is asked for, so the first chunk can be on its way while later items are
 * still being prepared. A chunk holds at most `size` outputs and at most `maxWeight` in
 * total (one heavier output still gets a chunk of its own). `prepare` answers `undefined`
 * to leave an item out. The function answers `undefined` once every item was handed out.
 */
export function preparedChunks<T, P>(
  items: readonly T[],
  size: number,
  maxWeight: number,
  prepare: (item: T) => P | undefined,
  weight: (prepared: P) => number,
): () => P[] | undefined {
  let next = 0;
  // Prepared but did not fit the last chunk: it opens the next one.
  let carried: P | undefined;
  return () => {
    const chunk: P[] = [];
    let total = 0;
    while (chunk.length < size && (carried !== undefined || next < items.length)) {
      const prepared = carried ?? prepare(items[next++] as T);
      carried = undefined;
      if (prepared === undefined) continue;
      const itemWeight = weight(prepared);
      if (chunk.length > 0 && total + itemWeight > maxWeight) {
        carried = prepared;
        break;
      }
      chunk.push(prepared);
      total += itemWeight;
    }
    return chunk.length > 0 ? chunk : undefined;
  };
}
