import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestChat, sessionTransport } from '../test-helpers/chat-client.js';
import {
  JSON_HEADERS,
  runEnded,
  startTestServer,
  storedEvents,
  waitForEvent,
} from '../test-helpers/test-server.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
const ascii = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));
const SAMPLES: Array<[string, Uint8Array, string]> = [
  ['photo.jpg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70]), 'image/jpeg'],
  ['anim.gif', ascii('GIF89a\x01\x00\x01\x00'), 'image/gif'],
  ['img.webp', ascii('RIFF\x1a\x00\x00\x00WEBPVP8 '), 'image/webp'],
  ['paper.pdf', ascii('%PDF-1.7\n%âãÏÓ\n'), 'application/pdf'],
  ['notes.md', ascii('# Notes\n'), 'text/markdown'],
  ['data.json', ascii('{"a":1}'), 'application/json'],
  ['readme', ascii('plain words'), 'text/plain'],
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function attachmentsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'webui-attachments-'));
  dirs.push(dir);
  return dir;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Uploads like a browser form: multipart/form-data with one file. */
async function upload(
  base: string,
  file: { bytes: Uint8Array; name: string; type?: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: file.type ?? '' }), file.name);
  return fetch(`${base}/api/attachments`, { method: 'POST', body: form, headers });
}

/** Files left in the store (temporary uploads included). */
function storedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

