import { ROOT_CONTEXT, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import {
  createObservationAttributes,
  type LangfuseGenerationAttributes,
  type LangfuseObservationType,
} from '@langfuse/tracing';

/**
 * Starts one Langfuse observation as an OpenTelemetry span: under `parent`
 * (or as a trace root), at the event's time, with the observation's
 * attributes and the trace attributes every observation carries.
 */
export function startObservation(
  tracer: Tracer,
  spec: {
    name: string;
    type: LangfuseObservationType;
    at: number;
    parent?: Span;
    traceAttributes: Attributes;
    attributes: LangfuseGenerationAttributes;
  },
): Span {
  const context = spec.parent ? trace.setSpan(ROOT_CONTEXT, spec.parent) : ROOT_CONTEXT;
  // Dates, not numbers: OpenTelemetry reads a number before its time origin as
  // performance.now()-relative, which would misplace replayed (older) events.
  const span = tracer.startSpan(spec.name, { startTime: new Date(spec.at) }, context);
  span.setAttributes(createObservationAttributes(spec.type, spec.attributes));
  span.setAttributes(spec.traceAttributes);
  return span;
}
