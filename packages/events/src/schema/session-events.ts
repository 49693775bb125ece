import { z } from 'zod';
import { agentRefSchema } from './shared-schemas.js';

/** `session.started`: a session was opened (or reopened after a restart). */
export const sessionStartedData = z.looseObject({
  agent: agentRefSchema.optional(),
  title: z.string().optional(),
  userId: z.string().optional(),
  /** True when an existing session was loaded from storage rather than created. */
  restored: z.boolean().optional(),
});

/** `session.ended`: no more events will follow for this session. */
export const sessionEndedData = z.looseObject({
  reason: z.enum(['closed', 'expired', 'reset', 'error']),
});
