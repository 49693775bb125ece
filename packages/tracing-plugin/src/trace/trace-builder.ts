import { SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import {
  createObservationAttributes,
  createTraceAttributes,
  type LangfuseGenerationAttributes,
} from '@langfuse/tracing';
import { isKnownEvent, type AgentEvent, type AnyEvent, type EventType } from '@switchboard/events';
import type { RedactField } from '../payload/redactor.js';
import { serializeForSpan } from '../payload/serialize.js';
import { toLangfuseUsage } from '../payload/usage-details.js';
import {
  inputOf,
  levelOfStop,
  modelParameters,
  retryDetails,
  type Level,
} from './event-payloads.js';
import { newRun, type RunTrace, type ToolTrace } from './run-trace.js';
import { SessionTable, type SessionTrace } from './session-table.js';
import { startObservation } from './start-observation.js';
import { toolMetadata, toolOutcome } from './tool-outcome.js';
import type { TraceBuilderOptions } from './trace-builder-options.js';
import { VoiceSpans } from './voice-spans.js';

/**
 * Turns the `@switchboard/events` stream of one or many sessions into
 * Langfuse observations: one trace per turn (a top-level run), an `agent`
 * root, a `user message` event that carries the trace header, a generation
 * per model call, a tool observation per tool call (matched by id), and an
 * `assistant response` event. Sub-agent runs nest under the tool call that
 * started them. Span times are the events' own timestamps, so a live run and
 * a replay of its log produce the same traces.
 *
 * State is keyed by session and run id, never by "the current turn", so
 * interleaved sessions and nested runs cannot cross.
 */
export class TraceBuilder {
  readonly #options: TraceBuilderOptions;
  readonly #sessions: SessionTable;
  readonly #voice = new VoiceSpans(() => this.#options, this.#payload.bind(this));

  constructor(options: TraceBuilderOptions) {
    this.#options = options;
    this.#sessions = new SessionTable(options);
  }

  /** Sessions remembered. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Open turns across sessions (for tests and shutdown). */
  get openRuns(): number {
    let count = 0;
    for (const session of this.#sessions.all()) count += session.runs.size;
    return count;
  }

  /** Consumes one event. Unknown or unrelated events are ignored. */
  handle(event: AnyEvent): void {
    if (!isKnownEvent(event)) return;
    const handler = this.#handlers[event.type] as ((event: AgentEvent) => void) | undefined;
    handler?.(event);
  }

  /** The events that shape traces; every other event type is ignored. */
  readonly #handlers: { [T in EventType]?: (event: AgentEvent<T>) => void } = {
    'session.started': (event) => this.#sessionStarted(event),
    'session.ended': (event) => this.#sessionEnded(event),
    'run.started': (event) => this.#runStarted(event),
    'generation.started': (event) => this.#generationStarted(event),
    'generation.retrying': (event) => this.#generationRetrying(event),
    'message.completed': (event) => this.#messageCompleted(event),
    'tool_call.started': (event) =>
      this.#rememberCall(event.sessionId, event.data.toolCallId, { toolName: event.data.toolName }),
    'tool_call.ready': (event) => this.#toolCallReady(event),
    'tool_call.approval_requested': (event) =>
      this.#rememberCall(event.sessionId, event.data.toolCallId, {
        ...(event.data.toolName === undefined ? {} : { toolName: event.data.toolName }),
        input: event.data.input,
      }),
    'generation.finished': (event) => this.#generationFinished(event),
    'tool_call.running': (event) => this.#toolRunning(event),
    'tool_call.completed': (event) => this.#toolCompleted(event),
    'run.finished': (event) =>
      this.#runEnded(event, levelOfStop(event.data.stopReason), event.data.stopReason),
    'run.failed': (event) =>
      this.#runEnded(event, { level: 'ERROR', message: event.data.error.message }, 'failed'),
    ...this.#voice.handlers,
  };

  /** Ends every open turn (as WARNING) — used on shutdown so nothing is left unexported. */
  closeAll(reason: string, at = Date.now()): void {
    for (const session of this.#sessions.all()) this.#closeRuns(session, reason, at);
    this.#voice.closeAll(at);
  }

  #sessionStarted(event: AgentEvent<'session.started'>): void {
    const session = this.#sessions.get(event.sessionId);
    if (event.data.userId) session.userId = event.data.userId;
    if (event.data.agent?.name) session.agentName = event.data.agent.name;
  }

  #sessionEnded(event: AgentEvent<'session.ended'>): void {
    const session = this.#sessions.find(event.sessionId);
    this.#voice.sessionEnded(event.sessionId, event.ts);
    if (!session) return;
    this.#closeRuns(session, `session ${event.data.reason}`, event.ts);
    if (event.data.reason === 'reset') {
      session.turn = 0;
      session.calls.clear();
    } else {
      this.#sessions.forget(event.sessionId);
    }
  }

  #runStarted(event: AgentEvent<'run.started'>): void {
    const session = this.#sessions.get(event.sessionId);
    this.#sessions.touch(event.sessionId, session);
    const tracer = session.sampled ? this.#options.tracer() : undefined;
    if (!tracer || !event.runId) return;
    const agentName = event.data.agent?.name ?? session.agentName;
    const parentRun = event.parentRunId ? session.runs.get(event.parentRunId) : undefined;
    const metadata = {
      runId: event.runId,
      trigger: event.data.trigger,
      ...(event.data.model ? { model: event.data.model } : {}),
      ...(event.data.resumeOfRunId ? { resumeOfRunId: event.data.resumeOfRunId } : {}),
    };
    const input = inputOf(event);
    if (parentRun) {
      // A sub-agent: nested under the tool call that started it, in the parent's trace.
      const parentSpan =
        (event.data.parentToolCallId && parentRun.tools.get(event.data.parentToolCallId)?.span) ||
        parentRun.root;
      const root = startObservation(tracer, {
        name: `agent: ${agentName}`,
        type: 'agent',
        parent: parentSpan,
        at: event.ts,
        traceAttributes: parentRun.traceAttributes,
        attributes: {
          ...(input === undefined ? {} : { input: this.#payload(input, 'input') }),
          metadata: this.#metadata({ ...metadata, parentRunId: event.parentRunId }),
        },
      });
      session.runs.set(
        event.runId,
        newRun({
          runId: event.runId,
          root,
          traceAttributes: parentRun.traceAttributes,
          topLevel: false,
        }),
      );
      return;
    }
    session.turn += 1;
    const name = this.#options.traceName({
      sessionId: event.sessionId,
      turn: session.turn,
      agentName,
    });
    const traceAttributes: Attributes = {
      'langfuse.trace.name': name,
      'session.id': event.sessionId,
      ...(session.userId ? { 'user.id': session.userId } : {}),
      'langfuse.trace.tags': [...this.#options.tags, `agent:${agentName}`],
      'langfuse.trace.metadata.turn': String(session.turn),
      'langfuse.trace.metadata.agent': agentName,
    };
    const payload = input === undefined ? undefined : this.#payload(input, 'input');
    const root = startObservation(tracer, {
      name,
      type: 'agent',
      at: event.ts,
      traceAttributes,
      attributes: {
        ...(payload === undefined ? {} : { input: payload }),
        metadata: this.#metadata({ ...metadata, turn: session.turn }),
      },
    });
    if (payload !== undefined) root.setAttributes(createTraceAttributes({ input: payload }));
    session.runs.set(
      event.runId,
      newRun({ runId: event.runId, root, traceAttributes, topLevel: true }),
    );
    this.#voice.turnStarted(event, root, traceAttributes);
    // The trace header (name, input, session, user, tags) as an event that ends
    // now, so it is exported while the turn is still running.
    const header = startObservation(tracer, {
      name: 'user message',
      type: 'event',
      parent: root,
      at: event.ts,
      traceAttributes,
      attributes: payload === undefined ? {} : { input: payload },
    });
    if (payload !== undefined) header.setAttributes(createTraceAttributes({ input: payload }));
    header.end(new Date(event.ts));
    this.#options.onTurnBoundary('start');
  }

  #generationStarted(event: AgentEvent<'generation.started'>): void {
    const run = this.#run(event);
    if (!run) return;
    // A retry restarts the attempt, not the call: the generation spans every attempt.
    const known = run.generations.get(event.data.generationId);
    run.generations.set(event.data.generationId, {
      startedAt: known?.startedAt ?? event.ts,
      attempts: event.data.attempt,
      ...(event.data.parameters ? { parameters: event.data.parameters } : {}),
    });
    run.stepText = undefined;
    run.stepCalls = [];
  }

  /** A failed attempt that will be retried: a WARNING event in the turn, with the wait and why. */
  #generationRetrying(event: AgentEvent<'generation.retrying'>): void {
    const run = this.#run(event);
    const tracer = this.#options.tracer();
    if (!run || !tracer) return;
    const { data } = event;
    startObservation(tracer, {
      name: `retry: ${data.model} attempt ${data.attempt} → ${data.nextAttempt}`,
      type: 'event',
      parent: run.root,
      at: event.ts,
      traceAttributes: run.traceAttributes,
      attributes: {
        level: 'WARNING',
        statusMessage: this.#text(data.error.message, 'error'),
        metadata: this.#metadata(retryDetails(data)),
      },
    }).end(new Date(event.ts));
  }

  #messageCompleted(event: AgentEvent<'message.completed'>): void {
    const run = this.#run(event);
    if (!run || event.data.text === undefined || event.data.text === '') return;
    run.stepText = event.data.text;
    run.finalText = event.data.text;
  }

  #toolCallReady(event: AgentEvent<'tool_call.ready'>): void {
    const session = this.#sessions.find(event.sessionId);
    const known = session?.calls.get(event.data.toolCallId);
    this.#rememberCall(event.sessionId, event.data.toolCallId, { input: event.data.input });
    const run = this.#run(event);
    run?.stepCalls.push({
      toolCallId: event.data.toolCallId,
      toolName: known?.toolName ?? 'unknown',
      input: event.data.input,
    });
  }

  #rememberCall(
    sessionId: string,
    toolCallId: string,
    facts: { toolName?: string; input?: unknown },
  ): void {
    const session = this.#sessions.get(sessionId);
    if (!session.sampled) return;
    const known = session.calls.get(toolCallId);
    session.calls.set(toolCallId, {
      toolName: facts.toolName ?? known?.toolName ?? 'unknown',
      ...('input' in facts
        ? { input: facts.input }
        : known && 'input' in known
          ? { input: known.input }
          : {}),
    });
  }

  #generationFinished(event: AgentEvent<'generation.finished'>): void {
    const run = this.#run(event);
    const tracer = this.#options.tracer();
    if (!run || !tracer) return;
    const { data } = event;
    const started = run.generations.get(data.generationId);
    run.generations.delete(data.generationId);
    const startedAt = started?.startedAt ?? event.ts - (data.durationMs ?? 0);
    run.generationCount += 1;
    const output =
      run.stepCalls.length > 0
        ? {
            ...(run.stepText === undefined ? {} : { text: run.stepText }),
            toolCalls: run.stepCalls,
          }
        : run.stepText;
    const usageDetails = toLangfuseUsage(data.usage);
    const parameters = modelParameters(started?.parameters);
    const attributes: LangfuseGenerationAttributes = {
      model: data.model,
      ...(output === undefined ? {} : { output: this.#payload(output, 'generation.output') }),
      ...(usageDetails ? { usageDetails } : {}),
      ...(data.cost && data.cost.currency === 'USD'
        ? { costDetails: { total: data.cost.amount } }
        : {}),
      ...(parameters ? { modelParameters: parameters } : {}),
      ...(data.timeToFirstTokenMs === undefined
        ? {}
        : { completionStartTime: new Date(startedAt + data.timeToFirstTokenMs) }),
      ...(data.error
        ? { level: 'ERROR' as const, statusMessage: this.#text(data.error.message, 'error') }
        : data.finishReason === 'cancelled'
          ? { level: 'WARNING' as const, statusMessage: 'cancelled' }
          : {}),
      metadata: this.#metadata({
        generationId: data.generationId,
        provider: data.provider,
        finishReason: data.finishReason,
        ...(data.purpose ? { purpose: data.purpose } : {}),
        ...(started && started.attempts > 1 ? { attempts: started.attempts } : {}),
        ...(event.stepIndex === undefined ? {} : { stepIndex: event.stepIndex }),
        ...(data.responseId ? { responseId: data.responseId } : {}),
      }),
    };
    const purpose = data.purpose && data.purpose !== 'turn' ? ` (${data.purpose})` : '';
    const span = startObservation(tracer, {
      name: `llm: ${data.model} #${run.generationCount}${purpose}`,
      type: 'generation',
      parent: run.root,
      at: startedAt,
      traceAttributes: run.traceAttributes,
      attributes,
    });
    if (data.error)
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: this.#text(data.error.message, 'error'),
      });
    span.end(new Date(event.ts));
    run.stepText = undefined;
    run.stepCalls = [];
  }

  #toolRunning(event: AgentEvent<'tool_call.running'>): void {
    const run = this.#run(event);
    const tracer = this.#options.tracer();
    if (!run || !tracer || run.tools.has(event.data.toolCallId)) return;
    run.tools.set(event.data.toolCallId, this.#startTool(tracer, run, event));
  }

  #startTool(
    tracer: Tracer,
    run: RunTrace,
    event: AgentEvent<'tool_call.running'> | AgentEvent<'tool_call.completed'>,
  ): ToolTrace {
    const { sessionId, ts: at } = event;
    const { toolCallId } = event.data;
    const call = this.#sessions.find(sessionId)?.calls.get(toolCallId);
    const toolName = call?.toolName ?? 'unknown';
    const span = startObservation(tracer, {
      name: `tool: ${toolName}`,
      type: 'tool',
      parent: run.root,
      at,
      traceAttributes: run.traceAttributes,
      attributes: {
        ...(call && 'input' in call ? { input: this.#payload(call.input, 'tool.input') } : {}),
        metadata: this.#metadata({ toolCallId, toolName }),
      },
    });
    return { span, toolName };
  }

  #toolCompleted(event: AgentEvent<'tool_call.completed'>): void {
    const run = this.#run(event);
    const tracer = this.#options.tracer();
    if (!run || !tracer) return;
    const { data } = event;
    // A call that never ran (denied, blocked, cancelled first) still gets its observation.
    const tool = run.tools.get(data.toolCallId) ?? this.#startTool(tracer, run, event);
    run.tools.delete(data.toolCallId);
    const { failed, level, statusMessage } = toolOutcome(data);
    tool.span.setAttributes(
      createObservationAttributes('tool', {
        ...(data.output !== undefined
          ? { output: this.#payload(data.output, 'tool.output') }
          : data.error
            ? { output: this.#payload({ error: data.error }, 'tool.output') }
            : {}),
        ...(level ? { level, statusMessage: this.#text(statusMessage, 'error') } : {}),
        metadata: this.#metadata(toolMetadata(data, tool.toolName)),
      }),
    );
    if (failed)
      tool.span.setStatus({
        code: SpanStatusCode.ERROR,
        message: this.#text(statusMessage, 'error'),
      });
    tool.span.end(new Date(event.ts));
  }

  #runEnded(
    event: AgentEvent<'run.finished'> | AgentEvent<'run.failed'>,
    outcome: { level?: Level; message?: string },
    stopReason: string,
  ): void {
    const session = this.#sessions.find(event.sessionId);
    const run = event.runId ? session?.runs.get(event.runId) : undefined;
    if (!session || !run) return;
    session.runs.delete(run.runId);
    this.#closeTools(run, event.ts);
    // Call facts are kept across runs only for a turn paused on approvals (its
    // resume traces the approved calls); otherwise they would pile up per session.
    if (run.topLevel && stopReason !== 'awaiting_input') session.calls.clear();
    const output = run.finalText === undefined ? undefined : this.#payload(run.finalText, 'output');
    const tracer = this.#options.tracer();
    if (run.topLevel && output !== undefined && tracer) {
      startObservation(tracer, {
        name: 'assistant response',
        type: 'event',
        parent: run.root,
        at: event.ts,
        traceAttributes: run.traceAttributes,
        attributes: { output },
      }).end(new Date(event.ts));
    }
    run.root.setAttributes(
      createObservationAttributes('agent', {
        ...(output === undefined ? {} : { output }),
        ...(outcome.level
          ? {
              level: outcome.level,
              statusMessage: this.#text(outcome.message ?? stopReason, 'error'),
            }
          : {}),
      }),
    );
    if (run.topLevel && output !== undefined)
      run.root.setAttributes(createTraceAttributes({ output }));
    run.root.setAttribute(
      `langfuse.observation.metadata.${this.#options.metadataKey}.stopReason`,
      stopReason,
    );
    if (outcome.level === 'ERROR')
      run.root.setStatus({
        code: SpanStatusCode.ERROR,
        message: this.#text(outcome.message ?? stopReason, 'error'),
      });
    run.root.end(new Date(event.ts));
    if (run.topLevel) this.#options.onTurnBoundary('end');
  }

  /** Tool spans still open when their turn ends: closed as ERROR so nothing leaks. */
  #closeTools(run: RunTrace, at: number): void {
    for (const [toolCallId, tool] of run.tools) {
      tool.span.setAttributes(
        createObservationAttributes('tool', {
          level: 'ERROR',
          statusMessage: 'The tool call was still open when its turn ended.',
          metadata: this.#metadata({ toolCallId, leaked: true }),
        }),
      );
      tool.span.setStatus({ code: SpanStatusCode.ERROR, message: 'left open at turn end' });
      tool.span.end(new Date(at));
    }
    run.tools.clear();
  }

  #closeRuns(session: SessionTrace, reason: string, at: number): void {
    // Children first, so a parent never ends before the runs nested in it.
    const runs = [...session.runs.values()].reverse();
    for (const run of runs) {
      this.#closeTools(run, at);
      run.root.setAttributes(
        createObservationAttributes('agent', {
          level: 'WARNING',
          statusMessage: `turn not finished: ${reason}`,
        }),
      );
      run.root.end(new Date(at));
    }
    if (runs.some((run) => run.topLevel)) this.#options.onTurnBoundary('end');
    session.runs.clear();
  }

  #run(event: AnyEvent): RunTrace | undefined {
    return event.runId ? this.#sessions.find(event.sessionId)?.runs.get(event.runId) : undefined;
  }

  /** Redacted, serialised and cut to size: what any payload attribute carries. */
  #payload(value: unknown, field: RedactField): string {
    return serializeForSpan(this.#options.redact(value, field), this.#options.maxChars);
  }

  #text(value: string, field: RedactField): string {
    return serializeForSpan(
      this.#options.redact(value, field),
      Math.min(this.#options.maxChars, 2_000),
    );
  }

  /** Every detail under the one namespaced metadata key. */
  #metadata(details: Record<string, unknown>): Record<string, unknown> {
    return { [this.#options.metadataKey]: this.#payload(details, 'metadata') };
  }
}
