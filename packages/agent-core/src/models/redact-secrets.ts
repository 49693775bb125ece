import { createRedactor, type Redactor } from '@switchboard/events';
import { z } from 'zod';
import type { ToolCallOutcome } from '../tools/agent-tool.js';
import type { ProviderSettings } from './resolve-model.js';

/**
 * The agent's `redact` option: what is redacted at the source, before an
 * event reaches the bus and before the transcript is saved. Errors (provider
 * and tool) are always redacted.
 */
export const redactOptionsSchema = z
  .object({
    /** Tool arguments in events, the transcript and hooks (the tool itself gets the real ones). @default true */
    toolInput: z.boolean().default(true),
    /** Tool results: what is emitted, stored and sent back to the model. @default true */
    toolOutput: z.boolean().default(true),
    /** What the user types (and steers): what is emitted, stored and sent to the model. @default false */
    userText: z.boolean().default(false),
    /** Extra secret patterns (named groups `prefix`/`suffix` are kept); must run in linear time. */
    extraPatterns: z.array(z.instanceof(RegExp)).default([]),
    /** Literal secrets replaced wherever they appear (the provider keys are added automatically). */
    secrets: z.array(z.string()).default([]),
  })
  .default({ toolInput: true, toolOutput: true, userText: false, extraPatterns: [], secrets: [] });

/** What an agent redacts, resolved once per agent. */
export interface SecretRedaction {
  /** The patterns plus the configured secrets; errors always go through it. */
  readonly redactor: Redactor;
  readonly toolInput: boolean;
  readonly toolOutput: boolean;
  readonly userText: boolean;
}

/** Environment variables holding keys this process may send somewhere. */
const KEY_VARIABLES = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'SWITCHBOARD_API_KEY',
  'LANGFUSE_SECRET_KEY',
] as const;

/**
 * Resolves the `redact` option: the shared redactor of `@switchboard/events`
 * with the agent's extra patterns, its `secrets` and every configured
 * provider key (from `providers` and the environment), so a provider that
 * echoes the key back cannot leak it.
 */
export function createSecretRedaction(
  options: z.output<typeof redactOptionsSchema>,
  keys: { providers?: Omit<ProviderSettings, 'env'>; env: Record<string, string | undefined> },
): SecretRedaction {
  const { providers, env } = keys;
  const redactor = createRedactor({
    patterns: options.extraPatterns,
    secrets: [
      ...options.secrets,
      providers?.openai?.apiKey,
      providers?.anthropic?.apiKey,
      providers?.openaiCompatible?.apiKey,
      ...KEY_VARIABLES.map((name) => env[name]),
    ],
  });
  return {
    redactor,
    toolInput: options.toolInput,
    toolOutput: options.toolOutput,
    userText: options.userText,
  };
}

/**
 * A tool call's outcome as it may be emitted, stored and shown to the model:
 * the error message always redacted, the output when `toolOutput` is on.
 */
export function redactOutcome(
  redaction: SecretRedaction,
  outcome: ToolCallOutcome,
): ToolCallOutcome {
  const { redactor } = redaction;
  return {
    ...outcome,
    ...(outcome.output !== undefined && redaction.toolOutput
      ? { output: redactor.value(outcome.output) }
      : {}),
    ...(outcome.error
      ? { error: { ...outcome.error, message: redactor.text(outcome.error.message) } }
      : {}),
  };
}

/** A tool's progress message as it may be emitted: part of its output, redacted like it. */
export function redactProgress(redaction: SecretRedaction, message: string): string {
  return redaction.toolOutput ? redaction.redactor.text(message) : message;
}

/**
 * Removes credentials from text bound for errors, events, logs and traces:
 * the shared patterns of `@switchboard/events` (provider, cloud and VCS keys,
 * JWTs, PEM keys, bearer tokens, `password=` pairs) and any extra literal
 * secrets (the configured keys themselves, 8 characters or longer).
 */
export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  return createRedactor({ secrets: [...extraSecrets] }).text(text);
}
