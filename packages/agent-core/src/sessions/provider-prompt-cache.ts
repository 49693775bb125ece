import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { PromptConverter } from './prompt-converter.js';
import type { TranscriptEntry } from './session-snapshot.js';

/**
 * A session's provider prompt, converted incrementally: the entries converted
 * for the last prompt are kept, and the next prompt converts only the entries
 * added since, so a model call's conversion does not grow with the session's
 * length. The result is always what {@link toProviderPrompt} gives for the
 * same transcript.
 *
 * Entries are added at the end and not changed afterwards. The one other
 * edit, a compaction (entries archived in place, a summary inserted), goes
 * through the session, which calls {@link invalidate}. Anything else that
 * moves entries (an insert or removal, a reset replacing the transcript) is
 * noticed by comparing the converted entries with the transcript's, by
 * reference — a walk over two arrays that touches no entry, about a
 * microsecond per thousand entries — and the whole transcript is converted
 * again once.
 */
export class ProviderPromptCache {
  #converter = new PromptConverter();
  #transcript: readonly TranscriptEntry[] | undefined;
  /** The entries converted so far, in order. */
  #entries: TranscriptEntry[] = [];
  #conversions = 0;

  /** Entries converted over this cache's life (tests count them; a full conversion adds every entry). */
  get conversions(): number {
    return this.#conversions;
  }

  /** The provider prompt for `transcript` (see {@link toProviderPrompt}); a new array each time. */
  prompt(system: string, transcript: readonly TranscriptEntry[]): LanguageModelV3Prompt {
    return this.#sync(transcript).prompt(system);
  }

  /**
   * `Math.ceil(JSON.stringify(prompt).length / 4)` of that prompt, the rough
   * token count compaction decides on, measuring only new messages.
   */
  estimateTokens(system: string, transcript: readonly TranscriptEntry[]): number {
    return Math.ceil(this.#sync(transcript).promptJsonLength(system) / 4);
  }

  /** Entries already added were changed in place (a compaction archived some): convert again. */
  invalidate(): void {
    this.#transcript = undefined;
  }

  #sync(transcript: readonly TranscriptEntry[]): PromptConverter {
    if (!this.#prefixUnchanged(transcript)) {
      this.#converter = new PromptConverter();
      this.#transcript = transcript;
      this.#entries = [];
    }
    for (let index = this.#entries.length; index < transcript.length; index++) {
      const entry = transcript[index]!;
      this.#converter.add(entry);
      this.#conversions += 1;
      this.#entries.push(entry);
    }
    return this.#converter;
  }

  #prefixUnchanged(transcript: readonly TranscriptEntry[]): boolean {
    const entries = this.#entries;
    if (transcript !== this.#transcript || transcript.length < entries.length) return false;
    for (let index = entries.length - 1; index >= 0; index--) {
      if (transcript[index] !== entries[index]) return false;
    }
    return true;
  }
}
