import { Readable } from 'node:stream';
import { toMarkdown, type AnyEvent, type EventLog } from '@switchboard/events';
import { createAgUiAdapter } from '@switchboard/events/ag-ui';
import { WebuiServerError } from '../errors/webui-server-error.js';
import {
  exportQuerySchema,
  importBodySchema,
  importResponseSchema,
  sessionParamsSchema,
} from '../schemas/api-schemas.js';
import { requireAgent, type ApiContext, type ApiInstance } from '../server/api-context.js';
import { parseEventLines } from '../sessions/parse-event-lines.js';

/** Content types of a JSONL event log (the import takes any of them). */
const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

/** Events read from the log per page while exporting. */
const PAGE = 1000;

const FORMATS = {
  jsonl: { type: 'application/x-ndjson; charset=utf-8', extension: 'jsonl' },
  markdown: { type: 'text/markdown; charset=utf-8', extension: 'md' },
  'ag-ui': { type: 'application/x-ndjson; charset=utf-8', extension: 'ag-ui.jsonl' },
} as const;

/**
 * `GET /sessions/:id/export?format=jsonl|markdown|ag-ui` downloads a
 * session (an attachment named after it): its event log as JSONL (what
 * `POST /sessions/import` and the events package's JSONL readers take), a
 * Markdown transcript (the events package's `toMarkdown`), or its AG-UI
 * events as JSONL. `POST /sessions/import` makes a new session from such a
 * JSONL log (`application/x-ndjson`, up to `importBodyLimit`): every line
 * is checked first, and a bad one is `400 WEBUI_INVALID_IMPORT` naming it,
 * with nothing stored; then agent-core's `importSession` re-stamps the
 * events into the new session and rebuilds its transcript, so it can be
 * viewed and continued.
 */
export function registerTransferRoutes(api: ApiInstance, context: ApiContext): void {
  const { importBodyLimit } = context.options;
  const { uploads: limit } = context.options.rateLimit;

  api.get(
    '/sessions/:id/export',
    { schema: { params: sessionParamsSchema, querystring: exportQuerySchema } },
    async (request, reply) => {
      const { sessions, log } = requireAgent(context);
      const session = await sessions.get(request.params.id); // 404 for an unknown id
      const { format } = request.query;
      const { type, extension } = FORMATS[format];
      reply.header('content-type', type);
      reply.header(
        'content-disposition',
        `attachment; filename="${fileName(session.id)}.${extension}"`,
      );
      if (format === 'markdown') {
        const events: AnyEvent[] = [];
        for await (const page of pages(log, session.id)) events.push(...page);
        return reply.send(toMarkdown(events));
      }
      return reply.send(
        Readable.from(format === 'jsonl' ? jsonl(log, session.id) : agUi(log, session.id)),
      );
    },
  );

  api.addContentTypeParser(
    JSONL_TYPES,
    { parseAs: 'string', bodyLimit: importBodyLimit },
    (_request, body, done) => done(null, body),
  );
  api.post(
    '/sessions/import',
    {
      bodyLimit: importBodyLimit,
      config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
      // Before the body is validated: a JSON body is the wrong format, not a malformed log.
      preValidation: (request, _reply, done) => {
        if (JSONL_TYPES.includes(mediaType(request.headers['content-type']))) return done();
        done(
          new WebuiServerError({
            code: 'WEBUI_UNSUPPORTED_MEDIA_TYPE',
            message: `Send the event log as ${JSONL_TYPES[0]} (one event per line).`,
          }),
        );
      },
      schema: {
        consumes: JSONL_TYPES,
        body: importBodySchema,
        response: { 201: importResponseSchema },
      },
    },
    async (request, reply) => {
      const { sessions, features, log } = requireAgent(context);
      const events = parseEventLines(request.body);
      const imported = await sessions.import(events);
      const { seq } = await log.head(imported.id);
      return reply.status(201).send({ ...features.meta(imported), events: seq });
    },
  );
}

/** A session id as a file name: letters, digits, `_`, `.` and `-` only (no quotes, slashes, colons). */
function fileName(sessionId: string): string {
  return `switchboard-${sessionId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** `application/x-ndjson; charset=utf-8` → `application/x-ndjson`. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A session's stored events, page by page (a long session is never held whole). */
async function* pages(log: EventLog, sessionId: string): AsyncGenerator<AnyEvent[]> {
  let after = 0;
  for (;;) {
    const page = await log.read(sessionId, after, PAGE);
    if (page.length > 0) yield page;
    if (page.length < PAGE) return;
    after = page.at(-1)!.seq;
  }
}

async function* jsonl(log: EventLog, sessionId: string): AsyncGenerator<string> {
  for await (const page of pages(log, sessionId))
    yield page.map((event) => `${JSON.stringify(event)}\n`).join('');
}

async function* agUi(log: EventLog, sessionId: string): AsyncGenerator<string> {
  const adapter = createAgUiAdapter();
  const line = (event: unknown) => `${JSON.stringify(event)}\n`;
  for await (const page of pages(log, sessionId))
    yield page
      .flatMap((event) => adapter.push(event))
      .map(line)
      .join('');
  yield adapter.end().map(line).join('');
}
