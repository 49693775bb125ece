/**
 * A JSGF grammar accepting one of `phrases`, or a filler word at a much lower
 * weight. Without the filler branch a closed grammar force-fits a hum or a
 * cough onto a phrase ("uh" became "stop" in the study).
 */
export function jsgfGrammar(phrases: readonly string[], fillers: readonly string[]): string {
  const clean = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z' ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const unique = [...new Set(phrases.map(clean).filter(Boolean))];
  const lines = ['#JSGF V1.0;', 'grammar voice;', `<phrase> = ${unique.join(' | ')};`];
  if (fillers.length) {
    lines.push(`<filler> = ${fillers.map(clean).join(' | ')};`);
    lines.push('public <utterance> = /1/ <phrase> | /0.001/ <filler>;');
  } else lines.push('public <utterance> = <phrase>;');
  return `${lines.join('\n')}\n`;
}

/** Words that carry no meaning in a transcript (dropped before a turn is made of it). */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'ah',
  'uh',
  'um',
  'hmm',
  'mm',
  'huh',
  'uh-huh',
  'mhm',
]);

/** `text` without filler words, whitespace normalised. */
export const stripFillers = (text: string): string =>
  text
    .split(/\s+/)
    .filter((word) => word && !FILLER_WORDS.has(word.toLowerCase()))
    .join(' ');
