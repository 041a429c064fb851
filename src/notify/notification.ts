/** Desktop notification urgencies (the freedesktop spec's levels). */
export const URGENCIES = ['low', 'normal', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** One desktop notification, already formatted: plain text, no markup. */
export interface Notification {
  readonly title: string;
  readonly body: string;
  readonly urgency: Urgency;
}
