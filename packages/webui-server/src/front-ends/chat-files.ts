import { attachmentIdOf } from '@switchboard/events';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import { WebuiServerError } from '../errors/webui-server-error.js';

/** A file part of a chat message: what `useChat`'s `sendMessage({ files })` sends. */
export interface ChatFile {
  url: string;
  mediaType: string;
  filename?: string;
}

/** `…/attachments/<id>`: a URL this server gave out for an upload. */
const SERVED_ATTACHMENT = /\/attachments\/([0-9a-f]{64})$/;
const DATA_URL = /^data:([^,]*?)(;base64)?,(.*)$/s;

/**
 * The attachment ids of a chat message's files, so the run's events carry
 * `attachment:<id>` references instead of the bytes. A file already in the
 * store is named by `attachment:<id>` or the URL upload answered
 * (`/api/attachments/<id>`); a data URL (what `useChat` makes of a
 * `FileList`) is stored first, with the upload's checks (type by its bytes,
 * `attachmentLimit`). Any other URL is `400` (upload it first); without a
 * store, `503 WEBUI_NO_ATTACHMENTS`.
 */
export async function storeChatFiles(
  files: readonly ChatFile[],
  store: AttachmentStore | undefined,
  maxBytes: number,
): Promise<string[]> {
  if (files.length === 0) return [];
  if (!store) {
    throw new WebuiServerError({
      code: 'WEBUI_NO_ATTACHMENTS',
      message: 'This server takes no files: attachments are not configured.',
      hint: 'Start the server with attachmentsDir, or send text only.',
    });
  }
  const ids: string[] = [];
  for (const [index, file] of files.entries()) {
    const known = attachmentIdOf(file.url) ?? SERVED_ATTACHMENT.exec(file.url)?.[1];
    if (known !== undefined) {
      ids.push(known);
      continue;
    }
    const data = DATA_URL.exec(file.url);
    if (!data) {
      throw new WebuiServerError({
        code: 'WEBUI_INVALID_REQUEST',
        message: `Invalid request: file ${index + 1} is neither a data URL nor an attachment of this server.`,
        hint: 'Send files as data URLs (useChat does), or upload them with POST /api/attachments.',
      });
    }
    const bytes = data[2]
      ? Buffer.from(data[3]!, 'base64')
      : Buffer.from(decodeURIComponent(data[3]!));
    if (bytes.length > maxBytes) {
      throw new WebuiServerError({
        code: 'WEBUI_BODY_TOO_LARGE',
        message: `File ${index + 1} is larger than ${maxBytes} bytes.`,
        hint: 'Send a smaller file, or raise attachmentLimit.',
      });
    }
    const meta = await store.save([bytes], {
      mediaType: file.mediaType,
      ...(file.filename === undefined ? {} : { filename: file.filename }),
    });
    ids.push(meta.id);
  }
  return ids;
}
