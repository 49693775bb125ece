import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { MutableTerminalOutput } from './mutable-terminal-output.js';

/** A terminal that records what reaches it. */
class FakeTerminal extends EventEmitter {
  written = '';
  columns = 80;
  rows = 24;
  write(chunk: string | Uint8Array): boolean {
    this.written += String(chunk);
    return true;
  }
}

describe('MutableTerminalOutput', () => {
  it('passes writes through, drops them while muted, in step with the switch', () => {
    const terminal = new FakeTerminal();
    const output = new MutableTerminalOutput(terminal);
    output.write('› ');
    output.mute();
    output.write('typed while streaming');
    expect(output.muted).toBe(true);
    output.unmute();
    output.write('\r› typed');
    expect(terminal.written).toBe('› \r› typed');
  });

  it("is a TTY with the terminal's size, and re-emits its resize until destroyed", () => {
    const terminal = new FakeTerminal();
    const output = new MutableTerminalOutput(terminal);
    expect(output.isTTY).toBe(true);
    terminal.columns = 120;
    expect([output.columns, output.rows]).toEqual([120, 24]);
    let resized = 0;
    output.on('resize', () => resized++);
    terminal.emit('resize');
    output.destroy();
    terminal.emit('resize');
    expect(resized).toBe(1);
    expect(terminal.listenerCount('resize')).toBe(0);
  });
});
