import type { SpeechVendor } from './speech-script.js';

/** The vendor's error body for a status (the shapes their APIs answer with). */
export function vendorError(vendor: SpeechVendor, status: number, message: string): unknown {
  if (vendor === 'openai')
    return {
      error: {
        message,
        type:
          status === 429
            ? 'rate_limit_exceeded'
            : status >= 500
              ? 'server_error'
              : 'invalid_request_error',
        param: null,
        code: status === 401 ? 'invalid_api_key' : null,
      },
    };
  if (vendor === 'deepgram')
    return {
      err_code:
        status === 401
          ? 'INVALID_AUTH'
          : status === 429
            ? 'TOO_MANY_REQUESTS'
            : status >= 500
              ? 'INTERNAL_SERVER_ERROR'
              : 'Bad Request',
      err_msg: message,
      request_id: '00000000-0000-4000-8000-000000000000',
    };
  return {
    detail: {
      status:
        status === 401
          ? 'invalid_api_key'
          : status === 429
            ? 'too_many_concurrent_requests'
            : 'error',
      message,
    },
  };
}

/** The key a request presents, per vendor: `Bearer`, Deepgram's `Token`, ElevenLabs' `xi-api-key`. */
export function presentedKey(
  vendor: SpeechVendor,
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const value = (name: string) => [headers[name] ?? ''].flat().join(', ');
  if (vendor === 'elevenlabs') return value('xi-api-key') || undefined;
  return (
    value('authorization').replace(vendor === 'openai' ? /^Bearer / : /^Token /, '') || undefined
  );
}

/** Word timings spread evenly over `durationS` (vendors report real ones; these are plausible). */
export function evenWords(
  text: string,
  durationS: number,
): { word: string; start: number; end: number }[] {
  const words = text.split(/\s+/).filter(Boolean);
  const each = words.length ? durationS / words.length : 0;
  return words.map((word, i) => ({
    word,
    start: round(i * each),
    end: round((i + 1) * each),
  }));
}

/** A transcription answer in the vendor's JSON shape (what each AI SDK provider parses). */
export function transcriptionBody(
  vendor: SpeechVendor,
  text: string,
  audio: { durationS: number; format?: string | undefined; language?: string | undefined },
): unknown {
  const { durationS, format: responseFormat, language = 'en' } = audio;
  const words = evenWords(text, durationS);
  if (vendor === 'openai')
    return responseFormat === 'verbose_json'
      ? {
          task: 'transcribe',
          language: language === 'en' ? 'english' : language,
          duration: round(durationS),
          text,
          words,
        }
      : { text, usage: { type: 'duration', seconds: Math.ceil(durationS) } };
  if (vendor === 'deepgram')
    return {
      metadata: {
        request_id: '00000000-0000-4000-8000-000000000001',
        duration: round(durationS),
        channels: 1,
      },
      results: {
        channels: [
          {
            alternatives: [
              {
                transcript: text,
                confidence: 0.98,
                words: words.map((word) => ({ ...word, confidence: 0.98 })),
              },
            ],
          },
        ],
      },
    };
  return {
    language_code: language,
    language_probability: 0.98,
    text,
    words: words.flatMap((word, i) => [
      ...(i
        ? [
            {
              text: ' ',
              type: 'spacing',
              start: word.start,
              end: word.start,
              speaker_id: 'speaker_0',
            },
          ]
        : []),
      { text: word.word, type: 'word', start: word.start, end: word.end, speaker_id: 'speaker_0' },
    ]),
  };
}

/**
 * The audio format a speech request asks for, as `{ container, sampleRate }`,
 * or the name of one the stand-in does not make (mp3, opus, …).
 */
export function requestedFormat(
  vendor: SpeechVendor,
  query: Record<string, string>,
  body: Record<string, unknown>,
): { container: 'wav' | 'raw'; sampleRate: number } | { unsupported: string } {
  if (vendor === 'openai') {
    const format = typeof body.response_format === 'string' ? body.response_format : 'mp3';
    if (format === 'wav') return { container: 'wav', sampleRate: 24_000 };
    if (format === 'pcm') return { container: 'raw', sampleRate: 24_000 };
    return { unsupported: format };
  }
  if (vendor === 'deepgram') {
    const encoding = query.encoding ?? 'mp3';
    if (encoding !== 'linear16') return { unsupported: encoding };
    const sampleRate = Number(query.sample_rate ?? 24_000);
    return { container: query.container === 'none' ? 'raw' : 'wav', sampleRate };
  }
  const format = query.output_format ?? 'mp3_44100_128';
  const match = /^pcm_(\d+)$/.exec(format);
  return match ? { container: 'raw', sampleRate: Number(match[1]) } : { unsupported: format };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
