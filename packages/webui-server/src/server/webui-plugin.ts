import type { Agent } from '@switchboard/agent-core';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `expected ${what} (a function)` });

/**
 * Something the server is composed with but does not import: tracing,
 * voice, anything an app adds. All parts are optional.
 *
 * - `attach(agent)` runs once when the API starts, with the agent (not
 *   called when the server runs without a model). Use it to add hooks
 *   (`agent.on(...)`) or sinks. It may return a function that undoes it;
 *   that runs when the server closes, after the bus is flushed.
 * - `register` is a Fastify plugin registered inside the API (under
 *   `/api`): authentication, Host, Origin and content-type checks and the
 *   error model apply to its routes.
 * - `features` are reported by `GET /api/config` (`voice`, `tracing`, …).
 * - `close()` runs last when the server closes (flush exporters here).
 */
export const webuiPluginSchema = z.object({
  /** Shown in logs and errors. */
  name: z.string().min(1),
  /** Feature flags reported by `GET /api/config` as `features[name]: true`. */
  features: z.array(z.string().min(1)).default([]),
  attach: fn<(agent: Agent) => void | Detach | Promise<void | Detach>>('attach(agent)').optional(),
  register: fn<FastifyPluginAsync>('a Fastify plugin').optional(),
  close: fn<() => void | Promise<void>>('close()').optional(),
});

/** Undoes what `attach` did. */
export type Detach = () => void | Promise<void>;

/** What you pass in `plugins: [...]` (see {@link webuiPluginSchema}). */
export type WebuiPlugin = z.input<typeof webuiPluginSchema>;
