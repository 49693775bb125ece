import { z } from 'zod';
import { CONTRACT_VERSION } from './contract-version.js';

export { CONTRACT_VERSION };

/** W3C `traceparent` header value: version-traceid-parentid-flags. */
const traceparentPattern = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/**
 * Fields every event carries, whatever its type. The payload is nested under
 * `data` so envelope keys can never collide with payload keys, and an event can
 * be routed and stored without knowing its type. Unknown keys are kept.
 */
const envelopeShape = {
  /** Contract major version. */
  v: z.literal(CONTRACT_VERSION),
  /** `<entity>.<verb>`, e.g. `tool_call.completed`. */
  type: z.string().min(1),
  /** Per-session sequence number, contiguous from 1, stamped once before any sink sees the event. */
  seq: z.number().int().positive(),
  /** Epoch milliseconds; never goes backwards within a session. */
  ts: z.number().int().nonnegative(),
  sessionId: z.string().min(1),
  /** Present on every run-scoped event; absent on session-scoped ones. */
  runId: z.string().min(1).optional(),
  /** Index of the agent-loop step (one model call and its tool calls) within the run. */
  stepIndex: z.number().int().nonnegative().optional(),
  /** On every event of a child run (sub-agent, handoff target). */
  parentRunId: z.string().min(1).optional(),
  /** W3C trace context of the span that emitted the event. */
  traceparent: z.string().regex(traceparentPattern).optional(),
  /** Type-specific payload; validated by the schema of `type`. */
  data: z.unknown(),
  /** Namespaced extension keys (`vendor.key`); never needed to interpret `data`. */
  meta: z.record(z.string(), z.unknown()).optional(),
};

/** The envelope schema; unknown keys are kept (tolerant reader). */
export const envelopeSchema = z.looseObject(envelopeShape);

/** The envelope with an unknown payload: what any reader can handle. */
export type Envelope = z.infer<z.ZodObject<typeof envelopeShape>>;

/** Envelope fields that the emitter supplies (the bus stamps `v`, `seq` and `ts`). */
export type EnvelopeScope = Pick<
  Envelope,
  'sessionId' | 'runId' | 'stepIndex' | 'parentRunId' | 'traceparent' | 'meta'
>;
