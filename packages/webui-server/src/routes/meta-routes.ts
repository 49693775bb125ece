import { configResponseSchema, healthResponseSchema } from '../schemas/api-schemas.js';
import type { ApiContext, ApiInstance } from '../server/api-context.js';
import { VERSION } from '../version.js';

/** `GET /health` and `GET /config`: what is running and what it can do. */
export function registerMetaRoutes(api: ApiInstance, context: ApiContext): void {
  api.get('/health', { schema: { response: { 200: healthResponseSchema } } }, () => ({
    ok: true as const,
    version: VERSION,
  }));

  api.get('/config', { schema: { response: { 200: configResponseSchema } } }, () => {
    const models = context.services?.features.models() ?? [];
    const features: Record<string, boolean> = {
      approvals: context.services !== undefined,
      voice: context.options.voice !== undefined,
      tracing: false,
      attachments: context.attachments !== undefined,
    };
    for (const plugin of context.options.plugins)
      for (const feature of plugin.features) features[feature] = true;
    return { model: models[0] ?? null, models, features };
  });
}
