import { cleanup, render } from '@testing-library/react';
import type * as RemarkGfm from 'remark-gfm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MARKDOWN_CACHE_CHARS, MARKDOWN_CACHE_SIZE, Markdown } from './markdown.js';

// Counts parses: react-markdown builds a processor, and so attaches remark-gfm,
// once per parse of a text.
const gfm = vi.hoisted(() => ({ attached: 0 }));
vi.mock('remark-gfm', async (importOriginal) => {
  const real = await importOriginal<typeof RemarkGfm>();
  return {
    default: function countedGfm(this: unknown, ...args: Parameters<typeof real.default>) {
      gfm.attached += 1;
      return real.default.apply(this as never, args);
    },
  };
});

afterEach(cleanup);

// Work, not time: a long session's rows mount and unmount as the virtual list
// scrolls and measures; each finished text should be parsed once.
describe('Markdown parses a finished text once, however often its row mounts', () => {
  it('mounting the same answer again reuses its tree (same DOM), a streaming one parses per render', () => {
    const text = `## Part ${Math.random()}\n\n1. Read\n2. [Docs](https://example.com)\n\n\`\`\`ts\nconst a = 1;\n\`\`\``;
    gfm.attached = 0;
    const first = render(<Markdown text={text} />);
    const html = first.container.innerHTML;
    first.unmount();
    for (let mount = 0; mount < 5; mount++) {
      const again = render(<Markdown text={text} />);
      expect(again.container.innerHTML).toBe(html);
      again.unmount();
    }
    expect(gfm.attached).toBe(1);

    // While it streams, every delta is a new text: parsed each time, and not kept.
    gfm.attached = 0;
    const streaming = render(<Markdown text="Hel" streaming />);
    streaming.rerender(<Markdown text="Hello" streaming />);
    streaming.unmount();
    render(<Markdown text="Hello" streaming />);
    expect(gfm.attached).toBe(3);
  });

  it('keeps at most MARKDOWN_CACHE_SIZE texts, dropping the least recently used', () => {
    const texts = Array.from(
      { length: MARKDOWN_CACHE_SIZE + 1 },
      (_, index) => `text ${index} ${Math.random()}`,
    );
    for (const text of texts) render(<Markdown text={text} />).unmount();
    gfm.attached = 0;
    render(<Markdown text={texts[0]!} />).unmount(); // dropped: parsed again
    render(<Markdown text={texts.at(-1)!} />).unmount(); // kept
    expect(gfm.attached).toBe(1);
  });

  it('keeps at most MARKDOWN_CACHE_CHARS characters of text, dropping the least recently used', () => {
    // Four long answers of just over a quarter of the budget each: the fourth pushes the first out.
    const long = (index: number) =>
      `answer ${index} ${Math.random()} ${'word '.repeat(Math.floor(MARKDOWN_CACHE_CHARS / 20))}`;
    const texts = [0, 1, 2, 3].map(long);
    for (const text of texts) render(<Markdown text={text} />).unmount();
    gfm.attached = 0;
    render(<Markdown text={texts[3]!} />).unmount(); // kept
    render(<Markdown text={texts[1]!} />).unmount(); // kept
    expect(gfm.attached).toBe(0);
    render(<Markdown text={texts[0]!} />).unmount(); // dropped: parsed again
    expect(gfm.attached).toBe(1);
  });

  it('does not keep a text longer than the whole budget', () => {
    const huge = `huge ${Math.random()} ${'x'.repeat(MARKDOWN_CACHE_CHARS)}`;
    gfm.attached = 0;
    render(<Markdown text={huge} />).unmount();
    render(<Markdown text={huge} />).unmount();
    expect(gfm.attached).toBe(2);
  });
});
