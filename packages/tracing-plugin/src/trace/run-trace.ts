import type { Attributes, Span } from '@opentelemetry/api';

/** An open tool observation. */
export interface ToolTrace {
  span: Span;
  toolName: string;
}

/** The open observations of one run (a turn, or a sub-agent run nested in one). */
export interface RunTrace {
  runId: string;
  root: Span;
  /** Trace name, session, user and tags: on every observation of the turn. */
  traceAttributes: Attributes;
  topLevel: boolean;
  /** Open model calls: when the first attempt started, and how many attempts so far. */
  generations: Map<
    string,
    { startedAt: number; attempts: number; parameters?: Record<string, unknown> }
  >;
  generationCount: number;
  /** Text and tool calls of the generation in progress, for its output. */
  stepText: string | undefined;
  stepCalls: Array<{ toolCallId: string; toolName: string; input: unknown }>;
  tools: Map<string, ToolTrace>;
  finalText: string | undefined;
}

/** A run with nothing observed yet. */
export function newRun(init: {
  runId: string;
  root: Span;
  traceAttributes: Attributes;
  topLevel: boolean;
}): RunTrace {
  return {
    ...init,
    generations: new Map(),
    generationCount: 0,
    stepText: undefined,
    stepCalls: [],
    tools: new Map(),
    finalText: undefined,
  };
}
