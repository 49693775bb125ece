import { z } from 'zod';

/** The vendors whose speech APIs the stand-in speaks. */
export type SpeechVendor = 'openai' | 'deepgram' | 'elevenlabs';

/** An HTTP failure to answer instead (the vendor's error body shape). */
export const speechErrorSchema = z.strictObject({
  status: z.number().int().min(400).max(599),
  message: z.string().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});

/** One scripted transcription answer. */
export const scriptedTranscriptSchema = z.strictObject({
  /** The transcript; words get even timings over the uploaded audio. */
  text: z.string().optional(),
  language: z.string().optional(),
  error: speechErrorSchema.optional(),
  delayMs: z.number().int().nonnegative().optional(),
});

/** One scripted speech answer: audio made from the request's text unless it is an error. */
export const scriptedSpeechSchema = z.strictObject({
  /** Milliseconds of audio per character of text (a voiced, syllable-shaped tone). */
  msPerChar: z.number().positive().max(500).optional(),
  error: speechErrorSchema.optional(),
  delayMs: z.number().int().nonnegative().optional(),
});

export type ScriptedTranscript = z.input<typeof scriptedTranscriptSchema>;
export type ScriptedSpeech = z.input<typeof scriptedSpeechSchema>;

/** A request as the stand-in recorded it. */
export interface SpeechRequest {
  callIndex: number;
  vendor: SpeechVendor;
  kind: 'transcription' | 'speech';
  method: string;
  path: string;
  query: Record<string, string>;
  /** Header values, with credentials replaced by `***`. */
  headers: Record<string, string>;
  /** Form fields (multipart), JSON body fields (speech), or the raw body's content type. */
  fields: Record<string, unknown>;
  /** The uploaded audio (transcription). */
  audio?: {
    bytes: number;
    mediaType: string;
    fileName?: string;
    wav?: { sampleRate: number; durationMs: number };
  };
  /** The text to speak (speech). */
  text?: string;
  /** The status answered. */
  status: number;
  receivedAt: number;
}

/** Answers in order (one per call of that kind), or a function of the request. */
export type SpeechScript<T> = readonly T[] | ((request: SpeechRequest, index: number) => T);
