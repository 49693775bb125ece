// ─────────────────────────────────────────────────────────────────────────────
// ADAPTER (issue 9). The one file that bridges to agent-core features being
// added in parallel: session metadata kept by the store and returned by
// `agent.listSessions({limit, cursor, q})` and `session.setTitle()`.
// Per-session models are agent-core's (`createSession({model})`,
// `session.setModel()`, `agent.models`).
//
// Until the rest lands, this keeps what the current agent-core API cannot
// store (titles, the list of sessions) in this process's memory, so the list
// holds the sessions this process created or opened (not older ones after a
// restart), and a title lasts until the process exits.
// Wiring the real API means replacing the bodies below; routes call nothing
// else, and their tests describe the behaviour to keep.
// ─────────────────────────────────────────────────────────────────────────────
import type { Agent, AgentSession } from '@switchboard/agent-core';
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

/** Session metadata and per-session settings, over whatever the agent offers. */
export class AgentFeatures {
  readonly #agent: Agent;
  readonly #meta = new Map<string, SessionMeta>();
  readonly #unsubscribe: () => void;

  constructor(agent: Agent) {
    this.#agent = agent;
    // Any event of a known session makes it the most recently updated.
    this.#unsubscribe = agent.bus.on('*', (event) => {
      const meta = this.#meta.get(event.sessionId);
      if (meta && event.ts > meta.updatedAt) meta.updatedAt = event.ts;
    });
  }

  /** The models sessions can use, the default first (agent-core's `agent.models`). */
  models(): string[] {
    return [...this.#agent.models];
  }

  /** Creates a session with an optional title and model (`CORE_MODEL_NOT_ALLOWED` off the list). */
  async createSession(input: { title?: string; model?: string }): Promise<AgentSession> {
    const session = await this.#agent.createSession(
      input.model === undefined ? {} : { model: input.model },
    );
    const meta = this.remember(session);
    if (input.title !== undefined) meta.title = input.title;
    return session;
  }

  /** Records a session opened by this process (created or loaded) and returns its metadata. */
  remember(session: AgentSession): SessionMeta {
    const known = this.#meta.get(session.id);
    if (known) return known;
    const { createdAt, updatedAt } = session.snapshot();
    const meta: SessionMeta = {
      id: session.id,
      title: null,
      model: session.model,
      createdAt,
      updatedAt,
    };
    this.#meta.set(session.id, meta);
    return meta;
  }

  /** The metadata of an open session. */
  meta(session: AgentSession): SessionMeta {
    const meta = { ...this.remember(session), model: session.model };
    const cost = session.usage.costUsd;
    return cost === undefined ? meta : { ...meta, costUsd: cost };
  }

  /** Renames a session. It keeps its place in the list (a rename is not activity). */
  setTitle(session: AgentSession, title: string): Promise<void> {
    this.remember(session).title = title;
    return Promise.resolve();
  }

  /** Switches the model of a session (from its next run; saved in its snapshot). */
  async setModel(session: AgentSession, model: string): Promise<void> {
    await session.setModel(model);
    this.remember(session).model = session.model;
  }

  /** Sessions, most recently updated first. */
  listSessions(query: SessionQuery): Promise<SessionPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const needle = query.q?.trim().toLowerCase();
    const all = [...this.#meta.values()]
      .filter((meta) => !needle || (meta.title ?? '').toLowerCase().includes(needle))
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .filter((meta) => !after || isAfter(meta, after));
    const page = all.slice(0, query.limit).map((meta) => ({ ...meta }));
    const last = page.at(-1);
    return Promise.resolve({
      sessions: page,
      nextCursor: all.length > query.limit && last ? encodeCursor(last) : null,
    });
  }

  /** Forgets a deleted session. */
  forget(sessionId: string): void {
    this.#meta.delete(sessionId);
  }

  /** Stops listening to the bus. */
  dispose(): void {
    this.#unsubscribe();
  }
}

interface Cursor {
  updatedAt: number;
  id: string;
}

function encodeCursor(meta: SessionMeta): string {
  return Buffer.from(JSON.stringify([meta.updatedAt, meta.id])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'number' &&
    typeof parsed[1] === 'string'
  )
    return { updatedAt: parsed[0], id: parsed[1] };
  throw new WebuiServerError({
    code: 'WEBUI_INVALID_REQUEST',
    message: 'Invalid request: querystring.cursor is not a cursor this server issued.',
  });
}

/** Strictly after the cursor in list order (updatedAt desc, id asc). */
function isAfter(meta: SessionMeta, cursor: Cursor): boolean {
  return (
    meta.updatedAt < cursor.updatedAt ||
    (meta.updatedAt === cursor.updatedAt && meta.id > cursor.id)
  );
}