describe('POST /api/attachments and GET /api/attachments/:id', () => {
  it('stores a file under its sha256, by content, and serves it back with its type and nosniff', async () => {
    const dir = attachmentsDir();
    await using t = await startTestServer([], { server: { attachmentsDir: dir } });
    const base = await t.server.listen();
    const response = await upload(base, { bytes: PNG, name: 'pixel.png', type: 'image/png' });
    expect(response.status).toBe(201);
    const id = sha256(PNG);
    expect(await response.json()).toEqual({
      id,
      mediaType: 'image/png',
      size: PNG.length,
      filename: 'pixel.png',
      url: `/api/attachments/${id}`,
    });
    expect(readFileSync(path.join(dir, id.slice(0, 2), id))).toEqual(Buffer.from(PNG));

    const served = await fetch(`${base}/api/attachments/${id}`);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(served.headers.get('content-disposition')).toBe('inline; filename="pixel.png"');

    // The bytes decide: the same file as "program.exe" is the same PNG, stored once.
    const again = await upload(base, {
      bytes: PNG,
      name: 'program.exe',
      type: 'application/octet-stream',
    });
    expect(await again.json()).toMatchObject({ id, mediaType: 'image/png', filename: 'pixel.png' });
    expect(storedFiles(dir)).toEqual([id, `${id}.json`]);
    const config = await fetch(`${base}/api/config`);
    expect(((await config.json()) as { features: object }).features).toMatchObject({
      attachments: true,
    });
  });

  it('accepts JPEG, GIF, WebP, PDF and UTF-8 text (typed by extension or the declared text type)', async () => {
    await using t = await startTestServer([], { server: { attachmentsDir: attachmentsDir() } });
    const base = await t.server.listen();
    for (const [name, bytes, mediaType] of SAMPLES) {
      const response = await upload(base, { bytes, name, type: 'application/octet-stream' });
      expect(response.status, name).toBe(201);
      expect(((await response.json()) as { mediaType: string }).mediaType, name).toBe(mediaType);
      const served = await fetch(`${base}/api/attachments/${sha256(bytes)}`);
      expect(served.headers.get('content-type'), name).toBe(
        mediaType.startsWith('image/') || mediaType === 'application/pdf'
          ? mediaType
          : `${mediaType}; charset=utf-8`,
      );
    }
    const declared = await upload(base, { bytes: ascii('# hi'), name: 'x', type: 'text/markdown' });
    expect(((await declared.json()) as { mediaType: string }).mediaType).toBe('text/markdown');
  });

  it('refuses other types by their bytes (415 WEBUI_UNSUPPORTED_MEDIA), empty files (400) and files over the limit (413), leaving nothing behind', async () => {
    const dir = attachmentsDir();
    await using t = await startTestServer([], {
      server: { attachmentsDir: dir, attachmentLimit: 1000 },
    });
    const base = await t.server.listen();
    for (const [name, bytes, type] of [
      ['archive.zip', ascii('PK\x03\x04\x14\x00'), 'application/zip'],
      ['fake.png', ascii('MZ\x90\x00'), 'image/png'],
      ['broken.txt', Uint8Array.from([0x68, 0xc3, 0x28]), 'text/plain'],
      ['nul.txt', ascii('a\x00b'), 'text/plain'],
    ] as const) {
      const response = await upload(base, { bytes, name, type });
      expect(response.status, name).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code, name).toBe(
        'WEBUI_UNSUPPORTED_MEDIA',
      );
    }
    const empty = await upload(base, { bytes: new Uint8Array(0), name: 'empty.txt' });
    expect(empty.status).toBe(400);
    const large = await upload(base, { bytes: new Uint8Array(5000).fill(97), name: 'big.txt' });
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe(
      'WEBUI_BODY_TOO_LARGE',
    );
    expect(storedFiles(dir)).toEqual([]);
  });

  it('ids are 64 hex digits or 400 (no path escapes the store); an unknown id is 404', async () => {
    await using t = await startTestServer([], { server: { attachmentsDir: attachmentsDir() } });
    const app = t.server.app;
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..', 'A'.repeat(64), `${'a'.repeat(63)}/`]) {
      const response = await app.inject({ url: `/api/attachments/${id}` });
      expect([400, 404], id).toContain(response.statusCode);
      if (response.statusCode === 400)
        expect(response.json().error.message, id).toContain('params.id');
    }
    const traversal = await app.inject({ url: '/api/attachments/..%2F..%2Fetc%2Fpasswd' });
    expect(traversal.statusCode).toBe(400);
    const unknown = await app.inject({ url: `/api/attachments/${'a'.repeat(64)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('WEBUI_NOT_FOUND');
  });

  it('takes multipart only (415), is off without attachmentsDir (503), rate-limited as uploads (429), behind the Origin and token checks', async () => {
    await using off = await startTestServer([]);
    const offBase = await off.server.listen();
    const disabled = await upload(offBase, { bytes: PNG, name: 'a.png' });
    expect(disabled.status).toBe(503);
    expect(((await disabled.json()) as { error: { code: string } }).error.code).toBe(
      'WEBUI_NO_ATTACHMENTS',
    );
    const token = 'attachments-token-0123456789';
    await using t = await startTestServer([], {
      server: {
        attachmentsDir: attachmentsDir(),
        token,
        rateLimit: { uploads: { max: 2, timeWindowMs: 60_000 } },
      },
    });
    const base = await t.server.listen();
    const auth = { authorization: `Bearer ${token}` };
    expect((await upload(base, { bytes: PNG, name: 'a.png' })).status).toBe(401);
    const foreign = await upload(
      base,
      { bytes: PNG, name: 'a.png' },
      {
        ...auth,
        origin: 'https://evil.example',
      },
    );
    expect(foreign.status).toBe(403);
    const json = await fetch(`${base}/api/attachments`, {
      method: 'POST',
      headers: { ...auth, ...JSON_HEADERS },
      body: '{}',
    });
    expect(json.status).toBe(415);
    expect((await upload(base, { bytes: PNG, name: 'a.png' }, auth)).status).toBe(201);
    const limited = await upload(base, { bytes: PNG, name: 'a.png' }, auth);
    expect(limited.status).toBe(429);
  });
});

describe('attachments in runs', () => {
  async function uploaded(base: string, bytes: Uint8Array, name: string) {
    const response = await upload(base, { bytes, name });
    return ((await response.json()) as { id: string }).id;
  }

  it('POST …/runs {attachments: [id]}: the model gets the image, the events only a reference, and later turns still send it', async () => {
    await using t = await startTestServer([{ text: 'A pixel.' }, { text: 'Still a pixel.' }], {
      server: { attachmentsDir: attachmentsDir() },
    });
    const base = await t.server.listen();
    const image = await uploaded(base, PNG, 'pixel.png');
    const notes = await uploaded(base, ascii('# Notes\nbuy milk'), 'notes.md');
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const post = (payload: object) =>
      t.server.app.inject({
        method: 'POST',
        url: `/api/sessions/${id}/runs`,
        headers: JSON_HEADERS,
        payload,
      });
    const first = await post({ input: 'what is this?', attachments: [image, notes] });
    expect(first.statusCode).toBe(202);
    await waitForEvent(t.log, id, runEnded(first.json().runId));

    const base64 = Buffer.from(PNG).toString('base64');
    const sent = JSON.stringify(t.model.requests[0]!.body);
    expect(sent).toContain(`data:image/png;base64,${base64}`);
    expect(sent).toContain('buy milk');
    const message = (await storedEvents(t.log, id)).find((event) => event.type === 'user.message');
    expect(message?.data).toMatchObject({
      parts: [
        { type: 'text', text: 'what is this?' },
        { type: 'image', mediaType: 'image/png', url: `attachment:${image}` },
        {
          type: 'file',
          mediaType: 'text/markdown',
          url: `attachment:${notes}`,
          filename: 'notes.md',
        },
      ],
    });
    expect(JSON.stringify(await storedEvents(t.log, id))).not.toContain(base64);

    const second = await post({ input: 'and again?' });
    await waitForEvent(t.log, id, runEnded(second.json().runId));
    expect(JSON.stringify(t.model.requests[1]!.body)).toContain(base64);

    const unknown = await post({ input: 'x', attachments: ['b'.repeat(64)] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('body.attachments.0');
  });

  it("useChat's files (data URLs) are stored as attachments: the run's events reference them", async () => {
    const dir = attachmentsDir();
    await using t = await startTestServer([{ text: 'Nice pixel.' }], {
      server: { attachmentsDir: dir },
    });
    const base = await t.server.listen();
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const chat = new TestChat({ id, transport: sessionTransport(base, id) });
    const url = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;
    await chat.sendMessage({
      text: 'look',
      files: [{ type: 'file', mediaType: 'image/png', filename: 'pixel.png', url }],
    });
    expect(chat.error).toBeUndefined();
    const attachment = sha256(PNG);
    expect(storedFiles(dir)).toEqual([attachment, `${attachment}.json`]);
    const message = (await storedEvents(t.log, id)).find((event) => event.type === 'user.message');
    expect(message?.data).toMatchObject({
      parts: [
        { type: 'text', text: 'look' },
        { type: 'image', url: `attachment:${attachment}` },
      ],
    });
    expect(JSON.stringify(t.model.requests[0]!.body)).toContain(url);
  });
});
