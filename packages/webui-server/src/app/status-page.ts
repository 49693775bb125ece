/** What the status page says is running. */
export interface StatusPageInfo {
  /** The server's version (as `GET /api/health` reports it). */
  version: string;
  /** The configured `provider:model`, or null when none is. */
  model: string | null;
  /** Langfuse tracing is on. */
  tracing: boolean;
  /** `/api` needs `Authorization: Bearer` (a token is configured). */
  tokenRequired: boolean;
}

/** Shown when no model is configured, on the page and in the log. */
export const NO_MODEL_ADVICE =
  'Set SWITCHBOARD_MODEL (e.g. openai:gpt-4o-mini with OPENAI_API_KEY, anthropic:claude-haiku-4-5 with ANTHROPIC_API_KEY, or openai-compatible:<model> with SWITCHBOARD_BASE_URL and SWITCHBOARD_API_KEY) and restart.';

/**
 * The page `/` serves until the chat UI is built (no `apps/webui/dist`):
 * what is running, and where the API answers. Static HTML without scripts
 * (the security headers' CSP allows no inline script).
 */
export function renderStatusPage(info: StatusPageInfo): string {
  const model =
    info.model == null
      ? `<strong>no model configured</strong>. ${escapeHtml(NO_MODEL_ADVICE)}`
      : `<code>${escapeHtml(info.model)}</code>`;
  const token = info.tokenRequired
    ? '<p>The API requires <code>Authorization: Bearer &lt;SWITCHBOARD_TOKEN&gt;</code>.</p>'
    : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Switchboard</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 42rem; padding: 0 1rem; }
      dt { font-weight: 600; }
    </style>
  </head>
  <body>
    <main>
      <h1>Switchboard web app</h1>
      <p>The server is running. The chat UI is not built here (no <code>apps/webui/dist</code>).</p>
      <dl>
        <dt>Version</dt>
        <dd>${escapeHtml(info.version)}</dd>
        <dt>Model</dt>
        <dd>${model}</dd>
        <dt>Tracing</dt>
        <dd>${info.tracing ? 'Langfuse' : 'off'}</dd>
      </dl>
      <p>API: <a href="/api/health">/api/health</a> · <a href="/api/config">/api/config</a></p>
      ${token}
    </main>
  </body>
</html>
`;
}

/** Text as HTML (element content and quoted attribute values). */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
