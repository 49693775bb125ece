import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { isSentToModel, PromptConverter } from './prompt-converter.js';
import type { TranscriptEntry } from './session-snapshot.js';

/**
 * A session's provider prompt, converted incrementally: the entries converted
 * for the last prompt are kept with their messages, and the next prompt
 * converts only the entries added since, so a step's conversion does not
 * grow with the session's length. The result is always what
 * {@link toProviderPrompt} gives for the same transcript.
 *
 * Entries are added at the end; anything else (a compaction archiving entries
 * and inserting its summary, a reset replacing the transcript, an entry
 * replaced or its message swapped) is noticed by a check of the converted
 * prefix — same entries, same messages, same sent-or-not — and the whole
 * transcript is converted again once. The check walks the prefix comparing
 * references, with no allocation: microseconds for thousands of entries.
 */
export class ProviderPromptCache {
  #converter = new PromptConverter();
  #transcript: readonly TranscriptEntry[] | undefined;
  /** The entries converted so far, with the message and sent flag each had then. */
  #entries: TranscriptEntry[] = [];
  #messages: TranscriptEntry['message'][] = [];
  #sent: boolean[] = [];
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

  #sync(transcript: readonly TranscriptEntry[]): PromptConverter {
    if (!this.#prefixUnchanged(transcript)) {
      this.#converter = new PromptConverter();
      this.#transcript = transcript;
      this.#entries = [];
      this.#messages = [];
      this.#sent = [];
    }
    for (let index = this.#entries.length; index < transcript.length; index++) {
      const entry = transcript[index]!;
      this.#converter.add(entry);
      this.#conversions += 1;
      this.#entries.push(entry);
      this.#messages.push(entry.message);
      this.#sent.push(isSentToModel(entry));
    }
    return this.#converter;
  }

  #prefixUnchanged(transcript: readonly TranscriptEntry[]): boolean {
    const entries = this.#entries;
    if (transcript !== this.#transcript || transcript.length < entries.length) return false;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      if (
        transcript[index] !== entry ||
        entry.message !== this.#messages[index] ||
        isSentToModel(entry) !== this.#sent[index]
      )
        return false;
    }
    return true;
  }
}
