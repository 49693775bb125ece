/**
 * Runs `task` for every item, at most `limit` at a time, in order of the
 * items; resolves when all are done. A step's tool calls go through it so a
 * model that asks for hundreds of calls does not start them all at once.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
