import { usageError } from '../../errors/cli-error.js';

/** What `run` was asked for, after checking the flags together. */
export interface RunRequest {
  /** The prompt (undefined when only answering requests). */
  prompt?: string;
  readsStdin: boolean;
  model?: string;
  baseUrl?: string;
  sessionId?: string;
  json: boolean;
  maxTurns?: number;
  /** What to do when the run asks for approval. */
  policy: ApprovalPolicy;
  /** Requests of `sessionId` to answer before resuming. */
  answers: { requestId: string; approved: boolean; reason?: string }[];
  tools: boolean;
}

/** `always`: approve every request; `never`: deny them; `ask`: stop with exit 3. */
export type ApprovalPolicy = 'always' | 'never' | 'ask';

const POLICIES = new Set<string>(['always', 'never', 'ask']);

/** The flags of `run` as commander parsed them. */
export interface RunFlags {
  model?: string;
  baseUrl?: string;
  session?: string;
  json?: boolean;
  maxTurns?: number;
  approve?: string[];
  deny?: string[];
  reason?: string;
  tools?: boolean;
}

/**
 * Checks the flags of `run` together (commander checks each one): a policy
 * at most once, request answers only with `--session` and without a prompt,
 * `--reason` only with an answer. Throws a usage error naming the flag.
 */
export function parseRunRequest(prompt: string | undefined, flags: RunFlags): RunRequest {
  const policies = (flags.approve ?? []).filter((value) => POLICIES.has(value));
  const approveIds = (flags.approve ?? []).filter((value) => !POLICIES.has(value));
  const denyIds = flags.deny ?? [];
  if (policies.length > 1) {
    throw usageError(
      `option '--approve' takes one policy, got ${policies.join(', ')}`,
      'switchboard run',
    );
  }
  const answering = approveIds.length + denyIds.length > 0;
  if (answering && flags.session === undefined) {
    throw usageError(
      `option '--${approveIds.length > 0 ? 'approve' : 'deny'} <requestId>' needs --session <id>`,
      'switchboard run',
    );
  }
  if (answering && prompt !== undefined) {
    throw usageError(
      'a prompt cannot be given with --approve <requestId> / --deny: the answered run resumes',
      'switchboard run',
    );
  }
  if (flags.reason !== undefined && !answering) {
    throw usageError(
      "option '--reason <text>' needs --approve <requestId> or --deny <requestId>",
      'switchboard run',
    );
  }
  if (!answering && (prompt === undefined || prompt.trim() === '')) {
    throw usageError(
      prompt === undefined ? "missing required argument 'prompt'" : 'the prompt is empty',
      'switchboard run',
    );
  }
  const reason = flags.reason === undefined ? {} : { reason: flags.reason };
  return {
    ...(prompt === undefined || prompt === '-' ? {} : { prompt }),
    readsStdin: prompt === '-',
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
    ...(flags.session === undefined ? {} : { sessionId: flags.session }),
    json: flags.json === true,
    ...(flags.maxTurns === undefined ? {} : { maxTurns: flags.maxTurns }),
    policy: (policies[0] as ApprovalPolicy | undefined) ?? 'ask',
    answers: [
      ...approveIds.map((requestId) => ({ requestId, approved: true, ...reason })),
      ...denyIds.map((requestId) => ({ requestId, approved: false, ...reason })),
    ],
    tools: flags.tools !== false,
  };
}
