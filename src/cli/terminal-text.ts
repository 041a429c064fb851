/**
 * Text for people's terminals. Events, alerts and rule files carry attacker-controlled strings (process args,
 * host names, paths); printed raw, an ESC or C1 byte can retitle, clear or rewrite the reader's terminal. Every
 * human-readable output (tables, `show`, logs on a terminal, error messages) goes through here; JSON output
 * stays exact (JSON.stringify escapes C0 itself, and a JSON reader is not a terminal).
 *
 * C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F) become visible escapes: `\x1b`, `\x7f`, `\x9b`.
 */

// Newline and tab are kept where text spans lines (messages, `show`); a table cell keeps neither.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROLS_AND_LAYOUT = /[\u0000-\u001f\u007f-\u009f]/g;

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Escapes control characters except newline and tab: for messages and multi-line text. */
export function terminalText(text: string): string {
  return text.replace(CONTROLS, hex);
}

/** One line for a table cell: tab, CR and LF become a space, every other control character a visible escape. */
export function terminalCell(text: string): string {
  return text.replace(CONTROLS_AND_LAYOUT, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : hex(c)));
}

/** Writes `vigil <command>: <message>` on stderr, escaped. */
export function printError(command: string, message: string): void {
  process.stderr.write(terminalText(`vigil ${command}: ${message}`) + '\n');
}
