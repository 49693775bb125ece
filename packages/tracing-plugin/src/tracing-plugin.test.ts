import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { defineTool } from '@switchboard/agent-core';
import { startLangfuseReceiver } from '@switchboard/testkit';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { isSessionSampled } from './payload/sampling.js';
import { TracingError } from './errors/tracing-error.js';
import { createLangfuseTracingPlugin } from './tracing-plugin.js';
import { startTracingHarness } from './test-helpers/tracing-harness.js';

const echo = defineTool({
  description: 'Echo',
  inputSchema: z.object({ text: z.string(), apiKey: z.string().optional() }),
  execute: ({ text }) => ({ echoed: text, big: 'x'.repeat(5_000) }),
});

describe('export behaviour', () => {
  it('exports the trace header while the turn is still running', async () => {
    await using h = await startTracingHarness([{ text: ['slow ', 'answer'], delayMs: 200 }]);
    const session = await h.agent.createSession();
    const run = session.run('Are you there?');
    const [first] = await h.receiver.waitForSpans((spans) => spans.length > 0, 2_000);
    expect(h.receiver.requests).toHaveLength(1);
    expect(h.receiver.requests[0]!.spans.map((span) => span.name)).toEqual(['user message']);
    expect(first!.attributes).toMatchObject({
      'langfuse.trace.name': 'tester — Turn 1',
      'langfuse.trace.input': 'Are you there?',
      'session.id': session.id,
      'user.id': 'user-1',
    });
    expect(session.status).toBe('running');
    await run.result;
  });

  it('speaks the Langfuse OTLP contract: path, Basic auth, SDK headers, JSON', async () => {
    await using h = await startTracingHarness([{ text: 'hi' }]);
    await h.turn('hello');
    expect(h.receiver.requests.length).toBeGreaterThan(0);
    for (const request of h.receiver.requests) {
      expect(request.status).toBe(200); // the receiver checked Basic pk:sk
      expect(request.contentType).toContain('application/json');
      expect(request.headers).toMatchObject({
        'x-langfuse-sdk-name': 'javascript',
        'x-langfuse-public-key': 'pk-lf-test',
      });
      expect(request.headers['x-langfuse-sdk-version']).toMatch(/^5\./);
    }
  });

  it('can export protobuf through a custom exporter, decoding to the same attributes', async () => {
    await using receiver = await startLangfuseReceiver();
    const exporter = new OTLPTraceExporter({
      url: `${receiver.baseUrl}/api/public/otel/v1/traces`,
      headers: {
        authorization: `Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`,
        'x-langfuse-ingestion-version': '4',
      },
    });
    await using h = await startTracingHarness([{ text: 'hi' }], { plugin: { exporter } });
    await h.turn('hello');
    const protoSpans = receiver.spans();
    expect(
      receiver.requests.every((request) => request.contentType === 'application/x-protobuf'),
    ).toBe(true);
    expect(receiver.requests[0]!.headers['x-langfuse-ingestion-version']).toBe('4');
    expect(protoSpans.map((span) => span.name).sort()).toEqual(
      ['assistant response', 'llm: test-model #1', 'tester — Turn 1', 'user message'].sort(),
    );
    const root = protoSpans.find((span) => span.name === 'tester — Turn 1')!;
    expect(root.attributes).toMatchObject({
      'langfuse.observation.type': 'agent',
      'langfuse.trace.tags': ['agent:tester'],
      'langfuse.observation.output': 'hi',
    });
  });

  it('without keys: one warning, then inert — no requests, no throw, turns unaffected', async () => {
    const warnings: string[] = [];
    await using receiver = await startLangfuseReceiver();
    const plugin = createLangfuseTracingPlugin({
      env: { LANGFUSE_BASE_URL: receiver.baseUrl },
      logger: { warn: (message) => warnings.push(message) },
    });
    await using h = await startTracingHarness([{ text: 'a' }, { text: 'b' }]);
    plugin.attach(h.agent);
    await h.turn('one');
    await h.turn('two');
    await plugin.flush();
    await plugin.shutdown();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('LANGFUSE_PUBLIC_KEY');
    expect(receiver.requests).toHaveLength(0);
    expect(plugin.active).toBe(false);
  });

  it('reads credentials and the URL from LANGFUSE_* (LANGFUSE_HOST too) when options have none', async () => {
    await using receiver = await startLangfuseReceiver({
      publicKey: 'pk-env',
      secretKey: 'sk-env',
    });
    const plugin = createLangfuseTracingPlugin({
      env: {
        LANGFUSE_PUBLIC_KEY: 'pk-env',
        LANGFUSE_SECRET_KEY: 'sk-env',
        LANGFUSE_HOST: receiver.baseUrl,
      },
    });
    await using h = await startTracingHarness([{ text: 'a' }]);
    plugin.attach(h.agent);
    await h.turn('hello');
    await plugin.shutdown();
    expect(receiver.requests.every((request) => request.status === 200)).toBe(true);
    expect(receiver.spans().map((span) => span.name)).toContain('tester — Turn 1');
  });

  it('accepts process.env itself as env (not a plain object)', async () => {
    await using receiver = await startLangfuseReceiver({
      publicKey: 'pk-proc',
      secretKey: 'sk-proc',
    });
    vi.stubEnv('LANGFUSE_PUBLIC_KEY', 'pk-proc');
    vi.stubEnv('LANGFUSE_SECRET_KEY', 'sk-proc');
    vi.stubEnv('LANGFUSE_BASE_URL', receiver.baseUrl);
    try {
      const plugin = createLangfuseTracingPlugin({ env: process.env });
      await using h = await startTracingHarness([{ text: 'a' }]);
      plugin.attach(h.agent);
      await h.turn('hello');
      await plugin.shutdown();
      expect(receiver.requests.every((request) => request.status === 200)).toBe(true);
      expect(receiver.spans().map((span) => span.name)).toContain('tester — Turn 1');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('caches a failed set-up: one warning, no retry per event, the agent unaffected', async () => {
    const warnings: Array<string | undefined> = [];
    let attempts = 0;
    const broken = {
      getTracer: () => {
        attempts += 1;
        throw new Error('exporter exploded');
      },
    };
    const plugin = createLangfuseTracingPlugin({
      tracerProvider: broken,
      logger: { warn: (_message, error) => warnings.push((error as { code?: string }).code) },
    });
    await using h = await startTracingHarness([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    plugin.attach(h.agent);
    for (const text of ['one', 'two', 'three']) await h.turn(text);
    await plugin.shutdown();
    expect(attempts).toBe(1);
    expect(warnings).toEqual(['TRACING_INIT_FAILED']);
  });

  it('await using shuts the plugin down: open turns are ended and exported', async () => {
    await using h = await startTracingHarness([{ text: ['slow ', 'answer'], delayMs: 300 }]);
    const session = await h.agent.createSession();
    {
      await using plugin = h.plugin;
      const run = session.run('Are you there?');
      await h.receiver.waitForSpans((spans) => spans.length > 0, 2_000);
      expect(plugin.active).toBe(true);
      void run.result.catch(() => undefined);
    }
    expect(h.plugin.active).toBe(false);
    const names = h.receiver.requests.flatMap((request) => request.spans.map((span) => span.name));
    expect(names.filter((name) => name === 'user message').length).toBeGreaterThanOrEqual(1);
    expect(names.length).toBeGreaterThan(1); // the turn closed at shutdown was exported too
  });

  it('rejects invalid options with a stable code', () => {
    expect(() => createLangfuseTracingPlugin({ sampleRate: 2, environment: 'Prod!' })).toThrow(
      expect.objectContaining({ code: 'TRACING_INVALID_OPTIONS' }),
    );
    expect(() => createLangfuseTracingPlugin({ sampleRate: 2 })).toThrow(TracingError);
  });

  it('samples whole sessions deterministically', async () => {
    await using h = await startTracingHarness(() => ({ text: 'ok' }), {
      plugin: { sampleRate: 0.5 },
    });
    const ids = Array.from({ length: 16 }, (_, index) => `session-${index}`);
    for (const id of ids) await h.turn('hi', await h.agent.createSession({ id }));
    const traced = new Set(h.spans().map((span) => span.attributes['session.id']));
    const expected = ids.filter((id) => isSessionSampled(id, 0.5));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(ids.length);
    expect([...traced].sort()).toEqual([...expected].sort());
  });

  it('sends nothing at all with sampleRate 0', async () => {
    await using h = await startTracingHarness([{ text: 'a' }], { plugin: { sampleRate: 0 } });
    await h.turn('hello');
    expect(h.receiver.requests).toHaveLength(0);
  });
});

describe('payload safety', () => {
  it('redacts secrets everywhere (keys, bearer tokens, secret fields, user patterns, mask) before sending', async () => {
    await using h = await startTracingHarness(
      [
        {
          toolCalls: [
            {
              id: 'c1',
              name: 'echo',
              args: { text: 'card 4111-1111-1111-1111', apiKey: 'plain-value' },
            },
          ],
        },
        { text: 'Your key sk-proj-ABCDEFGHIJKLMNOP is safe with me' },
      ],
      {
        agent: { tools: { echo } },
        plugin: {
          redactPatterns: [/\b\d{4}-\d{4}-\d{4}-\d{4}\b/],
          mask: (value) => value.replaceAll('Alice', '[NAME]'),
        },
      },
    );
    await h.turn(
      'I am Alice, my key is sk-ant-api03-SECRETSECRET and Authorization: Bearer abc.def.ghi',
    );
    const everything = JSON.stringify(h.spans());
    for (const secret of [
      'SECRETSECRET',
      'abc.def.ghi',
      'plain-value',
      '4111-1111',
      'ABCDEFGHIJKLMNOP',
      'Alice',
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('[REDACTED]');
    expect(everything).toContain('[NAME]');
  });

  it('truncates big payloads after serialisation with a visible marker', async () => {
    await using h = await startTracingHarness(
      [{ toolCalls: [{ id: 'c1', name: 'echo', args: { text: 'hi' } }] }, { text: 'done' }],
      { agent: { tools: { echo } }, plugin: { maxChars: 1_000 } },
    );
    await h.turn('go');
    const output = h.span('tool: echo').attributes['langfuse.observation.output'] as string;
    expect(output.length).toBeLessThan(1_100);
    expect(output).toMatch(/…\[truncated \d+ chars\]$/);
  });
});

describe('turn endings', () => {
  it('a cancelled turn ends WARNING; a failed one ERROR with the error message', async () => {
    await using h = await startTracingHarness([
      { text: ['partial ', 'answer ', 'never ', 'finished'], delayMs: 50 },
      { error: { status: 500 } },
    ]);
    const session = await h.agent.createSession();
    const run = session.run('tell me a story');
    // Cancel once the answer is streaming (not after a fixed delay: on a loaded
    // machine the model call may not even have started by then).
    for await (const event of run) if (event.type === 'message.delta') break;
    run.cancel();
    expect((await run.result).stopReason).toBe('cancelled');
    await h.turn('again', session);
    const [cancelled, failed] = h
      .spans()
      .filter((span) => span.attributes['langfuse.observation.type'] === 'agent');
    expect(cancelled!.attributes).toMatchObject({
      'langfuse.observation.level': 'WARNING',
      'langfuse.observation.status_message': 'cancelled',
    });
    expect(failed!.attributes).toMatchObject({ 'langfuse.observation.level': 'ERROR' });
    expect(failed!.attributes['langfuse.observation.status_message']).toContain('HTTP 500');
    const generations = h.spans().filter((span) => span.name.startsWith('llm:'));
    expect(generations.map((span) => span.attributes['langfuse.observation.level'])).toEqual([
      'WARNING',
      'ERROR',
    ]);
  });

  it('closes tool spans left open at turn end as ERROR, and open turns on shutdown', async () => {
    await using receiver = await startLangfuseReceiver();
    const plugin = createLangfuseTracingPlugin({
      publicKey: 'pk-lf-test',
      secretKey: 'sk-lf-test',
      baseUrl: receiver.baseUrl,
      env: {},
    });
    const base = { v: 1 as const, sessionId: 's1', ts: Date.now() };
    let seq = 0;
    const emit = (type: string, data: object, runId = 'r1') =>
      plugin.handle({ ...base, seq: ++seq, type, runId, data });
    emit('run.started', {
      trigger: 'user',
      input: { messageId: 'm', parts: [{ type: 'text', text: 'hi' }] },
    });
    emit('tool_call.started', { toolCallId: 't1', toolName: 'hang' });
    emit('tool_call.running', { toolCallId: 't1' });
    emit('run.finished', { stopReason: 'completed', durationMs: 5 });
    emit('run.started', { trigger: 'user' }, 'r2');
    await plugin.shutdown();
    const spans = receiver.spans();
    expect(spans.find((span) => span.name === 'tool: hang')!.attributes).toMatchObject({
      'langfuse.observation.level': 'ERROR',
      'langfuse.observation.status_message': 'The tool call was still open when its turn ended.',
    });
    const unfinished = spans.filter((span) => span.name === 'agent — Turn 2');
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]!.attributes['langfuse.observation.level']).toBe('WARNING');
  });
});

describe('isolation from the agent', () => {
  const receiverBehaviours = [
    ['returns 500', { status: 500 }],
    ['returns 401', { status: 401 }],
    ['is slow (3 s)', { status: 200, delayMs: 3_000 }],
  ] as const;

  const waitFor = async (predicate: () => boolean, what: string) => {
    for (const started = Date.now(); !predicate();) {
      if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  // No wall-clock ratio here (that is the bench's job, see BENCHMARKS.md): the
  // proof is in the order of things. Turns finish while the receiver still
  // holds an export, the agent never hears of a failed export, and flush and
  // shutdown give up on the receiver after flushTimeoutMs instead of waiting.
  it.each(receiverBehaviours)(
    'when the receiver %s, turns never wait for it or see its errors, and flush/shutdown resolve',
    async (_label, behaviour) => {
      const agentErrors: Error[] = [];
      const script = () => ({ text: ['one ', 'two ', 'three'], delayMs: 15 });
      await using h = await startTracingHarness(script, {
        plugin: { flushTimeoutMs: 500, timeoutSeconds: 1 },
        agent: { onError: (error) => agentErrors.push(error) },
      });
      h.receiver.setResponder(() => behaviour);
      const turn = async () => {
        const result = await (await h.agent.createSession()).run('hi').result;
        expect(result).toMatchObject({ stopReason: 'completed', text: 'one two three' });
      };
      await turn();
      // The turn's boundary export reaches the receiver within flushDelayMs.
      await waitFor(() => h.receiver.requests.length > 0, 'the first export');
      const first = h.receiver.requests[0]!;
      // An accepted export is decoded only once the receiver answers it.
      const answered = () => first.status !== 200 || first.spans.length > 0;
      if (behaviour.status === 200) {
        expect(answered()).toBe(false);
        await turn();
        expect(answered()).toBe(false); // a whole turn ran while the export was held
      }
      for (let index = 0; index < 5; index++) await turn();

      await h.plugin.flush();
      await h.plugin.shutdown();
      expect(agentErrors).toEqual([]);
      expect(h.receiver.requests.every((request) => request.status === behaviour.status)).toBe(
        true,
      );
      const exportWarnings = h.warnings.filter(
        (warning) => warning.error?.code === 'TRACING_EXPORT_FAILED',
      );
      expect(exportWarnings).toHaveLength(1); // reported once, not per flush
      expect(exportWarnings[0]!.message).toContain(
        behaviour.status === 200 ? 'took longer than 500 ms' : 'failed',
      );
    },
    20_000,
  );

  it('when the receiver is down, shutdown still resolves and the agent never sees an error', async () => {
    const receiver = await startLangfuseReceiver();
    const url = receiver.baseUrl;
    await receiver.close();
    const errors: Error[] = [];
    await using h = await startTracingHarness([{ text: 'fine' }], {
      plugin: { baseUrl: url, flushTimeoutMs: 1_000, timeoutSeconds: 1 },
      agent: { onError: (error) => errors.push(error) },
    });
    await h.turn('hello');
    await h.plugin.shutdown();
    expect(errors).toEqual([]);
    expect(h.warnings.map((warning) => warning.error?.code)).toContain('TRACING_EXPORT_FAILED');
  });

  it('shutdown is idempotent, exports the last turn, and ignores later events', async () => {
    await using h = await startTracingHarness(() => ({ text: 'ok' }), {
      plugin: { flushIntervalSeconds: 60 },
    });
    const session = await h.agent.createSession();
    await session.run('last one').result;
    await h.agent.bus.flush();
    await Promise.all([h.plugin.shutdown(), h.plugin.shutdown()]);
    expect(h.spans().map((span) => span.name)).toContain('tester — Turn 1');
    const requests = h.receiver.requests.length;
    await session.run('after shutdown').result;
    await h.agent.bus.flush();
    await h.plugin.flush();
    expect(h.receiver.requests.length).toBe(requests);
    expect(h.plugin.active).toBe(false);
  });

  it('uses the host provider when given one, and registers nothing global either way', async () => {
    const exporter = new InMemorySpanExporter();
    const host = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    await using h = await startTracingHarness([{ text: 'a' }], {
      plugin: { tracerProvider: host },
    });
    await h.turn('hello');
    expect(h.receiver.requests).toHaveLength(0);
    expect(exporter.getFinishedSpans().map((span) => span.name)).toContain('tester — Turn 1');
    const global = trace.getTracerProvider();
    expect(global).toBeInstanceOf(ProxyTracerProvider);
    expect((global as ProxyTracerProvider).getDelegate().constructor.name).toBe(
      'NoopTracerProvider',
    );
    await host.shutdown();
  });
});
