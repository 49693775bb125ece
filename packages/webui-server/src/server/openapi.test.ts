import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestServer } from '../test-helpers/test-server.js';
import { VERSION } from '../version.js';
import type { WebuiPlugin } from './webui-plugin.js';
import { webuiServerPlugin } from './webui-server-plugin.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: object }>;
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
  security?: Array<Record<string, string[]>>;
}

/** `/api/sessions/:id` as OpenAPI writes it: `/api/sessions/{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Every `$ref` in the document. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, found);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refs(inner, found);
    }
  return found;
}

/** OpenAPI 3's structural rules, as far as a reader of the document depends on them. */
function expectValidOpenApi3(doc: Document): void {
  expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
  expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  expect(typeof doc.paths).toBe('object');
  expect(typeof doc.components).toBe('object');
  for (const [route, item] of Object.entries(doc.paths)) {
    expect(route, route).toMatch(/^\//);
    const templated = [...route.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const method of Object.keys(item)) {
      expect(METHODS, `${route} ${method}`).toContain(method);
      const operation = item[method as (typeof METHODS)[number]]!;
      expect(Object.keys(operation.responses).length, `${route} ${method}`).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(status, `${route} ${method}`).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
        expect(typeof response.description, `${route} ${method} ${status}`).toBe('string');
      }
      // Every path template has a required path parameter, and only those.
      const pathParameters = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect(pathParameters.map((p) => p.name).sort(), `${route} ${method}`).toEqual(
        [...templated].sort(),
      );
      for (const parameter of operation.parameters ?? []) {
        expect(['path', 'query', 'header', 'cookie']).toContain(parameter.in);
        if (parameter.in === 'path') expect(parameter.required).toBe(true);
      }
      for (const content of Object.values(operation.requestBody?.content ?? {}))
        expect(typeof content.schema).toBe('object');
    }
  }
  // Every reference points into the document.
  const json = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  for (const ref of refs(json)) {
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], json);
    expect(target, ref).toBeDefined();
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/openapi.json', () => {
  it('documents every route registered under /api (an injected plugin’s included) and is valid OpenAPI 3', async () => {
    await using t = await startTestServer([]);
    const dir = mkdtempSync(path.join(tmpdir(), 'webui-openapi-'));
    dirs.push(dir);
    const registered: Array<{ method: string; url: string }> = [];
    const voice: WebuiPlugin = {
      name: 'voice',
      register: async (api) => {
        api.post(
          '/voice/sessions',
          { schema: { body: z.object({ language: z.string() }) } },
          () => ({ ok: true }),
        );
        return Promise.resolve();
      },
    };
    const app = Fastify({ logger: false });
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    await app.register(webuiServerPlugin, {
      prefix: '/api',
      agent: t.agent,
      attachmentsDir: dir,
      plugins: [voice],
    });
    app.get('/outside', () => 'not the API');
    await app.ready();
    try {
      const response = await app.inject({ url: '/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      const doc = response.json<Document>();
      expectValidOpenApi3(doc);
      expect(doc.info).toMatchObject({ title: 'Switchboard web API', version: VERSION });

      const api = registered.filter(
        // HEAD routes are Fastify's automatic twins of GETs; OPTIONS /api/* is the CORS preflight.
        ({ method, url }) => url.startsWith('/api') && method !== 'HEAD' && method !== 'OPTIONS',
      );
      expect(api.length).toBeGreaterThanOrEqual(19);
      for (const { method, url } of api) {
        const item = doc.paths[openApiPath(url)];
        expect(item?.[method.toLowerCase() as 'get'], `${method} ${url}`).toBeDefined();
      }
      const documented = Object.entries(doc.paths).flatMap(([route, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${route}`),
      );
      expect(documented.sort()).toEqual(
        api.map(({ method, url }) => `${method} ${openApiPath(url)}`).sort(),
      );
      expect(doc.paths['/outside']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('is generated from the route schemas: bodies, parameters, content types, errors, the bearer scheme', async () => {
    await using t = await startTestServer([], {
      server: { token: 'openapi-token-0123456789' },
    });
    const unauthorised = await t.server.app.inject({ url: '/api/openapi.json' });
    expect(unauthorised.statusCode).toBe(401);
    const doc = (
      await t.server.app.inject({
        url: '/api/openapi.json',
        headers: { authorization: 'Bearer openapi-token-0123456789' },
      })
    ).json<Document>();
    expectValidOpenApi3(doc);
    expect(doc.components.securitySchemes?.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);

    const run = doc.paths['/api/sessions/{id}/runs']!.post!;
    const runBody = run.requestBody!.content['application/json']!.schema as {
      required: string[];
      properties: Record<string, object>;
    };
    expect(runBody.required).toEqual(['input']);
    expect(Object.keys(runBody.properties)).toEqual(['input', 'attachments', 'messageId']);
    expect(Object.keys(run.responses)).toEqual(['202', 'default']);
    const error = run.responses.default!.content!['application/json'] as {
      schema: { required: string[] };
    };
    expect(error.schema.required).toEqual(['error']);

    const list = doc.paths['/api/sessions']!.get!;
    expect(list.parameters?.map((p) => [p.name, p.in])).toEqual([
      ['limit', 'query'],
      ['cursor', 'query'],
      ['q', 'query'],
    ]);
    expect(Object.keys(doc.paths['/api/sessions/import']!.post!.requestBody!.content)).toEqual([
      'application/x-ndjson',
      'application/jsonl',
      'application/x-jsonlines',
    ]);
    expect(Object.keys(doc.paths['/api/attachments']!.post!.requestBody!.content)).toEqual([
      'multipart/form-data',
    ]);
    const attachmentId = doc.paths['/api/attachments/{id}']!.get!.parameters![0]!.schema;
    expect(attachmentId).toMatchObject({ pattern: '^[0-9a-f]{64}$' });
    expect(Object.keys(doc.paths['/api/sessions/{id}']!.delete!.responses)).toEqual([
      '204',
      'default',
    ]);
  });
});
