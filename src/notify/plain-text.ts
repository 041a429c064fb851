import { UNSAFE_TEXT_CLASS } from '../unsafe-text.js';

const UNSAFE_RUN = new RegExp(`[${UNSAFE_TEXT_CLASS}]+`, 'g');

/**
 * Makes untrusted text (command lines, paths: attacker-chosen) safe to show: control characters, line
 * separators and bidirectional controls (../unsafe-text.ts) become spaces, markup characters are escaped
 * (notification servers may render body markup), and the text is cut to `max` characters with an ellipsis.
 */
export function plainText(text: string, max: number, escapeMarkup = true): string {
  let s = text.replace(UNSAFE_RUN, ' ');
  if (s.length > max) s = s.slice(0, Math.max(0, max - 1)) + '…';
  if (escapeMarkup) s = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return s;
}
