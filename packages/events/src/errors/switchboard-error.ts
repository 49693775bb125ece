const marker = 'switchboard.error';
const symbol = Symbol.for(marker);

/** Everything needed to build a {@link SwitchboardError}. */
export interface SwitchboardErrorInit<Code extends string = string> {
  /** Stable, package-prefixed code (`EVENTS_*`, `CORE_*`, …). Never reused once released. */
  code: Code;
  /** Human-readable message. Must not contain secrets or user content. */
  message: string;
  /** Whether retrying the same operation may succeed. @default false */
  retryable?: boolean;
  /** Structured, JSON-safe details (ids, counts, paths) for logs and clients. */
  details?: Record<string, unknown>;
  /** The underlying error, kept for debugging; never serialised. */
  cause?: unknown;
}

/**
 * Base class of every error Switchboard throws. Subclasses live one per file in
 * each package and add nothing but a fixed code prefix, so callers can branch on
 * `code` alone.
 *
 * `isInstance` uses a `Symbol.for` marker instead of `instanceof` so that errors
 * from two installed copies of the package are still recognised.
 */
export class SwitchboardError<Code extends string = string> extends Error {
  private readonly [symbol] = true;
  readonly code: Code;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor({ code, message, retryable = false, details, cause }: SwitchboardErrorInit<Code>) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.retryable = retryable;
    this.details = details;
  }

  /** True for any SwitchboardError, from any copy of any Switchboard package. */
  static isInstance(error: unknown): error is SwitchboardError {
    return typeof error === 'object' && error != null && symbol in error;
  }

  /** The wire form: code, message, retryable and details. Never the cause or stack. */
  toJSON(): { code: Code; message: string; retryable: boolean; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * Normalises anything thrown into a SwitchboardError (tRPC's
 * `getTRPCErrorFromUnknown`): SwitchboardErrors pass through, anything else is
 * wrapped under `fallbackCode` with its message and the original as `cause`.
 */
export function toSwitchboardError(error: unknown, fallbackCode: string): SwitchboardError {
  if (SwitchboardError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SwitchboardError({ code: fallbackCode, message, cause: error });
}
