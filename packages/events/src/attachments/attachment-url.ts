/**
 * Prefix of a media part's `url` that names an attachment the application
 * keeps (e.g. the web server's content-addressed store) instead of a place
 * on the web: `attachment:<id>`. Events and transcripts carry the reference,
 * never the bytes; whoever sends the part to a model loads it by id, and a
 * UI maps it to where the application serves it.
 */
export const ATTACHMENT_URL_PREFIX = 'attachment:';

/** `attachment:<id>` for an attachment id. */
export function attachmentUrl(id: string): string {
  return `${ATTACHMENT_URL_PREFIX}${id}`;
}

/** The attachment id an `attachment:<id>` URL names; undefined for any other value. */
export function attachmentIdOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || !url.startsWith(ATTACHMENT_URL_PREFIX)) return undefined;
  const id = url.slice(ATTACHMENT_URL_PREFIX.length);
  return id === '' ? undefined : id;
}
