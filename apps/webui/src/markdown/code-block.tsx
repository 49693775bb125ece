import { memo, useEffect, useState } from 'react';
import { CopyButton } from '../components/copy-button.js';
import { loadHighlighter, type HighlightedLine } from './highlight.js';

/** Code longer than this is shown plain: highlighting it would cost more than it helps. */
const MAX_HIGHLIGHT_CHARS = 20_000;

/**
 * A fenced code block: a header with the language and a copy button, the
 * code highlighted once the highlighter has loaded (plain until then, and
 * while the block still streams, so deltas never wait for it).
 */
export const CodeBlock = memo(function CodeBlock(props: {
  code: string;
  language?: string;
  streaming?: boolean;
}) {
  const { code, language, streaming } = props;
  const [lines, setLines] = useState<{ code: string; lines: HighlightedLine[] }>();
  useEffect(() => {
    if (streaming || code.length > MAX_HIGHLIGHT_CHARS) return;
    let live = true;
    loadHighlighter().then(
      (highlight) => {
        if (live) setLines({ code, lines: highlight(code, language) });
      },
      () => {
        // Highlighting is an extra: plain code stays.
      },
    );
    return () => {
      live = false;
    };
  }, [code, language, streaming]);
  const highlighted = lines?.code === code ? lines.lines : undefined;
  return (
    <div className="code-block">
      <div className="code-block__bar">
        <span className="code-block__lang">{language ?? 'text'}</span>
        <CopyButton text={code} label="Copy code" />
      </div>
      <pre className="code-block__pre" tabIndex={0}>
        <code className={language ? `language-${language}` : undefined}>
          {highlighted
            ? highlighted.map((line, index) => (
                <span className="sh-line" key={index}>
                  {line.map((token, at) =>
                    token.type === 'space' || token.type === 'break' ? (
                      token.value
                    ) : (
                      <span key={at} className={`sh-${token.type}`}>
                        {token.value}
                      </span>
                    ),
                  )}
                  {index < highlighted.length - 1 ? '\n' : null}
                </span>
              ))
            : code}
        </code>
      </pre>
    </div>
  );
});
