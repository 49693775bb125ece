import { safeParseEvent, type AnyEvent } from '@switchboard/events';
import { WebuiServerError } from '../errors/webui-server-error.js';

/**
 * The events of a JSONL event log (one envelope per line, as the JSONL sink
 * and `GET /sessions/:id/export` write them), each checked with the events
 * package's `safeParseEvent`. Blank lines are skipped. The first line that
 * is not JSON or not a valid event throws `400 WEBUI_INVALID_IMPORT` naming
 * the line (1-based) and why (the events package's code for an invalid
 * event), so nothing of a bad file is used.
 */
export function parseEventLines(text: string): AnyEvent[] {
  const events: AnyEvent[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw invalidLine(index + 1, `not JSON (${(error as Error).message})`);
    }
    const parsed = safeParseEvent(json);
    if (!parsed.success)
      throw invalidLine(index + 1, `${parsed.error.code}: ${parsed.error.message}`);
    events.push(parsed.event);
  }
  if (events.length === 0) {
    throw new WebuiServerError({
      code: 'WEBUI_INVALID_IMPORT',
      message: 'The import has no events.',
      hint: 'Send a session export (GET /api/sessions/:id/export?format=jsonl), one event per line.',
    });
  }
  return events;
}

function invalidLine(line: number, why: string): WebuiServerError {
  return new WebuiServerError({
    code: 'WEBUI_INVALID_IMPORT',
    message: `Line ${line} is not a valid event: ${why.slice(0, 500)}`,
    hint: 'Nothing was imported. Send the file as exported, one event envelope per line.',
    details: { line },
  });
}
