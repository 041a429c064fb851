/**
 * Makes untrusted text (command lines, paths: attacker-chosen) safe to show: control characters become
 * spaces, markup characters are escaped (notification servers may render body markup), and the text is cut
 * to `max` characters with an ellipsis.
 */
export function plainText(text: string, max: number, escapeMarkup = true): string {
  let s = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  if (s.length > max) s = s.slice(0, Math.max(0, max - 1)) + '…';
  if (escapeMarkup) s = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return s;
}
