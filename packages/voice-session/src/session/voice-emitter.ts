import type { DraftData, EventBus, EventType } from '@switchboard/events';
import type { Clock } from '../clock/clock.js';

/** Extension key carrying the session-clock time of a voice event (audio time in tests). */
export const VOICE_TIME_META = 'voice.atMs';

type VoiceEventType = Extract<EventType, `voice.${string}`>;

/**
 * Publishes voice events on the agent's bus, under the agent session's id, so
 * they take their place in the session's one `seq` order between the runs'
 * events. Each carries `meta['voice.atMs']`, the session clock's time.
 */
export class VoiceEmitter {
  readonly #bus: EventBus;
  readonly #sessionId: string;
  readonly #clock: Clock;

  constructor(bus: EventBus, sessionId: string, clock: Clock) {
    this.#bus = bus;
    this.#sessionId = sessionId;
    this.#clock = clock;
  }

  emit<T extends VoiceEventType>(type: T, data: DraftData<T>, runId?: string): void {
    this.#bus.emit({
      type,
      sessionId: this.#sessionId,
      ...(runId === undefined ? {} : { runId }),
      data,
      meta: { [VOICE_TIME_META]: Math.round(this.#clock.now()) },
    } as Parameters<EventBus['emit']>[0]);
  }
}
