import type { TurnTiming } from './user-turn-tracker.js';

/** Wall-clock latencies of a reply's engines (performance.now deltas). */
export interface WallTimes {
  llmFirstTokenMs?: number;
  ttsFirstAudioMs?: number;
}

/**
 * `voice.metrics` of one user turn, at its reply's first audio (`nowMs`):
 * session-time delays from the end of the user's speech, plus the engines'
 * wall-clock latencies. Unknown values are left out.
 */
export function turnMetrics(timing: TurnTiming, wall: WallTimes, nowMs: number) {
  const end = timing.speechEndMs;
  const since = (ms: number | undefined) =>
    end === undefined || ms === undefined ? undefined : Math.max(0, Math.round(ms - end));
  const round = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms));
  const metrics = {
    endOfUtteranceDelayMs: since(timing.decidedMs),
    transcriptionDelayMs: since(timing.finalMs),
    timeToFirstAudioMs: since(nowMs),
    llmFirstTokenMs: round(wall.llmFirstTokenMs),
    ttsFirstAudioMs: round(wall.ttsFirstAudioMs),
  };
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => value !== undefined));
}
