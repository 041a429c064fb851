/**
 * Untrusted text (command lines, paths: chosen by whoever ran them) made safe for a terminal: C0/C1 control
 * characters, DEL, line/paragraph separators and bidirectional overrides become visible escapes (`\x1b`,
 * `\u202e`), so an escape sequence can neither drive the terminal nor hide or reorder what is shown.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
