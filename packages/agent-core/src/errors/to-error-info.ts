import type { ErrorInfo } from '@switchboard/events';
import type { AgentCoreError } from './agent-core-error.js';

/**
 * An error as events carry it (`run.failed`, `generation.finished`,
 * `generation.retrying`): code, message (which ends with the hint), the hint
 * on its own, and the provider's HTTP status when there was a response.
 */
export function toErrorInfo(error: AgentCoreError): ErrorInfo {
  const status = error.details?.status;
  return {
    message: error.message,
    code: error.code,
    retryable: error.retryable,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(typeof status === 'number' ? { status } : {}),
  };
}
