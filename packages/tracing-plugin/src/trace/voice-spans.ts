import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { createObservationAttributes } from '@langfuse/tracing';
import type { AgentEvent, EventType } from '@switchboard/events';
import type { RedactField } from '../payload/redactor.js';
import { startObservation } from './start-observation.js';
import type { TraceBuilderOptions } from './trace-builder-options.js';

/** What a voice turn's spans need of the turn: its root and the trace attributes. */
interface VoiceTurn {
  root: Span;
  traceAttributes: Attributes;
  transcript: string | undefined;
  /** Open playout spans by speech id, with their metadata so far. */
  speeches: Map<string, { span: Span; details: Record<string, unknown> }>;
}

/** Turns remembered per session after their run ended (the speech outlives the run). */
const TURNS_KEPT = 4;
/** Voice sessions remembered; past it the oldest is dropped (its open speech spans end). */
const SESSIONS_KEPT = 1_000;

/** The trace builder's payload serialiser (redacted, cut to size). */
type Serialize = (value: unknown, field: RedactField) => string;

/**
 * Voice turns in Langfuse, from the `voice.*` events alone: under the turn's
 * root, a `voice` span from the end of the user's speech to the agent's first
 * audio, with one child per stage and its latency (`stt` end of speech → final
 * transcript, `endpointing` end of speech → turn decided, `llm first token`
 * turn decided → first text, `tts first audio` first sentence → its audio),
 * then a `speech` span for the playout (spoken ms, interrupted or not).
 *
 * `voice.metrics` arrives when the first audio plays, usually after the run
 * ended (the model is faster than the voice), so the turn is kept past its
 * run. Stage times are the metrics' session-time delays placed back from the
 * metrics event's time: their durations are exact, their offsets as measured.
 */
export class VoiceSpans {
  readonly #options: () => TraceBuilderOptions;
  readonly #serialize: Serialize;
  readonly #sessions = new Map<
    string,
    { transcript: string | undefined; turns: Map<string, VoiceTurn> }
  >();

  constructor(options: () => TraceBuilderOptions, serialize: Serialize) {
    this.#options = options;
    this.#serialize = serialize;
  }

  readonly #helpers = {
    tracer: (): Tracer | undefined => this.#options().tracer(),
    payload: (value: unknown) => this.#serialize(value, 'output'),
    metadata: (details: Record<string, unknown>) => ({
      [this.#options().metadataKey]: this.#serialize(details, 'metadata'),
    }),
  };

  /** The trace builder's handlers for the voice events. */
  readonly handlers: { [T in EventType]?: (event: AgentEvent<T>) => void } = {
    'voice.agent_state': (event) => this.seen(event.sessionId),
    'voice.transcript': (event) => this.transcript(event),
    'voice.speech_created': (event) => this.speechCreated(event),
    'voice.speech_finished': (event) => this.speechFinished(event),
    'voice.metrics': (event) => this.metrics(event),
  };

  /** Any voice event: the session is a voice session (only those keep turns). */
  seen(sessionId: string): void {
    this.#session(sessionId);
  }

  /** A top-level run started: in a voice session, it is a voice turn (its transcript came just before). */
  turnStarted(
    { sessionId, runId }: { sessionId: string; runId?: string | undefined },
    root: Span,
    traceAttributes: Attributes,
  ): void {
    const session = this.#sessions.get(sessionId);
    if (!session || !runId) return;
    session.turns.set(runId, {
      root,
      traceAttributes,
      transcript: session.transcript,
      speeches: new Map(),
    });
    session.transcript = undefined;
    if (session.turns.size > TURNS_KEPT)
      this.#endTurn(session.turns, [...session.turns.keys()][0]!);
  }

  transcript(event: AgentEvent<'voice.transcript'>): void {
    if (event.data.final && event.data.text)
      this.#session(event.sessionId).transcript = event.data.text;
  }

