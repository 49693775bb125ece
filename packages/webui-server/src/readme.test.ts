import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEBUI_ERROR_CODES } from './errors/webui-server-error.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('../examples/serve-offline.ts', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every WEBUI error code with its status', () => {
    for (const [code, { status }] of Object.entries(WEBUI_ERROR_CODES)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\``));
      expect(row, code).toBeDefined();
      expect(row).toContain(status === 0 ? '—' : String(status));
    }
  });

  it('shows the example exactly as it is in examples/serve-offline.ts (which a test runs)', () => {
    const code = example.slice(example.indexOf('import '));
    expect(readme).toContain(code.trim());
  });
});
