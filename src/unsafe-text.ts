/**
 * The characters untrusted text (command lines, paths, host names) must not carry raw to a person's screen,
 * as a RegExp character-class body: C0 (U+0000-U+001F), DEL (U+007F), C1 (U+0080-U+009F), the line and
 * paragraph separators (U+2028, U+2029) and the bidirectional format controls (Unicode's Bidi_Control set:
 * U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which can reorder what is shown
 * (`invoice\u202efdp.exe` reads as `invoiceexe.pdf`). The terminal (cli/terminal-text.ts) shows them as escapes,
 * a desktop notification (notify/plain-text.ts) as spaces.
 */
export const UNSAFE_TEXT_CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
