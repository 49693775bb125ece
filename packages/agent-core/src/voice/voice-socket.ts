/**
 * The accepted WebSocket of one voice connection: the subset of a `ws`
 * WebSocket (what `@fastify/websocket` hands a route) that the web server's
 * voice route and voice-session's audio io use. Binary messages arrive as
 * `Buffer`s (any `Uint8Array` works). One type for both sides: the web server
 * passes the socket it accepted to the injected voice endpoint, which serves
 * audio on it.
 */
export interface VoiceSocket {
  /** Bytes queued on the socket and not yet sent: the output's back-pressure signal. */
  readonly bufferedAmount: number;
  /** 1 while open. */
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}
