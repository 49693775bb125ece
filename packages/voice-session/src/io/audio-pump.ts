import { FRAME_MS, concatPcm, toFrames } from '../audio/pcm.js';
import type { AudioSink, VoiceSession } from '../session/voice-session.js';

/** Collects the agent's audio frame by frame: a timeline aligned with the input. */
export class TimelineRecorder implements AudioSink {
  readonly #frames: Int16Array[] = [];

  write(frame: Int16Array): void {
    this.#frames.push(frame);
  }

  /** Everything written so far as one buffer. */
  pcm(): Int16Array {
    return concatPcm(this.#frames);
  }
}

/** How {@link pumpAudio} feeds the session. */
export interface PumpOptions {
  /**
   * `asap`: as fast as possible, waiting for each reply and its speech before
   * the next frame (deterministic: the model and the synthesiser take no
   * session time). `realtime`: one frame per 20 ms of wall time, never
   * waiting (what a microphone does; used by the benchmark).
   */
  pace?: 'asap' | 'realtime';
  /** Called before each frame with the frame's session time (to script `say()` etc.). */
  onFrame?: (atMs: number) => void | Promise<void>;
}

/** Starts the session and feeds it `pcm` frame by frame. */
export async function pumpAudio(
  session: VoiceSession,
  pcm: Int16Array,
  options: PumpOptions = {},
): Promise<void> {
  const pace = options.pace ?? 'asap';
  if (session.agentState === 'initializing') session.start();
  const started = performance.now();
  let index = 0;
  for (const frame of toFrames(pcm)) {
    if (session.closed) break;
    if (pace === 'asap') await session.settled();
    else {
      const due = started + index * FRAME_MS - performance.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    }
    await options.onFrame?.(index * FRAME_MS);
    await session.pushFrame(frame);
    index++;
  }
  await session.settled();
}
