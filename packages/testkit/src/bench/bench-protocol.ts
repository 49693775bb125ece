/** Scripts the bench servers can play, by name (a function cannot cross a process boundary). */
export type BenchScriptName = 'three-tool-calls' | 'short-answer';

/** Parent → child. */
export type BenchRequest =
  | { id: number; type: 'stats' }
  | { id: number; type: 'script'; name: BenchScriptName; paceMs?: number };

/** Child → parent. */
export type BenchMessage =
  | { type: 'ready'; modelBaseUrl: string; receiverBaseUrl: string }
  | { id: number; type: 'stats'; modelCalls: number; spans: number; exports: number }
  | { id: number; type: 'ok' };
