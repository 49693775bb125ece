// @switchboard/voice-session: a real-time voice agent over an agent-core session (VAD, STT, TTS,
// turn taking, interruptions), fully offline by default, speaking the @switchboard/events contract.

export { VoiceSession } from './session/voice-session.js';
export type { AudioSink, VoiceHistoryItem, VoiceSessionInit } from './session/voice-session.js';
export { voiceSessionOptionsSchema } from './session/voice-session-options.js';
export type {
  ResolvedVoiceSessionOptions,
  TurnDetector,
  VoiceSessionOptions,
} from './session/voice-session-options.js';
export { SpeechHandle } from './session/speech-handle.js';
export type { SpeechSource } from './session/speech-handle.js';
export { VOICE_TIME_META } from './session/voice-emitter.js';

export { pumpAudio, TimelineRecorder } from './io/audio-pump.js';
export type { PumpOptions } from './io/audio-pump.js';
export { WebSocketAudioInput, messageBytes } from './io/websocket-audio-input.js';
export type { AudioInputOptions } from './io/websocket-audio-input.js';
export { WebSocketAudioOutput } from './io/websocket-audio-output.js';
export type { AudioOutputOptions } from './io/websocket-audio-output.js';
export { serveVoiceSocket } from './io/serve-voice-socket.js';
export type { ServeVoiceSocketOptions, ServedVoiceSocket } from './io/serve-voice-socket.js';
export { createWebVoiceEndpoint } from './io/create-web-voice-endpoint.js';
export type { WebVoiceConnection, WebVoiceEndpoint } from './io/create-web-voice-endpoint.js';
export { MAX_CONTROL_CHARS, clientControlSchema } from './io/voice-socket-protocol.js';
export type { AudioSocket, ClientControl, ServerControl } from './io/voice-socket-protocol.js';
export {
  FRAME_MS,
  FRAME_SAMPLES,
  SAMPLE_RATE,
  concatPcm,
  mixAt,
  msToSamples,
  samplesToMs,
  toFrames,
} from './audio/pcm.js';
export type { Placed } from './audio/pcm.js';
export { decodeWav, encodeWav, readWav, writeWav } from './audio/wav.js';
export type { PcmAudio } from './audio/wav.js';
export { resample } from './audio/resample.js';
export { ManualClock } from './clock/clock.js';
export type { Clock, TimerId } from './clock/clock.js';

export type { Vad, VadEvent, VadStream, VadUpdate } from './vad/vad.js';
export { SILERO_MODEL_PATH, SileroVad, sileroVadOptionsSchema } from './vad/silero-vad.js';
export type { SileroVadOptions } from './vad/silero-vad.js';
export type { Stt, SttResult, SttStream, SttWord } from './stt/stt.js';
export {
  PocketsphinxStt,
  pocketsphinxAvailable,
  pocketsphinxOptionsSchema,
} from './stt/pocketsphinx-stt.js';
export type { PocketsphinxOptions } from './stt/pocketsphinx-stt.js';
export { FILLER_WORDS, jsgfGrammar, stripFillers } from './stt/jsgf-grammar.js';
export type { Tts, TtsAudio, TtsWord } from './tts/tts.js';
export { EspeakTts, espeakOptionsSchema, estimateWordTimings } from './tts/espeak-tts.js';
export type { EspeakOptions } from './tts/espeak-tts.js';
export {
  TEXT_TRANSFORMS,
  applyTextTransforms,
  filterEmoji,
  filterMarkdown,
} from './tts/text-transforms.js';
export type { TextTransform, TextTransformName } from './tts/text-transforms.js';

export { VOICE_ERROR_CODES, VoiceError } from './errors/voice-error.js';
export type { VoiceErrorCode } from './errors/voice-error.js';

export { AiSdkStt, aiSdkSttOptionsSchema } from './stt/ai-sdk-stt.js';
export type { AiSdkSttOptions } from './stt/ai-sdk-stt.js';
export { AiSdkTts, aiSdkTtsOptionsSchema } from './tts/ai-sdk-tts.js';
export type { AiSdkTtsOptions } from './tts/ai-sdk-tts.js';
export { decodeSpeechAudio } from './tts/decode-speech-audio.js';
export {
  CLOUD_VOICE_DEFAULTS,
  CLOUD_VOICE_PROVIDERS,
  cloudVoiceOptionsSchema,
  createCloudStt,
  createCloudTts,
} from './cloud/cloud-voice-providers.js';
export type {
  CloudVoiceExtras,
  CloudVoiceOptions,
  CloudVoiceProvider,
} from './cloud/cloud-voice-providers.js';
export { cloudRetrySchema } from './cloud/cloud-call.js';
export { createVoiceEngines } from './cloud/create-voice-engines.js';
export type { VoiceEngines } from './cloud/create-voice-engines.js';
export type { CloudRetryOptions } from './cloud/cloud-call.js';
