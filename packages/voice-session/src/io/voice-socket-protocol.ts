// The wire protocol of a voice WebSocket (the web app's voice mode speaks it):
// binary messages are 16 kHz mono PCM16 little-endian audio in both directions,
// text messages are JSON control messages, validated here.
import type { VoiceSocket } from '@switchboard/agent-core';
import { z } from 'zod';

/**
 * The socket the WebSocket audio io works on: agent-core's `VoiceSocket`
 * (the subset of a `ws` WebSocket the web server accepts and hands over).
 */
export type AudioSocket = VoiceSocket;

/** Client → server control messages. */
export const clientControlSchema = z.discriminatedUnion('type', [
  /** Begin the voice session (audio sent before is ignored). */
  z.strictObject({ type: z.literal('start') }),
  /** Stop the agent's current speech (as a barge-in button would). */
  z.strictObject({ type: z.literal('interrupt') }),
  /** End the voice session; the server closes the socket (1000). */
  z.strictObject({ type: z.literal('stop') }),
]);

/** A control message the client sends. */
export type ClientControl = z.infer<typeof clientControlSchema>;

/** Server → client control messages. */
export type ServerControl =
  /** The session is listening; audio is expected in this format. */
  | { type: 'ready'; sampleRate: number; frameMs: number }
  /** The agent's and the user's state changed (`voice.agent_state` / `voice.user_state`). */
  | { type: 'state'; agent: string; user: string }
  /** The agent's speech was interrupted: drop every queued, unplayed sample now. */
  | { type: 'clear' }
  /** A message the server refused, or a failure; the socket may close after it. */
  | { type: 'error'; code: string; message: string };

/** Largest text (control) message accepted, in characters. */
export const MAX_CONTROL_CHARS = 1024;