  metrics(event: AgentEvent<'voice.metrics'>): void {
    const turn = this.#turn(event);
    const tracer = this.#helpers.tracer();
    if (!turn || !tracer) return;
    const { data } = event;
    const firstAudio = event.ts;
    const speechEnd =
      data.timeToFirstAudioMs === undefined ? undefined : firstAudio - data.timeToFirstAudioMs;
    const decided =
      speechEnd === undefined || data.endOfUtteranceDelayMs === undefined
        ? undefined
        : speechEnd + data.endOfUtteranceDelayMs;
    const start = speechEnd ?? decided ?? firstAudio;
    const voice = startObservation(tracer, {
      name: 'voice',
      type: 'span',
      parent: turn.root,
      at: start,
      traceAttributes: turn.traceAttributes,
      attributes: { metadata: this.#helpers.metadata({ ...data }) },
    });
    const stage = (
      name: string,
      [from, ms]: [number | undefined, number | undefined],
      extra: { output?: string } = {},
    ) => {
      if (from === undefined || ms === undefined) return;
      startObservation(tracer, {
        name,
        type: 'span',
        parent: voice,
        at: from,
        traceAttributes: turn.traceAttributes,
        attributes: { metadata: this.#helpers.metadata({ latencyMs: ms }), ...extra },
      }).end(new Date(from + ms));
    };
    const transcript =
      turn.transcript === undefined ? {} : { output: this.#helpers.payload(turn.transcript) };
    stage('stt', [speechEnd, data.transcriptionDelayMs], transcript);
    stage('endpointing', [speechEnd, data.endOfUtteranceDelayMs]);
    stage('llm first token', [decided, data.llmFirstTokenMs]);
    const ttsMs = data.ttsFirstAudioMs;
    stage('tts first audio', [ttsMs === undefined ? undefined : firstAudio - ttsMs, ttsMs]);
    voice.end(new Date(firstAudio));
  }

  /** The reply's speech started playing (its first `voice.metrics` or state change). */
  speechCreated(event: AgentEvent<'voice.speech_created'>): void {
    const turn = this.#turn(event);
    const tracer = this.#helpers.tracer();
    if (!turn || !tracer) return;
    const details = {
      speechId: event.data.speechId,
      source: event.data.source,
      allowInterruptions: event.data.allowInterruptions,
    };
    const span = startObservation(tracer, {
      name: 'speech',
      type: 'span',
      parent: turn.root,
      at: event.ts,
      traceAttributes: turn.traceAttributes,
      attributes: { metadata: this.#helpers.metadata(details) },
    });
    turn.speeches.set(event.data.speechId, { span, details });
  }

  speechFinished(event: AgentEvent<'voice.speech_finished'>): void {
    const turn = this.#turn(event);
    const speech = turn?.speeches.get(event.data.speechId);
    if (!turn || !speech) return;
    turn.speeches.delete(event.data.speechId);
    const { spokenMs, interrupted } = event.data;
    speech.span.setAttributes(
      createObservationAttributes('span', {
        metadata: this.#helpers.metadata({ ...speech.details, spokenMs, interrupted }),
        ...(interrupted ? { level: 'WARNING' as const, statusMessage: 'interrupted' } : {}),
      }),
    );
    speech.span.end(new Date(event.ts));
  }

  /** Shutdown: every open playout span ends. */
  closeAll(at: number): void {
    for (const sessionId of [...this.#sessions.keys()]) this.sessionEnded(sessionId, at);
  }

  /** The session ended: open playout spans end with it. */
  sessionEnded(sessionId: string, at: number): void {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    for (const runId of [...session.turns.keys()]) this.#endTurn(session.turns, runId, at);
    this.#sessions.delete(sessionId);
  }

  #endTurn(turns: Map<string, VoiceTurn>, runId: string, at = Date.now()): void {
    for (const { span } of turns.get(runId)?.speeches.values() ?? []) span.end(new Date(at));
    turns.delete(runId);
  }

  #turn(event: { sessionId: string; runId?: string | undefined }): VoiceTurn | undefined {
    return event.runId ? this.#sessions.get(event.sessionId)?.turns.get(event.runId) : undefined;
  }

  #session(sessionId: string) {
    let session = this.#sessions.get(sessionId);
    if (!session) {
      session = { transcript: undefined, turns: new Map() };
      this.#sessions.set(sessionId, session);
      if (this.#sessions.size > SESSIONS_KEPT)
        this.sessionEnded([...this.#sessions.keys()][0]!, Date.now());
    }
    return session;
  }
}
