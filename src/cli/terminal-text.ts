/**
 * Text for people's terminals. Events, alerts, journals and rule files carry attacker-controlled strings
 * (process args, host names, paths); printed raw, an ESC or C1 byte can retitle, clear or rewrite the reader's
 * terminal, and a bidirectional control can reorder what is shown (`evil\u202eexe.txt` reads as `evil` +
 * `txt.exe`). Every human-readable output (tables, trees, `show`, HTML pages, logs on a terminal, error
 * messages) goes through here; JSON output stays exact (JSON.stringify escapes C0 itself, and a JSON reader is
 * not a terminal).
 *
 * Escaped, as visible `\x1b` / `\u202e`: C0 (U+0000-U+001F), DEL (U+007F), C1 (U+0080-U+009F), the line and
 * paragraph separators (U+2028, U+2029) and the bidirectional format controls (Unicode's Bidi_Control set:
 * U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
 */

const UNSAFE = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const ANY_UNSAFE = new RegExp(`[${UNSAFE}]`, 'g');
// Newline and tab are kept where text spans lines (messages, `show`).
const UNSAFE_BUT_LAYOUT = new RegExp(`(?![\\n\\t])[${UNSAFE}]`, 'g');

const visible = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Escapes unsafe characters except newline and tab: for messages and multi-line text. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BUT_LAYOUT, visible);
}

/** One line with nothing hidden: every unsafe character escaped, newline and tab included (tree lines, labels). */
export function terminalLine(text: string): string {
  return text.replace(ANY_UNSAFE, visible);
}

/** One line for a table cell: tab, CR and LF become a space, every other unsafe character a visible escape. */
export function terminalCell(text: string): string {
  return text.replace(ANY_UNSAFE, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : visible(c)));
}

/** Writes `vigil <command>: <message>` on stderr, escaped. */
export function printError(command: string, message: string): void {
  process.stderr.write(terminalText(`vigil ${command}: ${message}`) + '\n');
}
