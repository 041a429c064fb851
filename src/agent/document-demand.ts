import type { Platform, RawEventKind } from '../collectors/raw-event.js';
import { PLATFORM_EVENT_SHAPES, type EventShape } from '../normalize/event-shapes.js';
import type { RuleSet } from '../rules/rule-set.js';

/**
 * Which raw events need their ECS document built: all of them when an output logs every event, else those of
 * a kind some loaded rule can match. The rule index dispatches on event.category, event.action and
 * event.type only, which each kind fixes per platform (event-shapes.ts), so one lookup per (platform, kind)
 * decides for good. The others only keep the process cache in step (Normalizer.track): no rule could ever see
 * their documents, so leaving them unbuilt changes nothing a rule or an alert sees.
 */
export class DocumentDemand {
  readonly #ruleSet: RuleSet;
  readonly #all: boolean;
  readonly #memo: Partial<Record<Platform, Partial<Record<RawEventKind, boolean>>>> = {};

  constructor(ruleSet: RuleSet, options: { readonly logsEveryEvent: boolean }) {
    this.#ruleSet = ruleSet;
    this.#all = options.logsEveryEvent;
  }

  wants(platform: Platform, kind: RawEventKind): boolean {
    if (this.#all) return true;
    const memo = (this.#memo[platform] ??= {});
    let wanted = memo[kind];
    if (wanted === undefined) {
      // a kind without one fixed shape (or none known) is never skipped: its document may matter in ways this cannot tell
      const shape = (PLATFORM_EVENT_SHAPES[platform] as Partial<Record<RawEventKind, EventShape>> | undefined)?.[kind];
      wanted = shape === undefined || this.#ruleSet.candidates({ event: { category: [shape.category], action: shape.action, type: [shape.type] } }).stages.length > 0;
      memo[kind] = wanted;
    }
    return wanted;
  }
}
