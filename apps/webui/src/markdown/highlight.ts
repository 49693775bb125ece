// Syntax highlighting, loaded on first use so it stays out of the initial
// bundle: sugar-high's lexer turns code into typed tokens, which the code
// block renders as React spans (no HTML strings, nothing injected).

/** One highlighted line: tokens with their type (a CSS class suffix). */
export type HighlightedLine = readonly { readonly type: string; readonly value: string }[];

type Highlighter = (code: string, language: string | undefined) => HighlightedLine[];

let loading: Promise<Highlighter> | undefined;

/** Loads the highlighter once; later calls share the same promise. */
export function loadHighlighter(): Promise<Highlighter> {
  loading ??= Promise.all([import('sugar-high/core'), import('sugar-high/lang')]).then(
    ([core, lang]) =>
      (code, language) => {
        const id = language === undefined ? undefined : lang.lang(language);
        const config = lang.languages.find((entry) => entry.id === id)?.config;
        const parsed = core.parse(code, config);
        return parsed.lines.map((line) =>
          line.tokens.map((token) => ({ type: token.type, value: token.value })),
        );
      },
  );
  return loading;
}
