/**
 * The acceptance test of "keys never appear in errors, events or logs": 17
 * kinds of secret, injected in 5 places of one turn, must reach none of the
 * bus, a JSONL file, the SQLite event log, the SQLite session store or the
 * Langfuse export. It lives here because only here can it see all five.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineTool, SqliteSessionStore } from '@switchboard/agent-core';
import { EventBus, type AnyEvent } from '@switchboard/events';
import { JsonlSink, SqliteEventLog } from '@switchboard/events/node';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { startTracingHarness } from './test-helpers/tracing-harness.js';

const PEM_BODY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** The text that must never survive, by kind. */
const SECRETS = {
  configuredKey: 'cfg-key-0123456789abcdef', // matches no pattern: only the key list catches it
  openai: 'sk-proj-Abc123Def456Ghi789',
  anthropic: 'sk-ant-api03-Zyx987Wvu654',
  awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsTemporaryKeyId: 'ASIAY34FZKBOKMUTVV7A',
  awsSecretKey: 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
  githubClassic: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  githubOauth: 'gho_26C7e42F292c6912E7710c838347Ae178B4b',
  githubFineGrained: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
  slack: 'xoxb-123456789012-abcdefghijkl',
  jwt: JWT,
  pemPrivateKey: PEM_BODY,
  password: 'hunter2-Canary',
  urlApiKey: 'q8v7w6x5y4z3Canary',
  envValue: 'env-value-Canary-42',
  cookie: 'sessid-Canary-777',
  bearer: 'bearerCanary0123456789',
};

/** Every secret in the context it usually comes in, tagged with where it was put. */
function leak(place: string): string {
  return [
    `[${place}]`,
    SECRETS.configuredKey,
    SECRETS.openai,
    SECRETS.anthropic,
    SECRETS.awsAccessKeyId,
    SECRETS.awsTemporaryKeyId,
    `aws_secret_access_key=${SECRETS.awsSecretKey}`,
    SECRETS.githubClassic,
    SECRETS.githubOauth,
    SECRETS.githubFineGrained,
    SECRETS.slack,
    SECRETS.jwt,
    `\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`,
    `password=${SECRETS.password}`,
    `https://api.example.com/v1?api_key=${SECRETS.urlApiKey}&page=2`,
    `OPENAI_API_KEY=${SECRETS.envValue}`,
    `\nCookie: sid=${SECRETS.cookie}\n`,
    `Authorization: Bearer ${SECRETS.bearer}`,
  ].join(' ');
}

function expectNoSecret(where: string, text: string): void {
  for (const [kind, secret] of Object.entries(SECRETS))
    expect(text.includes(secret), `${kind} leaked into ${where}`).toBe(false);
}

/** Every file of a directory as text (the raw bytes of SQLite and JSONL files included). */
async function readAll(directory: string, prefix: string): Promise<string> {
  const names = (await readdir(directory)).filter((name) => name.startsWith(prefix));
  expect(names.length).toBeGreaterThan(0);
  const contents = await Promise.all(names.map((name) => readFile(path.join(directory, name))));
  return contents.map((content) => content.toString('latin1')).join('\n');
}

describe('secrets canary', () => {
  it('17 secret kinds in user text, tool args, tool result, tool error and a provider 401 reach no sink', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'switchboard-canary-'));
    try {
      const jsonl = await JsonlSink.open(path.join(directory, 'events'));
      const log = new SqliteEventLog({ path: path.join(directory, 'log.db') });
      const store = new SqliteSessionStore({ path: path.join(directory, 'sessions.db') });
      const bus = new EventBus({ log, sinks: [jsonl] });
      const seen: AnyEvent[] = [];
      bus.on('*', (event) => seen.push(event));
      const received: unknown[] = [];
      const note = defineTool({
        description: 'Stores a note',
        inputSchema: z.object({ text: z.string(), OPENAI_API_KEY: z.string() }),
        execute: (input) => {
          received.push(input);
          return { stored: leak('tool result'), cookie: SECRETS.cookie };
        },
      });
      const broken = defineTool({
        description: 'Always fails',
        inputSchema: z.object({}),
        execute: () => {
          throw new Error(leak('tool error'));
        },
      });
      await using h = await startTracingHarness(
        [
          {
            toolCalls: [
              {
                id: 'c1',
                name: 'note',
                args: { text: leak('tool args'), OPENAI_API_KEY: SECRETS.envValue },
              },
              { id: 'c2', name: 'broken', args: {} },
            ],
          },
          {
            error: {
              status: 401,
              body: { error: { message: leak('provider error'), code: 'invalid_api_key' } },
            },
          },
        ],
        {
          agent: {
            bus,
            store,
            tools: { note, broken },
            providers: { openaiCompatible: { apiKey: SECRETS.configuredKey } },
            redact: { userText: true },
          },
        },
      );
      const session = await h.agent.createSession();
      const result = await session.run(leak('user text')).result;
      await bus.flush();
      await h.plugin.flush();

      // The turn did what the test needs: both tools ran, the provider refused.
      expect(result.error?.code).toBe('CORE_PROVIDER_AUTH');
      expect(seen.filter((event) => event.type === 'tool_call.completed')).toHaveLength(2);
      expect(received).toHaveLength(1); // the tool itself got the real arguments
      expect(JSON.stringify(received)).toContain(SECRETS.envValue);

      expectNoSecret('the bus', JSON.stringify(seen));
      expect(JSON.stringify(seen)).toContain('[REDACTED]');
      expectNoSecret('the run result', JSON.stringify(result));
      expectNoSecret('the Langfuse export', JSON.stringify(h.spans()));
      expect(h.spans().length).toBeGreaterThan(0);
      expectNoSecret('the session store (API)', JSON.stringify(await store.load(session.id)));
      expectNoSecret('the event log (API)', JSON.stringify(log.read(session.id)));
      await jsonl.close();
      log.close();
      await store.close();
      const jsonlText = await readAll(directory, 'events');
      expect(jsonlText).toContain('run.failed');
      expectNoSecret('the JSONL file', jsonlText);
      expectNoSecret('the SQLite event log file', await readAll(directory, 'log.db'));
      expectNoSecret('the SQLite session store file', await readAll(directory, 'sessions.db'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
