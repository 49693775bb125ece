import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * This package's version, read from its package.json once (`src/` and
 * `dist/` both sit next to it, so the relative path holds in both).
 */
export const VERSION: string = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))).version;
