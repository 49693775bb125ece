import type {
  LanguageModelV3FilePart,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
} from '@ai-sdk/provider';
import { attachmentIdOf, type ContentPart } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';

/**
 * Loads the bytes of an attachment a message part names with
 * `attachment:<id>` (the application's store). Resolves undefined when the
 * attachment no longer exists.
 */
export type AttachmentLoader = (
  id: string,
) => Promise<{ data: Uint8Array; mediaType: string } | undefined>;

/** What the model is told in place of an attachment that cannot be loaded. */
export function missingAttachmentText(id: string): string {
  return `[attachment ${id} is not available]`;
}

/**
 * The prompt with every `attachment:<id>` file part of a user message
 * replaced by the attachment's bytes, loaded once per id (a text file, which
 * few providers take as a file, becomes a text part with its content). The transcript
 * keeps the reference; only the request to the model carries the bytes. An
 * attachment that cannot be loaded (no loader in this run, deleted, a read
 * error) becomes a line of text saying so, so one lost file never makes the
 * session unusable.
 */
export async function loadAttachments(
  prompt: LanguageModelV3Prompt,
  loader: AttachmentLoader | undefined,
): Promise<LanguageModelV3Prompt> {
  // The common case (no attachment in the conversation) costs one pass and no allocation.
  if (!prompt.some((message) => message.role === 'user' && message.content.some(referenceOf)))
    return prompt;
  const loaded = new Map<string, Promise<{ data: Uint8Array; mediaType: string } | undefined>>();
  const load = (id: string) => {
    let found = loaded.get(id);
    if (!found) {
      found = loader ? loader(id).catch(() => undefined) : Promise.resolve(undefined);
      loaded.set(id, found);
    }
    return found;
  };
  return Promise.all(
    prompt.map(async (message) => {
      if (message.role !== 'user' || !message.content.some((part) => referenceOf(part)))
        return message;
      const content = await Promise.all(
        message.content.map(async (part) => {
          const id = referenceOf(part);
          if (id === undefined || part.type !== 'file') return part;
          const attachment = await load(id);
          if (!attachment) return { type: 'text' as const, text: missingAttachmentText(id) };
          const mediaType = part.mediaType || attachment.mediaType;
          // Few providers take text files as files: the model reads them as text.
          if (isText(mediaType)) {
            const name = part.filename ? ` ${part.filename}` : '';
            const text = new TextDecoder().decode(attachment.data);
            return { type: 'text' as const, text: `Attached file${name} (${mediaType}):\n${text}` };
          }
          return { ...part, data: attachment.data, mediaType };
        }),
      );
      return { ...message, content };
    }),
  );
}

/** Text files (plain, Markdown, CSV, JSON, …): sent to the model as text. */
function isText(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/json';
}

/** The attachment id of a user content part that references one. */
function referenceOf(part: LanguageModelV3TextPart | LanguageModelV3FilePart): string | undefined {
  return part.type === 'file' ? attachmentIdOf(part.data) : undefined;
}

/**
 * Refuses a message that references attachments (`attachment:<id>` urls)
 * when the run has no loader for them: `CORE_UNSUPPORTED_INPUT`, before
 * anything changes. (Attachments earlier in the conversation do not need
 * one: without it they reach the model as a note.)
 */
export function assertLoadable(
  parts: readonly ContentPart[],
  loader: AttachmentLoader | undefined,
): void {
  if (loader || !parts.some((part) => 'url' in part && attachmentIdOf(part.url) !== undefined))
    return;
  throw new AgentCoreError({
    code: 'CORE_UNSUPPORTED_INPUT',
    message: 'The message references attachments (attachment:<id>) but the run has no loader.',
    hint: 'Pass run(input, { attachments: (id) => … }) to load them.',
  });
}
