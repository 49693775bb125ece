import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { z } from 'zod';
import { WebuiServerError } from '../errors/webui-server-error.js';
import { SNIFF_BYTES, TextCheck, sniffBinaryType, textMediaType } from './detect-media-type.js';

/** An attachment id: the SHA-256 of its bytes, lowercase hex. Nothing else can name a file. */
export const ATTACHMENT_ID = /^[0-9a-f]{64}$/;

/** What is kept next to an attachment's bytes. */
const attachmentMetaSchema = z.object({
  id: z.string().regex(ATTACHMENT_ID),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  filename: z.string().optional(),
  createdAt: z.number(),
});
export type AttachmentMeta = z.output<typeof attachmentMetaSchema>;

/** What an upload says about itself (only hints: the bytes decide the type). */
export interface UploadInfo {
  mediaType?: string;
  filename?: string;
}

/**
 * Content-addressed attachment files under `dir`: a file is stored once
 * under the SHA-256 of its bytes (`<dir>/<id[0..2]>/<id>`, its metadata in
 * `<id>.json`), written to a temporary file first and renamed into place,
 * so a reader never sees half a file. Ids are checked against
 * {@link ATTACHMENT_ID} before any path is built: no id reaches outside
 * `dir`. Types are decided by the bytes: PNG, JPEG, GIF, WebP and PDF by
 * their signature, text (plain, Markdown, JSON) by being valid UTF-8;
 * anything else is refused (`415 WEBUI_UNSUPPORTED_MEDIA`).
 */
export class AttachmentStore {
  readonly dir: string;
  readonly #now: () => number;

  constructor(options: { dir: string; now?: () => number }) {
    this.dir = path.resolve(options.dir);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Stores the bytes of `source` (at most `maxBytes`: the caller's stream
   * enforces it and throws past it) and returns the attachment's metadata;
   * the same bytes stored before keep their first metadata. An empty file
   * is `400 WEBUI_INVALID_REQUEST`.
   */
  async save(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    info: UploadInfo = {},
  ): Promise<AttachmentMeta> {
    await mkdir(this.dir, { recursive: true });
    const temporary = path.join(this.dir, `.upload-${randomUUID()}`);
    const hash = createHash('sha256');
    const text = new TextCheck();
    let head = new Uint8Array(0);
    let size = 0;
    const out = createWriteStream(temporary, { flags: 'wx' });
    try {
      for await (const chunk of source) {
        hash.update(chunk);
        text.push(chunk);
        size += chunk.length;
        if (head.length < SNIFF_BYTES)
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'close');
    } catch (error) {
      out.destroy();
      await rm(temporary, { force: true });
      throw error;
    }
    try {
      const mediaType = typeOf({ head, isText: text.end(), size }, info);
      const id = hash.digest('hex');
      const meta: AttachmentMeta = {
        id,
        mediaType,
        size,
        ...(info.filename ? { filename: info.filename.slice(0, 255) } : {}),
        createdAt: this.#now(),
      };
      return await this.#place(temporary, meta);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** An attachment's metadata; undefined for an unknown (or malformed) id. */
  async meta(id: string): Promise<AttachmentMeta | undefined> {
    if (!ATTACHMENT_ID.test(id)) return undefined;
    try {
      const parsed = attachmentMetaSchema.safeParse(
        JSON.parse(await readFile(`${this.#file(id)}.json`, 'utf8')),
      );
      return parsed.success && parsed.data.id === id ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** A stream of an attachment's bytes with its metadata; undefined when it does not exist. */
  async open(id: string): Promise<{ meta: AttachmentMeta; stream: ReadStream } | undefined> {
    const meta = await this.meta(id);
    if (!meta) return undefined;
    return { meta, stream: createReadStream(this.#file(id)) };
  }

  /** An attachment's bytes, for the model (agent-core's `AttachmentLoader`). */
  readonly load = async (
    id: string,
  ): Promise<{ data: Uint8Array; mediaType: string } | undefined> => {
    const meta = await this.meta(id);
    if (!meta) return undefined;
    return { data: await readFile(this.#file(id)), mediaType: meta.mediaType };
  };

  /** Moves a stored upload into place under its id, unless those bytes are there already. */
  async #place(temporary: string, meta: AttachmentMeta): Promise<AttachmentMeta> {
    const file = this.#file(meta.id);
    const existing = await this.meta(meta.id);
    if (existing && (await exists(file))) return existing;
    await mkdir(path.dirname(file), { recursive: true });
    await rename(temporary, file);
    const metaTemporary = `${file}.json.${randomUUID()}`;
    await writeFile(metaTemporary, JSON.stringify(meta));
    await rename(metaTemporary, `${file}.json`);
    return meta;
  }

  #file(id: string): string {
    if (!ATTACHMENT_ID.test(id)) throw new Error(`not an attachment id: ${id.slice(0, 80)}`);
    return path.join(this.dir, id.slice(0, 2), id);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** The type of a stored upload, from its bytes; refused when not accepted. */
function typeOf(
  { head, isText, size }: { head: Uint8Array; isText: boolean; size: number },
  info: UploadInfo,
): string {
  if (size === 0) {
    throw new WebuiServerError({
      code: 'WEBUI_INVALID_REQUEST',
      message: 'Invalid request: the file is empty.',
    });
  }
  const binary = sniffBinaryType(head);
  if (binary) return binary;
  if (isText) return textMediaType(info.mediaType, info.filename);
  throw new WebuiServerError({
    code: 'WEBUI_UNSUPPORTED_MEDIA',
    message: `This file type is not accepted${info.mediaType ? ` (sent as ${info.mediaType.slice(0, 100)})` : ''}.`,
    hint: 'Upload a PNG, JPEG, GIF, WebP or PDF file, or UTF-8 text (plain, Markdown, JSON).',
  });
}
