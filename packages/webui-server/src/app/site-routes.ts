import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { renderStatusPage, type StatusPageInfo } from './status-page.js';

/** Vite puts content-hashed bundles here: a new build has new names, so they may be cached for ever. */
const HASHED_ASSETS = `${path.sep}assets${path.sep}`;

/**
 * Everything outside `/api`: the built chat UI (`clientDir`, Vite's output)
 * as static files when its `index.html` exists, else a status page at `/`
 * saying what is running. Only files present at start are served (no
 * catch-all route), dotfiles never; `index.html` is revalidated on every
 * load so a new build shows at once, and hashed assets are immutable.
 */
export function siteRoutes(options: {
  clientDir?: string;
  status: StatusPageInfo;
}): FastifyPluginAsync {
  const { clientDir } = options;
  if (clientDir === undefined || !hasClientBuild(clientDir)) {
    const page = renderStatusPage(options.status);
    return (app) => {
      app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
      return Promise.resolve();
    };
  }
  return async (app) => {
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: false,
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders: (reply, file) => {
        reply.header(
          'cache-control',
          file.includes(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  };
}

/** Whether Vite's build output is there (`pnpm start` builds it). */
export function hasClientBuild(clientDir: string): boolean {
  return existsSync(path.join(clientDir, 'index.html'));
}
