// @switchboard/events/internal: building blocks the packages of this repository share
// (option parsing, the parts of an event log backend). UNSTABLE: any of these may change or go in
// a patch release; they are not covered by semver. Applications use the root entry.
// Browser-safe, like the root entry.

export { optionsParser, parseOptions } from './errors/parse-options.js';
export type { OptionsErrorClass, OptionsParser } from './errors/parse-options.js';
export { envSchema } from './options/env-schema.js';

export { replayThenLive } from './log/replay-then-live.js';
export type { LiveListener, ReplaySource } from './log/replay-then-live.js';
export { LiveListeners } from './log/live-listeners.js';
export { checkContiguous } from './log/check-contiguous.js';
