import { z } from 'zod';
import { openEnum } from './open-enum.js';
import { agentRefSchema } from './shared-schemas.js';

/**
 * Who named the session: the `user` (a rename), the `model` (the title
 * generator, after the first exchange), or the `fallback` taken from the
 * user's first message when the title call failed or answered nothing.
 */
export const titleSourceSchema = z.enum(['user', 'model', 'fallback']);
export type TitleSource = z.infer<typeof titleSourceSchema>;

/** `session.started`: a session was opened (or reopened after a restart). */
export const sessionStartedData = z.looseObject({
  agent: agentRefSchema.optional(),
  title: z.string().optional(),
  /** Who named it, when `title` is set (a restored session keeps its title). */
  titleSource: titleSourceSchema.optional(),
  userId: z.string().optional(),
  /** True when an existing session was loaded from storage rather than created. */
  restored: z.boolean().optional(),
});

/** `session.ended`: no more events will follow for this session. */
export const sessionEndedData = z.looseObject({
  reason: openEnum(z.enum(['closed', 'expired', 'reset', 'error'])),
});

/**
 * `session.title_updated`: the session has a new title; the last one wins.
 * Session-scoped (no `runId`). A generated title's model call is reported as
 * `generation.*` with `purpose: 'title'` and a session `usage.updated`, under
 * a `runId` of its own whose `parentRunId` is the run it names (no
 * `run.started` or `run.finished`: it is not a run of the conversation), after
 * that run's terminal event; it counts in the session's usage, not the run's.
 */
export const sessionTitleUpdatedData = z.looseObject({
  /** One line, trimmed, 1 to 200 characters. */
  title: z.string().trim().min(1).max(200),
  source: titleSourceSchema,
});
