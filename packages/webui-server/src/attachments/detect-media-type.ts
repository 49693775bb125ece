/** Text types an attachment may be (checked by UTF-8 validity, named by the upload or its extension). */
export const TEXT_MEDIA_TYPES = ['text/plain', 'text/markdown', 'application/json'] as const;

/** Bytes of the file's start needed to recognise every binary type below. */
export const SNIFF_BYTES = 12;

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** Binary types accepted, each with its signature (`undefined` matches any byte). */
const SIGNATURES: ReadonlyArray<{ mediaType: string; bytes: ReadonlyArray<number | undefined> }> = [
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/gif', bytes: ascii('GIF87a') },
  { mediaType: 'image/gif', bytes: ascii('GIF89a') },
  {
    mediaType: 'image/webp',
    bytes: [...ascii('RIFF'), undefined, undefined, undefined, undefined, ...ascii('WEBP')],
  },
  { mediaType: 'application/pdf', bytes: ascii('%PDF-') },
];

/**
 * The binary type a file's first bytes prove (PNG, JPEG, GIF, WebP, PDF),
 * whatever the client claimed; undefined for anything else.
 */
export function sniffBinaryType(head: Uint8Array): string | undefined {
  return SIGNATURES.find(
    ({ bytes }) =>
      head.length >= bytes.length &&
      bytes.every((byte, index) => byte === undefined || head[index] === byte),
  )?.mediaType;
}

/**
 * The type of a file that is valid UTF-8 text: the one the client declared
 * when it is a text type accepted here, else the file name's extension
 * (`.md`, `.markdown`, `.json`), else `text/plain`.
 */
export function textMediaType(declared: string | undefined, filename: string | undefined): string {
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if ((TEXT_MEDIA_TYPES as readonly string[]).includes(type)) return type;
  const extension = /\.([a-z0-9]+)$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (extension === 'md' || extension === 'markdown') return 'text/markdown';
  if (extension === 'json') return 'application/json';
  return 'text/plain';
}

/**
 * Checks text as it streams: valid UTF-8 with no NUL byte (a binary file
 * that happens to decode is not text).
 */
export class TextCheck {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #text = true;

  push(chunk: Uint8Array): void {
    if (!this.#text) return;
    try {
      this.#decoder.decode(chunk, { stream: true });
      if (chunk.includes(0)) this.#text = false;
    } catch {
      this.#text = false;
    }
  }

  /** Whether everything pushed was text (a sequence cut at the end is not). */
  end(): boolean {
    if (!this.#text) return false;
    try {
      this.#decoder.decode();
      return true;
    } catch {
      return false;
    }
  }
}
