import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEBUI_ERROR_CODES } from './errors/webui-server-error.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every WEBUI error code with its status', () => {
    for (const [code, { status }] of Object.entries(WEBUI_ERROR_CODES)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\``));
      expect(row, code).toBeDefined();
      expect(row).toContain(status === 0 ? '—' : String(status));
    }
  });
});
