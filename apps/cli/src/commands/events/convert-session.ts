import type { AnyEvent } from '@switchboard/events';

/** The protocols `events convert` writes as JSON lines. */
export type ConvertFormat = 'ag-ui' | 'ai-sdk' | 'acp';

/**
 * One session's events through the contract's adapter for `format`, loaded
 * when asked for (AG-UI needs `@ag-ui/core` at run time): AG-UI events, AI
 * SDK UI message stream chunks or ACP messages, in order, with whatever a
 * stream cut mid-run leaves open closed at the end.
 */
export async function convertSession(
  events: readonly AnyEvent[],
  format: ConvertFormat,
): Promise<unknown[]> {
  switch (format) {
    case 'ag-ui': {
      const { createAgUiAdapter } = await import('@switchboard/events/ag-ui');
      const adapter = createAgUiAdapter();
      return [...events.flatMap((event) => adapter.push(event)), ...adapter.end()];
    }
    case 'ai-sdk': {
      const { createUiMessageStreamAdapter } = await import('@switchboard/events/ai-sdk');
      const adapter = createUiMessageStreamAdapter();
      return [...events.flatMap((event) => adapter.push(event)), ...adapter.end()];
    }
    case 'acp': {
      const { createAcpAdapter } = await import('@switchboard/events/acp');
      const adapter = createAcpAdapter();
      return events.flatMap((event) => adapter.push(event));
    }
  }
}
