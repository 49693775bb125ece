import { describe, expect, it } from 'vitest';
import { parseRunRequest } from './run-options.js';

describe('parseRunRequest', () => {
  it('takes a prompt with the defaults: ask for approvals, tools on', () => {
    expect(parseRunRequest('hi', {})).toEqual({
      prompt: 'hi',
      readsStdin: false,
      json: false,
      policy: 'ask',
      answers: [],
      tools: true,
    });
  });

  it('reads "-" as stdin and keeps the flags', () => {
    expect(
      parseRunRequest('-', {
        json: true,
        maxTurns: 3,
        approve: ['never'],
        tools: false,
        model: 'openai:x',
      }),
    ).toEqual({
      readsStdin: true,
      json: true,
      maxTurns: 3,
      policy: 'never',
      answers: [],
      tools: false,
      model: 'openai:x',
    });
  });

  it('tells policies from request ids and collects answers', () => {
    const request = parseRunRequest(undefined, {
      session: 'ses_1',
      approve: ['apr_1', 'always'],
      deny: ['apr_2'],
      reason: 'because',
    });
    expect(request.policy).toBe('always');
    expect(request.answers).toEqual([
      { requestId: 'apr_1', approved: true, reason: 'because' },
      { requestId: 'apr_2', approved: false, reason: 'because' },
    ]);
  });

  it.each([
    [undefined, {}, "missing required argument 'prompt'"],
    ['  ', {}, 'the prompt is empty'],
    ['hi', { approve: ['always', 'never'] }, "option '--approve' takes one policy"],
    [undefined, { approve: ['apr_1'] }, "option '--approve <requestId>' needs --session <id>"],
    [undefined, { deny: ['apr_1'] }, "option '--deny <requestId>' needs --session <id>"],
    ['hi', { session: 's', approve: ['apr_1'] }, 'a prompt cannot be given with --approve'],
    ['hi', { reason: 'x' }, "option '--reason <text>' needs --approve <requestId> or --deny"],
  ])('refuses %j with %j (exit 2)', (prompt, flags, message) => {
    expect(() => parseRunRequest(prompt, flags)).toThrow(
      expect.objectContaining({
        code: 'CLI_USAGE',
        exitCode: 2,
        message: expect.stringContaining(message),
      }),
    );
  });
});
