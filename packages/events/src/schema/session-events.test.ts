import { describe, expect, it } from 'vitest';
import { safeParseEvent } from './parse-event.js';

const titled = (data: unknown, extra: Record<string, unknown> = {}) => ({
  v: 1,
  type: 'session.title_updated',
  seq: 3,
  ts: 1_700_000_000_000,
  sessionId: 'ses_1',
  data,
  ...extra,
});

describe('session.title_updated', () => {
  it('is session-scoped: valid without a runId', () => {
    const result = safeParseEvent(titled({ title: 'Trip to Rome', source: 'model' }));
    expect(result).toMatchObject({ success: true, event: { data: { title: 'Trip to Rome' } } });
  });

  it('trims the title and keeps unknown fields (tolerant reader)', () => {
    const result = safeParseEvent(titled({ title: '  Trip to Rome \n', source: 'user', x: 1 }));
    expect(result).toMatchObject({
      success: true,
      event: { data: { title: 'Trip to Rome', source: 'user', x: 1 } },
    });
  });

  it.each([
    ['an empty title', { title: '', source: 'user' }, 'data.title'],
    ['a blank title', { title: ' \n\t ', source: 'user' }, 'data.title'],
    ['a title over 200 characters', { title: 'x'.repeat(201), source: 'model' }, 'data.title'],
    ['an unknown source', { title: 'Rome', source: 'robot' }, 'data.source'],
    ['no source', { title: 'Rome' }, 'data.source'],
  ])('rejects %s', (_what, data, path) => {
    const result = safeParseEvent(titled(data));
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.code).toBe('EVENTS_INVALID_EVENT');
      expect(result.error.message).toContain(path);
    }
  });

  it('accepts exactly 200 characters', () => {
    expect(safeParseEvent(titled({ title: 'x'.repeat(200), source: 'fallback' })).success).toBe(
      true,
    );
  });
});
