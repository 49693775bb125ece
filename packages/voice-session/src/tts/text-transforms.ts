/** A rewrite of reply text before it is spoken; the history keeps the model's text. */
export type TextTransform = (text: string) => string;

/**
 * Drops markdown syntax a voice would read out ("asterisk asterisk sure"):
 * code fences, inline code ticks, links and images (their text stays),
 * emphasis, headings, list bullets, strike-through.
 */
export const filterMarkdown: TextTransform = (text) =>
  text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(\*|_)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '');

/** Drops emoji (espeak reads "😀" as "grinning face"). */
export const filterEmoji: TextTransform = (text) =>
  text.replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}|[\u{1F3FB}-\u{1F3FF}]/gu, '');

/** The built-in transforms by name (LiveKit's `tts_text_transforms`). */
export const TEXT_TRANSFORMS = {
  filter_markdown: filterMarkdown,
  filter_emoji: filterEmoji,
} as const satisfies Record<string, TextTransform>;
export type TextTransformName = keyof typeof TEXT_TRANSFORMS;

/** Applies `transforms` in order and normalises whitespace. */
export function applyTextTransforms(
  text: string,
  transforms: readonly (TextTransformName | TextTransform)[],
): string {
  let out = text;
  for (const transform of transforms)
    out = (typeof transform === 'string' ? TEXT_TRANSFORMS[transform] : transform)(out);
  return out.replace(/\s+/g, ' ').trim();
}
