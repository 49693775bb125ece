import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exportTraceServiceRequest } from './otlp-trace-schema.js';
import { LANGFUSE_OTEL_TRACES_PATH, startLangfuseReceiver } from './start-langfuse-receiver.js';

const auth = `Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`;
const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

const tree = (ids: (hex: string) => unknown, nanos: (n: string) => unknown) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [
        {
          scope: { name: 'langfuse-sdk', version: '5.11.1' },
          spans: [
            {
              traceId: ids(traceId),
              spanId: ids(spanId),
              name: 'Agent — Turn 1',
              kind: 1,
              startTimeUnixNano: nanos('1764500000000000000'),
              endTimeUnixNano: nanos('1764500000250000000'),
              attributes: [
                { key: 'langfuse.observation.type', value: { stringValue: 'agent' } },
                { key: 'turn', value: { intValue: 3 } },
                { key: 'ok', value: { boolValue: true } },
                {
                  key: 'langfuse.trace.tags',
                  value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } },
                },
              ],
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ],
});

const expected = {
  traceId,
  spanId,
  parentSpanId: null,
  name: 'Agent — Turn 1',
  startTime: 1764500000000,
  endTime: 1764500000250,
  status: { code: 2, message: 'boom' },
  scope: { name: 'langfuse-sdk', version: '5.11.1' },
  resource: { 'service.name': 'svc' },
  attributes: {
    'langfuse.observation.type': 'agent',
    turn: 3,
    ok: true,
    'langfuse.trace.tags': ['a', 'b'],
  },
};

const post = (url: string, body: Buffer | string, headers: Record<string, string>) =>
  fetch(`${url}${LANGFUSE_OTEL_TRACES_PATH}`, { method: 'POST', body, headers });

describe('startLangfuseReceiver', () => {
  it('decodes OTLP/JSON and OTLP/protobuf (gzip too) into the same flat spans', async () => {
    await using receiver = await startLangfuseReceiver();
    const json = JSON.stringify(
      tree(
        (hex) => hex,
        (n) => n,
      ),
    );
    expect(
      (
        await post(receiver.baseUrl, json, {
          authorization: auth,
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(200);
    const message = exportTraceServiceRequest.fromObject(
      tree(
        (hex) => Buffer.from(hex, 'hex'),
        (n) => n,
      ),
    );
    const proto = Buffer.from(exportTraceServiceRequest.encode(message).finish());
    const headers = { authorization: auth, 'content-type': 'application/x-protobuf' };
    expect((await post(receiver.baseUrl, proto, headers)).status).toBe(200);
    expect(
      (await post(receiver.baseUrl, gzipSync(proto), { ...headers, 'content-encoding': 'gzip' }))
        .status,
    ).toBe(200);
    const spans = await receiver.waitForSpans((all) => all.length === 3);
    for (const span of spans) expect(span).toMatchObject(expected);
    expect(receiver.requests.map((request) => request.headers.authorization)).toEqual([
      '***',
      '***',
      '***',
    ]);
  });

  it('answers 401 to wrong credentials, 400 to other content types, scripted failures on demand', async () => {
    await using receiver = await startLangfuseReceiver({ publicKey: 'pk-1', secretKey: 'sk-1' });
    expect(
      (
        await post(receiver.baseUrl, '{}', {
          authorization: auth,
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(401);
    const good = `Basic ${Buffer.from('pk-1:sk-1').toString('base64')}`;
    expect(
      (await post(receiver.baseUrl, 'x', { authorization: good, 'content-type': 'text/plain' }))
        .status,
    ).toBe(400);
    receiver.setResponder(() => ({ status: 503, delayMs: 30 }));
    const started = Date.now();
    const response = await post(receiver.baseUrl, '{}', {
      authorization: good,
      'content-type': 'application/json',
    });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(receiver.spans()).toEqual([]);
    await expect(receiver.waitForSpans((all) => all.length > 0, 50)).rejects.toThrow('timed out');
  });
});
