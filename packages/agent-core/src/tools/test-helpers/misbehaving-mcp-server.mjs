// An MCP server on stdio that breaks the protocol on purpose, written as raw
// newline-delimited JSON-RPC so it can send what the SDK's server would refuse.
// `node misbehaving-mcp-server.mjs <mode>`:
//   endless-cursor  every tools/list page names a new nextCursor, forever
//   hang-list       answers initialize, never answers tools/list
//   invalid-tool    tools/list holds one valid tool and two invalid ones
//   bad-call-result tools/call answers with a content block of an unknown type
import { createInterface } from 'node:readline';

const mode = process.argv[2];
const send = (message) =>
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
const objectSchema = { type: 'object', properties: {} };

function answer(request) {
  switch (request.method) {
    case 'initialize':
      return {
        protocolVersion: request.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: `misbehaving-${mode}`, version: '1.0.0' },
      };
    case 'tools/list': {
      if (mode === 'hang-list') return undefined;
      if (mode === 'endless-cursor') {
        const page = Number(request.params?.cursor ?? 0);
        return {
          tools: [{ name: `tool_${page}`, inputSchema: objectSchema }],
          nextCursor: String(page + 1),
        };
      }
      if (mode === 'invalid-tool') {
        return {
          tools: [
            { name: 'good', description: 'Valid', inputSchema: objectSchema },
            {
              name: 'bad',
              description: 'Its input is not an object',
              inputSchema: { type: 'string' },
            },
            { description: 'Has no name', inputSchema: objectSchema },
          ],
        };
      }
      return { tools: [{ name: 'echo', inputSchema: objectSchema }] };
    }
    case 'tools/call':
      if (mode === 'bad-call-result') return { content: [{ type: 'hologram', data: 42 }] };
      return { content: [{ type: 'text', text: 'ok' }] };
    default:
      return {};
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  if (request.id === undefined) return; // a notification
  const result = answer(request);
  if (result !== undefined) send({ id: request.id, result });
});
