import { exportTraceServiceRequest } from './otlp-trace-schema.js';

/** An attribute value as OTLP carries it. */
export type OtlpValue =
  string | number | boolean | OtlpValue[] | { [key: string]: OtlpValue } | null;

/** One exported span, flattened for assertions. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** `null` for a root span. */
  parentSpanId: string | null;
  name: string;
  kind: number;
  /** Epoch ms (from the nanosecond timestamps). */
  startTime: number;
  endTime: number;
  status: { code: number; message?: string };
  scope: { name: string; version?: string };
  resource: Record<string, OtlpValue>;
  attributes: Record<string, OtlpValue>;
  events: Array<{ name: string; time: number; attributes: Record<string, OtlpValue> }>;
}

// The JSON and protobuf decoders produce the same camelCase tree; only the
// leaves differ (hex vs bytes ids, string vs Long timestamps).
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: unknown;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: unknown;
}
interface SpanTree {
  traceId?: unknown;
  spanId?: unknown;
  parentSpanId?: unknown;
  name?: string;
  kind?: number;
  startTimeUnixNano?: unknown;
  endTimeUnixNano?: unknown;
  attributes?: KeyValue[];
  events?: Array<{ timeUnixNano?: unknown; name?: string; attributes?: KeyValue[] }>;
  status?: { code?: number; message?: string };
}
interface RequestTree {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string; version?: string }; spans?: SpanTree[] }>;
  }>;
}

/** Decodes an OTLP/HTTP trace export body (JSON or protobuf) into flat spans. */
export function decodeOtlpTraces(body: Buffer, contentType: string): ReceivedSpan[] {
  const tree: RequestTree = contentType.includes('json')
    ? (JSON.parse(body.toString('utf8') || '{}') as RequestTree)
    : exportTraceServiceRequest.toObject(exportTraceServiceRequest.decode(body), {
        longs: String,
        bytes: Buffer,
        defaults: false,
      });
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of tree.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = {
        name: scopeSpans.scope?.name ?? '',
        ...(scopeSpans.scope?.version ? { version: scopeSpans.scope.version } : {}),
      };
      for (const span of scopeSpans.spans ?? []) {
        const parent = id(span.parentSpanId);
        spans.push({
          traceId: id(span.traceId),
          spanId: id(span.spanId),
          parentSpanId: parent === '' ? null : parent,
          name: span.name ?? '',
          kind: span.kind ?? 0,
          startTime: nanosToMs(span.startTimeUnixNano),
          endTime: nanosToMs(span.endTimeUnixNano),
          status: {
            code: span.status?.code ?? 0,
            ...(span.status?.message ? { message: span.status.message } : {}),
          },
          scope,
          resource,
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map((event) => ({
            name: event.name ?? '',
            time: nanosToMs(event.timeUnixNano),
            attributes: attributesOf(event.attributes),
          })),
        });
      }
    }
  }
  return spans;
}

/** Ids: hex strings in OTLP/JSON, bytes in protobuf; always hex here. */
function id(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** Nanoseconds (a decimal string or a number) to epoch ms. */
function nanosToMs(value: unknown): number {
  if (typeof value === 'string' && value !== '') return Number(BigInt(value) / 1_000_000n);
  if (typeof value === 'number') return Math.floor(value / 1_000_000);
  return 0;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  for (const { key, value } of list ?? []) out[key] = valueOf(value);
  return out;
}

function valueOf(value: AnyValue | undefined): OtlpValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return id(value.bytesValue);
  return null;
}
