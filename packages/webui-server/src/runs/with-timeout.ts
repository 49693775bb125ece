/**
 * Waits for `promise`, at most `ms` milliseconds; resolves `true` when it
 * settled in time, `false` otherwise (the promise keeps running). Rejections
 * count as settled: the caller only wants to stop waiting.
 */
export async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
