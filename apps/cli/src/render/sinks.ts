import type { CliStream } from '../cli-io.js';
import type { Style } from '../output/style.js';
import { createStyle } from '../output/style.js';
import type { PrinterSink } from './transcript-printer.js';

/** A printer sink over a CLI stream with its styles. */
export function streamSink(stream: CliStream, style: Style): PrinterSink {
  return {
    write: (text) => stream.write(text),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    style,
  };
}

/** A sink that drops everything (`--quiet` notes). */
export const NULL_SINK: PrinterSink = {
  write: () => {},
  isTTY: false,
  style: createStyle(false),
};
