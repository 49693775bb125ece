import { isValidElement, memo, type ReactElement, type ReactNode } from 'react';
import ReactMarkdown, { defaultUrlTransform, type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './code-block.js';

/**
 * Links the app follows: web and mail addresses, and relative ones. Anything
 * else (`javascript:`, `data:`, `vbscript:`, custom schemes) loses its href.
 */
export function safeUrl(url: string): string {
  const cleaned = defaultUrlTransform(url);
  if (cleaned === '') return '';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'mailto'
    ? cleaned
    : '';
}

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

function componentsFor(streaming: boolean): Components {
  return {
    // Model output never becomes live HTML: raw HTML shows as text (react-markdown's
    // default without rehype-raw), links open safely elsewhere, images stay links
    // (a remote image would tell its host that the page was read).
    a: ({ href, children }) =>
      href ? (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow">
          {children}
        </a>
      ) : (
        <span className="md-dead-link">{children}</span>
      ),
    img: ({ src, alt }) => {
      const url = typeof src === 'string' ? src : '';
      return url ? (
        <a href={url} target="_blank" rel="noopener noreferrer nofollow">
          {`[image: ${alt || url}]`}
        </a>
      ) : (
        <span>{alt}</span>
      );
    },
    pre: ({ children }) => {
      const code: unknown = Array.isArray(children) ? (children as unknown[])[0] : children;
      if (isValidElement<{ className?: string; children?: ReactNode }>(code)) {
        const language = /language-([\w+#.-]+)/.exec(code.props.className ?? '')?.[1];
        const text = textOf(code.props.children).replace(/\n$/, '');
        return <CodeBlock code={text} streaming={streaming} {...(language ? { language } : {})} />;
      }
      return <pre>{children}</pre>;
    },
    table: ({ children }) => (
      <div className="md-table" tabIndex={0}>
        <table>{children}</table>
      </div>
    ),
  };
}

const STATIC = componentsFor(false);
const STREAMING = componentsFor(true);
const PLUGINS = [remarkGfm];

/** Finished texts whose rendered tree is kept (most recently used last). */
export const MARKDOWN_CACHE_SIZE = 400;
/**
 * Characters of those texts kept in all: a tree grows with its text, so a
 * few very long answers are bounded by this, many short ones by the count.
 * A text longer than this on its own is not kept.
 */
export const MARKDOWN_CACHE_CHARS = 1_000_000;
const rendered = new Map<string, ReactElement>();
let keptChars = 0;

/**
 * The React tree of `text`. A finished text is parsed once and its tree kept:
 * a row that scrolls out of the virtual list and back, or mounts again while
 * the list measures itself, costs no second parse. A streaming text changes
 * with every delta, so it is never kept.
 */
function markdownTree(text: string, streaming: boolean): ReactElement {
  const options = {
    remarkPlugins: PLUGINS,
    urlTransform: safeUrl,
    skipHtml: false,
    children: text,
  };
  if (streaming) return ReactMarkdown({ ...options, components: STREAMING });
  const kept = rendered.get(text);
  if (kept !== undefined) {
    rendered.delete(text);
    rendered.set(text, kept);
    return kept;
  }
  const tree = ReactMarkdown({ ...options, components: STATIC });
  if (text.length > MARKDOWN_CACHE_CHARS) return tree;
  rendered.set(text, tree);
  keptChars += text.length;
  while (rendered.size > MARKDOWN_CACHE_SIZE || keptChars > MARKDOWN_CACHE_CHARS) {
    const oldest = rendered.keys().next().value!;
    rendered.delete(oldest);
    keptChars -= oldest.length;
  }
  return tree;
}

/**
 * Markdown (GFM: tables, task lists, strikethrough, autolinks) rendered to
 * React elements. No raw HTML is ever rendered, only safe link schemes keep
 * their target.
 */
export const Markdown = memo(function Markdown(props: { text: string; streaming?: boolean }) {
  return <div className="md">{markdownTree(props.text, props.streaming === true)}</div>;
});
