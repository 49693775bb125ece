import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import koffi from 'koffi';
import { z } from 'zod';
import { parseVoiceOptions } from '../errors/parse-voice-options.js';
import { VoiceError } from '../errors/voice-error.js';
import { jsgfGrammar } from './jsgf-grammar.js';
import type { Stt, SttResult, SttStream, SttWord } from './stt.js';

/** Options of {@link PocketsphinxStt.load}. */
export const pocketsphinxOptionsSchema = z.strictObject({
  /** Debian's `pocketsphinx-en-us` model directory. */
  modelDir: z.string().default('/usr/share/pocketsphinx/model/en-us'),
  /**
   * Phrases the user may say: recognition is constrained to them (plus
   * fillers), which takes the word error rate on synthetic speech from ~60 %
   * to 0. Without phrases the generic language model is used (demo quality).
   */
  phrases: z.array(z.string().trim().min(1)).optional(),
  /** Filler words the grammar offers so a cough or a hum is not forced into a phrase. */
  fillers: z.array(z.string().min(1)).default(['ah', 'uh', 'um', 'hmm', 'mm']),
});
export type PocketsphinxOptions = z.input<typeof pocketsphinxOptionsSchema>;

// The C API of libpocketsphinx3 (0.8+5prealpha) used here, bound with koffi: nothing compiled.
interface Binding {
  ps_args: () => unknown;
  // eslint-disable-next-line max-params -- the C signature
  cmd_ln_parse_r: (a: null, d: unknown, n: number, v: string[], s: number) => unknown;
  ps_init: (config: unknown) => unknown;
  ps_start_utt: (ps: unknown) => number;
  // eslint-disable-next-line max-params -- the C signature
  ps_process_raw: (ps: unknown, d: Int16Array, n: number, ns: number, f: number) => number;
  ps_end_utt: (ps: unknown) => number;
  ps_get_hyp: (ps: unknown, score: number[]) => string | null;
  ps_seg_iter: (ps: unknown) => unknown;
  ps_seg_next: (seg: unknown) => unknown;
  ps_seg_word: (seg: unknown) => string;
  ps_seg_frames: (seg: unknown, sf: number[], ef: number[]) => void;
}

let binding: Binding | undefined;

function bind(): Binding {
  if (binding) return binding;
  try {
    const ps = koffi.load('libpocketsphinx.so.3');
    const sb = koffi.load('libsphinxbase.so.3');
    binding = {
      ps_args: ps.func('void *ps_args(void)'),
      cmd_ln_parse_r: sb.func(
        'void *cmd_ln_parse_r(void *inout, void *defn, int32_t argc, const char **argv, int32_t strict)',
      ),
      ps_init: ps.func('void *ps_init(void *config)'),
      ps_start_utt: ps.func('int ps_start_utt(void *ps)'),
      ps_process_raw: ps.func(
        'int ps_process_raw(void *ps, const int16_t *data, size_t n, int no_search, int full_utt)',
      ),
      ps_end_utt: ps.func('int ps_end_utt(void *ps)'),
      ps_get_hyp: ps.func('const char *ps_get_hyp(void *ps, _Out_ int32_t *score)'),
      ps_seg_iter: ps.func('void *ps_seg_iter(void *ps)'),
      ps_seg_next: ps.func('void *ps_seg_next(void *seg)'),
      ps_seg_word: ps.func('const char *ps_seg_word(void *seg)'),
      ps_seg_frames: ps.func('void ps_seg_frames(void *seg, _Out_ int *sf, _Out_ int *ef)'),
    };
    return binding;
  } catch (error) {
    throw new VoiceError({
      code: 'VOICE_ENGINE_UNAVAILABLE',
      message: 'libpocketsphinx.so.3 is not installed.',
      details: { hint: 'apt-get install libpocketsphinx3 pocketsphinx-en-us' },
      cause: error,
    });
  }
}

/** True when Debian's pocketsphinx library can be loaded (tests skip with a reason otherwise). */
export function pocketsphinxAvailable(): boolean {
  try {
    bind();
    return true;
  } catch {
    return false;
  }
}

/**
 * Offline speech recognition with CMU pocketsphinx (Debian `libpocketsphinx3`
 * and `pocketsphinx-en-us`) driven in-process through `koffi`. One decoder,
 * one utterance at a time (the session feeds it VAD segments).
 */
export class PocketsphinxStt implements Stt {
  readonly label = 'pocketsphinx';
  readonly language = 'en-US';
  readonly #decoder: unknown;
  readonly #ps: Binding;
  #open: SttStream | undefined;

  private constructor(ps: Binding, decoder: unknown) {
    this.#ps = ps;
    this.#decoder = decoder;
  }

  /** Loads the models (90–300 ms). */
  static load(options: PocketsphinxOptions = {}): PocketsphinxStt {
    const resolved = parseVoiceOptions(pocketsphinxOptionsSchema, options, 'PocketsphinxStt');
    const ps = bind();
    const dir = resolved.modelDir;
    const argv = ['-hmm', `${dir}/en-us`, '-dict', `${dir}/cmudict-en-us.dict`];
    argv.push('-logfn', '/dev/null');
    if (resolved.phrases?.length) {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'switchboard-jsgf-')), 'voice.gram');
      writeFileSync(file, jsgfGrammar(resolved.phrases, resolved.fillers));
      argv.push('-jsgf', file);
    } else argv.push('-lm', `${dir}/en-us.lm.bin`);
    const config = ps.cmd_ln_parse_r(null, ps.ps_args(), argv.length, argv, 1);
    const decoder = config ? ps.ps_init(config) : null;
    if (!decoder)
      throw new VoiceError({
        code: 'VOICE_ENGINE_UNAVAILABLE',
        message: `pocketsphinx could not start with the model in ${dir}.`,
        details: {
          hint: 'apt-get install pocketsphinx-en-us; every phrase word must be in its dictionary.',
        },
      });
    return new PocketsphinxStt(ps, decoder);
  }

  createStream(): SttStream {
    this.#open?.cancel();
    const ps = this.#ps;
    const decoder = this.#decoder;
    ps.ps_start_utt(decoder);
    let open = true;
    const close = () => {
      if (open) ps.ps_end_utt(decoder);
      open = false;
      if (this.#open === stream) this.#open = undefined;
    };
    const stream: SttStream = {
      push: (pcm) => {
        if (open) ps.ps_process_raw(decoder, pcm, pcm.length, 0, 0);
      },
      interim: () => (open ? (ps.ps_get_hyp(decoder, [0]) ?? '') : ''),
      finish: (): SttResult => {
        close();
        const text = ps.ps_get_hyp(decoder, [0]) ?? '';
        return { text, words: this.#words(), language: this.language };
      },
      cancel: close,
    };
    this.#open = stream;
    return stream;
  }

  /** Word segments of the last utterance; pocketsphinx frames are 10 ms from its start. */
  #words(): SttWord[] {
    const ps = this.#ps;
    const words: SttWord[] = [];
    for (let seg = ps.ps_seg_iter(this.#decoder); seg; seg = ps.ps_seg_next(seg)) {
      const word = ps.ps_seg_word(seg);
      const start = [0];
      const end = [0];
      ps.ps_seg_frames(seg, start, end);
      if (/^[<[(]/.test(word)) continue; // <s>, </s>, <sil>, [NOISE]
      words.push({
        word: word.replace(/\(\d+\)$/, ''),
        startMs: start[0]! * 10,
        endMs: end[0]! * 10,
      });
    }
    return words;
  }
}
