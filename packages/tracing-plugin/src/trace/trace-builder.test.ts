import {
  InMemorySpanExporter,
  BasicTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from './trace-builder.js';

function builder(maxSessions: number) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('langfuse-sdk');
  const traces = new TraceBuilder({
    tracer: () => tracer,
    redact: (value) => value,
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
