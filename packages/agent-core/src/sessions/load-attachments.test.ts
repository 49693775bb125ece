import { attachmentUrl, type AnyEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { startTestAgent } from '../test-helpers/test-agent.js';
import {
  loadAttachments,
  missingAttachmentText,
  type AttachmentLoader,
} from './load-attachments.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const base64 = Buffer.from(PNG).toString('base64');

describe('attachments (attachment:<id> parts)', () => {
  it('the model gets the bytes; the event and the transcript keep the reference', async () => {
    await using t = await startTestAgent([{ text: 'A tiny image.' }, { text: 'Still there.' }]);
    const events: AnyEvent[] = [];
    t.agent.bus.on('*', (event) => void events.push(event));
    const loads: string[] = [];
    const attachments: AttachmentLoader = (id) => {
      loads.push(id);
      return Promise.resolve(id === 'img1' ? { data: PNG, mediaType: 'image/png' } : undefined);
    };
    const session = await t.agent.createSession();
    const part = { type: 'image' as const, mediaType: 'image/png', url: attachmentUrl('img1') };
    const result = await session.run(
      { parts: [{ type: 'text', text: 'what is this?' }, part] },
      { attachments },
    ).result;
    expect(result.text).toBe('A tiny image.');

    const sent = JSON.stringify(t.server.requests[0]!.body);
    expect(sent).toContain(`data:image/png;base64,${base64}`);
    expect(sent).not.toContain('attachment:');
    const message = events.find((event) => event.type === 'user.message');
    expect(message?.data).toMatchObject({ parts: [{ type: 'text' }, part] });
    expect(JSON.stringify(events)).not.toContain(base64);
    expect(JSON.stringify(session.snapshot())).not.toContain(base64);

    // A later run without a loader: the model is told the image is not available.
    await session.run('and now?').result;
    const later = JSON.stringify(t.server.requests[1]!.body);
    expect(later).toContain(missingAttachmentText('img1'));
    expect(later).not.toContain(base64);
    expect(loads).toEqual(['img1']);
  });

  it('a message with an attachment and no loader is refused before anything changes (CORE_UNSUPPORTED_INPUT)', async () => {
    await using t = await startTestAgent([]);
    const session = await t.agent.createSession();
    const part = { type: 'file' as const, mediaType: 'application/pdf', url: attachmentUrl('doc') };
    expect(() => session.run({ parts: [part] })).toThrow(
      expect.objectContaining({ code: 'CORE_UNSUPPORTED_INPUT' }),
    );
    expect(session.transcript).toEqual([]);
  });

  it('loads each id once per prompt; a loader that fails or finds nothing leaves a note', async () => {
    let calls = 0;
    const prompt = await loadAttachments(
      [
        {
          role: 'user',
          content: [
            { type: 'file', mediaType: 'image/png', data: attachmentUrl('a') },
            { type: 'file', mediaType: 'image/png', data: attachmentUrl('a') },
            { type: 'file', mediaType: 'image/png', data: attachmentUrl('gone') },
            { type: 'file', mediaType: 'image/png', data: 'QUJD' },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: attachmentUrl('a') }] },
      ],
      (id) => {
        calls += 1;
        if (id === 'gone') return Promise.reject(new Error('ENOENT'));
        return Promise.resolve({ data: PNG, mediaType: 'image/png' });
      },
    );
    expect(calls).toBe(2);
    expect(prompt[0]).toEqual({
      role: 'user',
      content: [
        { type: 'file', mediaType: 'image/png', data: PNG },
        { type: 'file', mediaType: 'image/png', data: PNG },
        { type: 'text', text: missingAttachmentText('gone') },
        { type: 'file', mediaType: 'image/png', data: 'QUJD' },
      ],
    });
    expect(prompt[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'attachment:a' }],
    });
  });

  it('a conversation without attachments is passed on as it is (no copy per model call)', async () => {
    const prompt = [
      { role: 'system' as const, content: 'be brief' },
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'hi' },
          { type: 'file' as const, mediaType: 'image/png', data: 'QUJD' },
        ],
      },
    ];
    expect(await loadAttachments(prompt, undefined)).toBe(prompt);
  });

  it('a text file reaches the model as text', async () => {
    const prompt = await loadAttachments(
      [
        {
          role: 'user',
          content: [
            {
              type: 'file',
              mediaType: 'text/markdown',
              filename: 'notes.md',
              data: attachmentUrl('t'),
            },
          ],
        },
      ],
      () =>
        Promise.resolve({
          data: new TextEncoder().encode('# Notes\nhello'),
          mediaType: 'text/markdown',
        }),
    );
    expect(prompt[0]!.content).toEqual([
      { type: 'text', text: 'Attached file notes.md (text/markdown):\n# Notes\nhello' },
    ]);
  });
});
