import { loadHighlighter } from '../markdown/highlight.js';
import { formatWhen } from './format.js';

/**
 * Pays once, while the page waits for the API, what the first long session
 * would pay in the middle of a scroll: the highlighter's chunk and its first
 * run (its lexer's regular expressions compile on first use) and the first
 * date formatter (the locale's data loads on first use). Each showed up as a
 * slow frame at the start of the render bench's scroll.
 */
export function warmUpWhenIdle(): void {
  const warm = () => {
    formatWhen(Date.now());
    loadHighlighter().then(
      (highlight) => highlight('const ready = true;', 'ts'),
      () => undefined, // highlighting is an extra; the code block loads it again
    );
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(warm, { timeout: 2_000 });
  else setTimeout(warm, 200);
}
