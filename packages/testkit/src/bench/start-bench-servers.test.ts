import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { startBenchServers } from './start-bench-servers.js';
import { THREE_TOOL_CALLS_ANSWER, THREE_TOOL_CALLS_PROMPT } from './three-tool-calls.js';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startBenchServers (model server and receiver in a child process)', () => {
  it('plays three tool calls then the answer, counts calls and spans, and stops', async () => {
    const servers = await startBenchServers();
    expect(servers.pid).not.toBe(process.pid);
    const model = createOpenAICompatible({ name: 'b', baseURL: servers.modelBaseUrl })('m');
    const user: LanguageModelV3Prompt = [
      { role: 'user', content: [{ type: 'text', text: THREE_TOOL_CALLS_PROMPT }] },
    ];
    const first = await model.doGenerate({ prompt: user });
    const calls = first.content.filter((part) => part.type === 'tool-call');
    expect(calls.map((call) => [call.toolName, call.input])).toEqual([
      ['add', '{"a":1,"b":2}'],
      ['add', '{"a":3,"b":4}'],
      ['add', '{"a":5,"b":6}'],
    ]);
    const second = await model.doGenerate({
      prompt: [
        ...user,
        { role: 'assistant', content: calls },
        {
          role: 'tool',
          content: calls.map((call, index) => ({
            type: 'tool-result' as const,
            toolCallId: call.toolCallId,
            toolName: 'add',
            output: { type: 'json' as const, value: { sum: [3, 7, 11][index]! } },
          })),
        },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: THREE_TOOL_CALLS_ANSWER }]);

    await servers.setScript('short-answer');
    const third = await model.doGenerate({ prompt: user });
    expect(third.content).toEqual([{ type: 'text', text: 'Hello there!' }]);

    const exported = await fetch(`${servers.receiverBaseUrl}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '0af7651916cd43dd8448eb211c80319c',
                    spanId: 'b7ad6b7169203331',
                    name: 'one',
                    startTimeUnixNano: '1',
                    endTimeUnixNano: '2',
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(exported.status).toBe(200);
    expect(await servers.stats()).toEqual({ modelCalls: 3, spans: 1, exports: 1 });

    await servers.close();
    expect(isAlive(servers.pid)).toBe(false);
  });
});
