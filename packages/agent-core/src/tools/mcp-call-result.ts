/** The parts of an MCP `tools/call` result this package reads. */
export interface McpCallResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
  /** Pre-2025 servers answer with `toolResult` instead of `content`. */
  toolResult?: unknown;
}

/**
 * What a tool call's model-facing output is for an MCP result: the
 * `structuredContent` when the server sent one, else its content blocks as
 * text. Error results keep the MCP shape (`{ isError: true, content }`),
 * which `executeToolCall` turns into a failed outcome with the text.
 */
export function mcpResultToOutput(result: McpCallResult): unknown {
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  if (result.isError === true)
    return { isError: true, content: [{ type: 'text', text: contentToText(content) }] };
  if (result.structuredContent != null) return result.structuredContent;
  if (content.length === 0 && result.toolResult !== undefined) return result.toolResult;
  return contentToText(content);
}

/** Content blocks as one text; binary blocks become a short placeholder the model can mention. */
function contentToText(blocks: readonly unknown[]): string {
  return blocks.map(blockToText).join('\n');
}

function blockToText(block: unknown): string {
  if (typeof block !== 'object' || block == null) return String(block);
  const part = block as Record<string, unknown>;
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? part.text : '';
    case 'image':
    case 'audio':
      return `[${part.type}: ${String(part.mimeType)}]`;
    case 'resource_link':
      return `[resource: ${String(part.uri)}]`;
    case 'resource': {
      const resource = (part.resource ?? {}) as Record<string, unknown>;
      return typeof resource.text === 'string'
        ? resource.text
        : `[resource: ${String(resource.uri)}]`;
    }
    default:
      return JSON.stringify(block);
  }
}
