import {
  InMemorySpanExporter,
  BasicTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../payload/redactor.js';
import type { TraceBuilderOptions } from './trace-builder-options.js';
import { TraceBuilder } from './trace-builder.js';

function builder(maxSessions: number, redact: TraceBuilderOptions['redact'] = (value) => value) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('langfuse-sdk');
  const traces = new TraceBuilder({
    tracer: () => tracer,
    redact,
    maxChars: 1_000,
    maxSessions,
    metadataKey: 'switchboard',
    sampleRate: 1,
    tags: [],
    userId: undefined,
    traceName: ({ turn }) => `Turn ${turn}`,
    onTurnBoundary: () => {},
  });
  let seq = 0;
  const emit = (event: { sessionId: string; type: string; data: object; runId: string }) =>
    traces.handle({ v: 1, seq: ++seq, ts: Date.now(), ...event });
  const turn = (sessionId: string) => {
    const runId = `${sessionId}-${seq}`;
    emit({ sessionId, runId, type: 'run.started', data: { trigger: 'user' } });
    emit({
      sessionId,
      runId,
      type: 'run.finished',
      data: { stopReason: 'completed', durationMs: 1 },
    });
  };
  return { traces, exporter, emit, turn };
}

describe('TraceBuilder memory', () => {
  it('forgets the least recently used idle session past maxSessions, never one with an open turn', () => {
    const { traces, exporter, emit, turn } = builder(2);
    turn('a');
    emit({ sessionId: 'open', runId: 'open-run', type: 'run.started', data: { trigger: 'user' } }); // stays open
    turn('b'); // evicts a (idle, oldest); 'open' has a run in flight
    expect(traces.sessionCount).toBe(2);
    turn('c'); // evicts b: 'open' is older but busy
    expect(traces.sessionCount).toBe(2);
    emit({
      sessionId: 'open',
      runId: 'open-run',
      type: 'run.finished',
      data: { stopReason: 'completed', durationMs: 1 },
    });
    turn('a'); // a comes back: its turns count from 1 again
    const names = exporter.getFinishedSpans().filter((span) => span.name.startsWith('Turn'));
    expect(names.map((span) => span.name)).toEqual([
      'Turn 1',
      'Turn 1',
      'Turn 1',
      'Turn 1',
      'Turn 1',
    ]);
    expect(traces.openRuns).toBe(0);
  });
});

describe('TraceBuilder redaction', () => {
  it('redacts error messages in span status, not only in attributes', () => {
    const secret = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const { exporter, emit } = builder(10, createRedactor({}));
    const scope = { sessionId: 's', runId: 'r' };
    emit({ ...scope, type: 'run.started', data: { trigger: 'user' } });
    emit({
      ...scope,
      type: 'generation.started',
      data: { generationId: 'g', provider: 'p', model: 'm', attempt: 1 },
    });
    emit({
      ...scope,
      type: 'generation.finished',
      data: {
        generationId: 'g',
        provider: 'p',
        model: 'm',
        finishReason: 'error',
        usage: {},
        durationMs: 1,
        error: { message: `HTTP 401: bad key ${secret}`, code: 'CORE_PROVIDER_AUTH' },
      },
    });
    emit({
      ...scope,
      type: 'run.failed',
      data: {
        error: { message: `HTTP 401: bad key ${secret}`, code: 'CORE_PROVIDER_AUTH' },
        durationMs: 2,
      },
    });
    const spans = exporter.getFinishedSpans();
    const statuses = spans
      .filter((span) => span.status.code === SpanStatusCode.ERROR)
      .map((span) => span.status);
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    for (const status of statuses) expect(status.message).toBe('HTTP 401: bad key [REDACTED]');
    expect(JSON.stringify(spans.map((span) => [span.status, span.attributes]))).not.toContain(
      secret,
    );
  });
});
