import { z } from 'zod';
import type { AgentTool } from '../agent-tool.js';
import type { RunState } from '../../loop/run-state.js';

const clarifyInput = z.object({
  question: z.string().min(1).describe('The question, in one or two sentences.'),
  choices: z
    .array(z.string())
    .max(10)
    .optional()
    .describe('Suggested answers, if the question has a few obvious ones.'),
});

/**
 * The built-in `ask_user` tool: the model asks the user a question and waits
 * (up to `timeoutMs`) for `session.respond(requestId, { answer })`. When
 * nobody answers in time, the model gets `fallbackAnswer` and carries on.
 */
export function createClarifyTool(
  run: RunState,
  options: { timeoutMs: number; fallbackAnswer: string },
): AgentTool<z.output<typeof clarifyInput>, string> {
  return {
    description:
      'Ask the user a clarifying question and wait for the answer. Use only when you cannot proceed sensibly without it.',
    inputSchema: clarifyInput,
    kind: 'other',
    // Leave room for the clarify timeout itself before the generic tool timeout fires.
    timeoutMs: options.timeoutMs + 5_000,
    async execute({ question, choices }, context) {
      const { session, emitter, agent } = run;
      const request = {
        kind: 'clarify' as const,
        requestId: agent.newId('clr'),
        toolCallId: context.toolCallId,
        question,
        ...(choices ? { choices } : {}),
        timeoutMs: options.timeoutMs,
        fallbackAnswer: options.fallbackAnswer,
        requestedAt: agent.now(),
      };
      session.state.askClarify(request);
      emitter.emit('clarify.requested', {
        clarifyId: request.requestId,
        question,
        ...(choices ? { choices } : {}),
        allowFreeText: true,
        timeoutMs: options.timeoutMs,
        fallbackAnswer: options.fallbackAnswer,
        toolCallId: context.toolCallId,
      });
      await session.checkpoint();
      try {
        const { answer, source } = await session.waitForAnswer(request, context.signal);
        emitter.emit('clarify.resolved', { clarifyId: request.requestId, answer, source });
        return answer;
      } catch (error) {
        emitter.emit('clarify.resolved', {
          clarifyId: request.requestId,
          answer: '',
          source: 'cancelled',
        });
        throw error;
      } finally {
        session.state.withdrawRequest(request.requestId);
      }
    },
  };
}
