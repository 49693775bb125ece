/** The heartbeat comment: SSE parsers ignore it, proxies see traffic. */
const PING = ': ping\n\n';

/** Options of {@link createFrameStream}. */
export interface FrameStreamOptions {
  /** A `: ping` comment after this many milliseconds without output; 0 disables it. */
  keepAliveMs: number;
  /** Ends the stream cleanly (and stops the source) when aborted. */
  signal: AbortSignal;
}

/**
 * Turns already-encoded SSE frames into the text of a response body, with a
 * `: ping` comment whenever nothing was written for `keepAliveMs` (a tool
 * that runs for a minute must not look like a dead connection to a proxy).
 * The source is pulled one frame at a time, so a slow client applies
 * backpressure; a source that waits for live data must also watch `signal`,
 * which the caller aborts when the client goes away. The same shape as the
 * events package's `createSseStream`, for frames that are not envelopes
 * (AI SDK chunks, AG-UI events).
 */
export function createFrameStream(
  frames: AsyncIterable<string>,
  { keepAliveMs, signal }: FrameStreamOptions,
): ReadableStream<string> {
  const iterator = frames[Symbol.asyncIterator]();
  let finished = false;
  let lastWriteAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller!: ReadableStreamDefaultController<string>;

  const write = (text: string) => {
    controller.enqueue(text);
    lastWriteAt = Date.now();
  };
  const arm = (delayMs: number) => {
    timer = setTimeout(() => {
      if (finished) return;
      const idleMs = Date.now() - lastWriteAt;
      if (idleMs < keepAliveMs) return arm(keepAliveMs - idleMs);
      // A full queue means the client is not reading; a ping would not reach it sooner.
      if ((controller.desiredSize ?? 0) > 0) write(PING);
      arm(keepAliveMs);
    }, delayMs);
  };
  const stop = () => {
    if (finished) return false;
    finished = true;
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    return true;
  };
  const stopSource = () => {
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => {});
  };
  const onAbort = () => {
    if (!stop()) return;
    controller.close();
    stopSource();
  };

  return new ReadableStream<string>({
    start(streamController) {
      controller = streamController;
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      if (keepAliveMs > 0) arm(keepAliveMs);
    },
    async pull() {
      if (finished) return;
      let result: IteratorResult<string>;
      try {
        result = await iterator.next();
      } catch (error) {
        if (stop()) controller.error(error);
        return;
      }
      if (finished) return;
      if (result.done) {
        stop();
        controller.close();
        return;
      }
      write(result.value);
    },
    cancel() {
      if (stop()) stopSource();
    },
  });
}
