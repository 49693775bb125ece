import { z } from 'zod';

/** Options of {@link SessionSequencer}, parsed once by its constructor. */
export const sessionSequencerOptionsSchema = z.object({
  /** The session whose events this sequencer stamps. */
  sessionId: z.string(),
  /** Where the sequence stands (a restored session continues from its head). @default { seq: 0, ts: 0 } */
  head: z
    .object({ seq: z.number().int().nonnegative(), ts: z.number().nonnegative() })
    .default({ seq: 0, ts: 0 }),
  /** Clock in epoch ms (tests inject one). @default Date.now */
  now: z.custom<() => number>((value) => typeof value === 'function').optional(),
});

/** What you pass to `new SessionSequencer(options)`. */
export type SessionSequencerOptions = z.input<typeof sessionSequencerOptionsSchema>;
