/**
 * Session metadata and per-session settings for the API, over agent-core:
 * the store keeps titles, models, times and costs (`agent.listSessions`),
 * so the list survives restarts and shows generated titles; this class only
 * maps agent-core's shapes to the API's.
 */
import type { Agent, AgentSession, StoredSessionInfo } from '@switchboard/agent-core';
import { SwitchboardError } from '@switchboard/events';
import { WebuiServerError } from '../errors/webui-server-error.js';

/** What the API shows of a session in lists and after create/update. */
export interface SessionMeta {
  id: string;
  /** Null until someone (or the title generator) names it. */
  title: string | null;
  /** `provider:model`; null when unknown. */
  model: string | null;
  createdAt: number;
  updatedAt: number;
  /** Estimated cost in USD so far, when known. */
  costUsd?: number;
}

/** One page of the session list, newest first. */
export interface SessionPage {
  sessions: SessionMeta[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Query of {@link AgentFeatures.listSessions}. */
export interface SessionQuery {
  limit: number;
  cursor?: string;
  /** Case-insensitive substring of the title. */
  q?: string;
}

/** Session metadata and per-session settings, over agent-core's API. */
export class AgentFeatures {
  readonly #agent: Agent;

  constructor(agent: Agent) {
    this.#agent = agent;
  }

  /** The models sessions can use, the default first (agent-core's `agent.models`). */
  models(): string[] {
    return [...this.#agent.models];
  }

  /** Creates a session with an optional title and model (`CORE_MODEL_NOT_ALLOWED` off the list). */
  createSession(input: { title?: string; model?: string }): Promise<AgentSession> {
    return this.#agent.createSession({
      ...(input.model === undefined ? {} : { model: input.model }),
      ...(input.title === undefined ? {} : { title: input.title }),
    });
  }

  /** The metadata of an open session, from the handle (current even mid-run). */
  meta(session: AgentSession): SessionMeta {
    const { createdAt, updatedAt } = session.snapshot();
    const cost = session.usage.costUsd;
    return {
      id: session.id,
      title: session.title ?? null,
      model: session.model,
      createdAt,
      updatedAt,
      ...(cost === undefined ? {} : { costUsd: cost }),
    };
  }

  /** Renames a session. It keeps its place in the list (a rename is not activity). */
  setTitle(session: AgentSession, title: string): Promise<void> {
    return session.setTitle(title);
  }

  /** Switches the model of a session (from its next run; saved in its snapshot). */
  setModel(session: AgentSession, model: string): Promise<void> {
    return session.setModel(model);
  }

  /** Sessions, most recently updated first, from the store (a bad cursor is `CORE_INVALID_OPTIONS`). */
  async listSessions(query: SessionQuery): Promise<SessionPage> {
    const page = await this.#agent
      .listSessions({
        limit: query.limit,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(query.q === undefined ? {} : { q: query.q }),
      })
      .catch((error: unknown) => {
        // The only option a client controls is the cursor: its mistake, not ours.
        if (SwitchboardError.isInstance(error) && error.code === 'CORE_INVALID_OPTIONS') {
          throw new WebuiServerError({
            code: 'WEBUI_INVALID_REQUEST',
            message: 'querystring.cursor: not a cursor this server gave out.',
            hint: 'Pass the nextCursor of the previous page, or no cursor for the first page.',
            cause: error,
          });
        }
        throw error;
      });
    return { sessions: page.sessions.map(toMeta), nextCursor: page.nextCursor ?? null };
  }
}

function toMeta(info: StoredSessionInfo): SessionMeta {
  return {
    id: info.sessionId,
    title: info.title ?? null,
    model: info.model ?? null,
    createdAt: info.createdAt,
    updatedAt: info.updatedAt,
    ...(info.costUsd === undefined ? {} : { costUsd: info.costUsd }),
  };
}
