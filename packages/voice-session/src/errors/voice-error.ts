import { SwitchboardError, type SwitchboardErrorInit } from '@switchboard/events';

/** Stable codes of {@link VoiceError}. */
export const VOICE_ERROR_CODES = [
  'VOICE_INVALID_AUDIO',
  'VOICE_INVALID_OPTIONS',
  'VOICE_ENGINE_UNAVAILABLE',
  'VOICE_VAD_FAILED',
  'VOICE_STT_FAILED',
  'VOICE_TTS_FAILED',
  'VOICE_LLM_FAILED',
] as const;
export type VoiceErrorCode = (typeof VOICE_ERROR_CODES)[number];

/** An error of the voice session, with a stable `VOICE_*` code. */
export class VoiceError extends SwitchboardError<VoiceErrorCode> {
  constructor(init: SwitchboardErrorInit<VoiceErrorCode>) {
    super(init);
    this.name = 'VoiceError';
  }
}
