import { SwitchboardError, type SwitchboardErrorInit } from '@switchboard/events';
import { optionsParser } from '@switchboard/events/internal';
import { CONFIG_ERROR_CODES } from '../config/config-error-codes.js';
import { MODEL_ERROR_CODES } from '../models/model-error-codes.js';
import { SESSION_ERROR_CODES } from '../sessions/session-error-codes.js';
import { TOOL_ERROR_CODES } from '../tools/tool-error-codes.js';
import { CORE_BASE_ERROR_CODES } from './core-base-error-codes.js';
import { LOOP_ERROR_CODES } from './loop-error-codes.js';

/**
 * Every code `@switchboard/agent-core` can throw or put in an event, with a
 * one-line meaning. Each area owns its table; a test checks they are unique,
 * prefixed `CORE_` and listed in the README. A released code is never reused.
 */
export const CORE_ERROR_CODES = {
  ...CORE_BASE_ERROR_CODES,
  ...TOOL_ERROR_CODES,
  ...MODEL_ERROR_CODES,
  ...LOOP_ERROR_CODES,
  ...SESSION_ERROR_CODES,
  ...CONFIG_ERROR_CODES,
} as const;

/** A stable `@switchboard/agent-core` error code. */
export type CoreErrorCode = keyof typeof CORE_ERROR_CODES;

/** Everything needed to build an {@link AgentCoreError}, plus an optional user-facing hint. */
export interface AgentCoreErrorInit extends SwitchboardErrorInit<CoreErrorCode> {
  /** What the user can do about it ("Set OPENAI_API_KEY or pass apiKey"). Never contains secrets. */
  hint?: string;
}

/**
 * An error raised by `@switchboard/agent-core`. Its message ends with the hint
 * (as AI SDK errors do), so a surface that shows only the message still tells
 * people how to fix it; `hint` keeps the fix on its own.
 */
export class AgentCoreError extends SwitchboardError<CoreErrorCode> {
  readonly hint: string | undefined;

  constructor({ hint, ...init }: AgentCoreErrorInit) {
    super({
      ...init,
      message: withHint(init.message, hint),
      details: { ...init.details, ...(hint === undefined ? {} : { hint }) },
    });
    this.name = 'AgentCoreError';
    this.hint = hint;
  }
}

/**
 * `message` followed by the hint sentence, unless it already ends with it. A
 * message of several lines (a list of problems) gets the hint as its last line.
 */
function withHint(message: string, hint: string | undefined): string {
  if (!hint || message.endsWith(hint)) return message;
  const text = message.trimEnd();
  if (text.includes('\n')) return `${text}\n${hint}`;
  return `${/[.!?]$/.test(text) ? text : `${text}.`} ${hint}`;
}

/** Parses `@switchboard/agent-core` options; failures throw `AgentCoreError` `CORE_INVALID_OPTIONS`. */
export const parseCoreOptions = optionsParser('CORE_INVALID_OPTIONS', AgentCoreError);
