import { describe, expect, it } from 'vitest';
import { ATTACHMENT_URL_PREFIX, attachmentIdOf, attachmentUrl } from './attachment-url.js';
import { knownContentPartSchema } from '../schema/shared-schemas.js';

describe('attachment URLs', () => {
  it('round-trip an id, and are a valid media part url', () => {
    const url = attachmentUrl('ab12');
    expect(url).toBe(`${ATTACHMENT_URL_PREFIX}ab12`);
    expect(attachmentIdOf(url)).toBe('ab12');
    const part = { type: 'image', mediaType: 'image/png', url };
    expect(knownContentPartSchema.parse(part)).toEqual(part);
  });

  it('name nothing for other values', () => {
    for (const value of [
      'https://x.test/a.png',
      'data:image/png;base64,AA',
      'attachment:',
      42,
      undefined,
    ])
      expect(attachmentIdOf(value)).toBeUndefined();
  });
});
