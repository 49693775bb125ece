import type { Tracer } from '@opentelemetry/api';
import type { RedactField } from '../payload/redactor.js';
import type { TurnInfo } from '../tracing-options.js';

/** What the builder needs from the plugin around it. */
export interface TraceBuilderOptions {
  /** The tracer spans are created with (scope `langfuse-sdk`). */
  tracer: () => Tracer | undefined;
  redact: (value: unknown, field: RedactField) => unknown;
  maxChars: number;
  /** Sessions remembered (turn numbers, user ids); the least recently used idle one is forgotten first. */
  maxSessions: number;
  metadataKey: string;
  sampleRate: number;
  tags: readonly string[];
  userId: string | undefined;
  traceName: (turn: TurnInfo) => string;
  /** Called when a turn starts (after the header span ended) and when it ends. */
  onTurnBoundary: (kind: 'start' | 'end') => void;
}
