/** What the detector decided after a step. */
export type StuckVerdict =
  | { stuck: false }
  | {
      stuck: true;
      reason: 'repeated_tool_call' | 'no_progress';
      repeats: number;
      toolName?: string;
    };

/**
 * Spots a loop that is not getting anywhere: the same tool called with the
 * same (canonicalised) arguments `repeats` times in one run, or `failedSteps`
 * steps in a row whose tool calls all failed.
 */
export class StuckDetector {
  readonly #repeats: number;
  readonly #failedSteps: number;
  readonly #counts = new Map<string, number>();
  #failedInARow = 0;

  constructor(options: { repeats: number; failedSteps: number }) {
    this.#repeats = options.repeats;
    this.#failedSteps = options.failedSteps;
  }

  /** Records one step's tool calls and outcomes. */
  observe(
    calls: ReadonlyArray<{ toolName: string; input: unknown; failed: boolean }>,
  ): StuckVerdict {
    let worst: StuckVerdict = { stuck: false };
    for (const call of calls) {
      const key = `${call.toolName}\u0000${canonicalJson(call.input)}`;
      const count = (this.#counts.get(key) ?? 0) + 1;
      this.#counts.set(key, count);
      if (count >= this.#repeats)
        worst = {
          stuck: true,
          reason: 'repeated_tool_call',
          repeats: count,
          toolName: call.toolName,
        };
    }
    this.#failedInARow =
      calls.length > 0 && calls.every((call) => call.failed) ? this.#failedInARow + 1 : 0;
    if (!worst.stuck && this.#failedInARow >= this.#failedSteps) {
      worst = { stuck: true, reason: 'no_progress', repeats: this.#failedInARow };
    }
    return worst;
  }

  /** Forgets the history after a nudge, so the model gets a fair second chance. */
  reset(): void {
    this.#counts.clear();
    this.#failedInARow = 0;
  }
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` compare equal. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') {
    // Raw argument text from the model: normalise it when it is JSON.
    try {
      return canonicalJson(JSON.parse(value) as unknown);
    } catch {
      return JSON.stringify(value);
    }
  }
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
