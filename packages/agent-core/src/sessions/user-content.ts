import type { LanguageModelV3FilePart, LanguageModelV3TextPart } from '@ai-sdk/provider';
import type { ContentPart } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';

/** What a user message becomes for the provider: text and files (images, audio, documents). */
export type UserContent = Array<LanguageModelV3TextPart | LanguageModelV3FilePart>;

const MEDIA = new Set(['image', 'audio', 'file']);

/**
 * The provider content of a user message. Text stays text; image, audio and
 * file parts become spec file parts (base64 `data`, or a URL kept as a string
 * so the snapshot stays JSON; {@link toProviderPrompt} turns it back into a
 * URL); a resource link becomes a line of text naming it. A part a model
 * cannot take (a diff, a terminal, an unknown type) is refused with
 * `CORE_UNSUPPORTED_INPUT` rather than silently dropped.
 */
export function toUserContent(parts: readonly ContentPart[]): UserContent {
  return parts.map((part): LanguageModelV3TextPart | LanguageModelV3FilePart => {
    const record = part as Record<string, unknown>;
    if (part.type === 'text' && typeof record.text === 'string')
      return { type: 'text', text: record.text };
    if (MEDIA.has(part.type) && typeof record.mediaType === 'string') {
      const data =
        typeof record.data === 'string'
          ? record.data
          : typeof record.url === 'string'
            ? record.url
            : undefined;
      if (data !== undefined) {
        return {
          type: 'file',
          mediaType: record.mediaType,
          data: dataUrlPayload(data),
          ...(typeof record.filename === 'string' ? { filename: record.filename } : {}),
        };
      }
    }
    if (part.type === 'resource_link' && typeof record.uri === 'string') {
      const name = typeof record.name === 'string' ? `${record.name} ` : '';
      return { type: 'text', text: `[resource ${name}<${record.uri}>]` };
    }
    throw new AgentCoreError({
      code: 'CORE_UNSUPPORTED_INPUT',
      message: `A "${part.type}" part cannot be sent to a model.`,
      hint: 'Send text, image, audio, file or resource_link parts (media with mediaType and data or url).',
    });
  });
}

/** `data:image/png;base64,AAA` → `AAA` (providers take base64 or a URL, not a data URL string). */
function dataUrlPayload(value: string): string {
  const match = /^data:[^;,]*;base64,(.*)$/s.exec(value);
  return match ? match[1]! : value;
}

/** A file part's string `data` that is a web URL becomes a `URL`, as the spec expects. */
export function reviveFileUrl(part: LanguageModelV3FilePart): LanguageModelV3FilePart {
  return typeof part.data === 'string' && /^https?:\/\//.test(part.data)
    ? { ...part, data: new URL(part.data) }
    : part;
}
