import type { EcsEvent } from '../ecs/ecs-event.js';
import type { Platform, RawEvent, RawEventKind } from '../collectors/raw-event.js';
import type { DocumentProbe } from '../normalize/normalizer.js';
import { LITE_EVENT_FIELDS } from '../normalize/normalizer.js';
import { FILE_SHAPES, PLATFORM_EVENT_SHAPES, type EventShape } from '../normalize/event-shapes.js';
import { rememberedGate, type StageGate } from '../eql/stage-gate.js';
import type { LoadedRule } from '../rules/loaded-rule.js';
import type { RuleSet } from '../rules/rule-set.js';

/** Raw kinds whose partial document (process.* and the rest, Normalizer.processDoc) a probe may test. */
const PROCESS_KINDS: ReadonlySet<RawEventKind> = new Set(['exec', 'fork', 'exit']);

/** Whether a field is in the probe's partial document, with the value the whole document would give it. */
function inLiteDocument(field: string): boolean {
  return field.startsWith('process.') || field.startsWith('user.') || field.startsWith('group.') || LITE_EVENT_FIELDS.has(field);
}

export interface DocumentDemandOptions {
  /** An output writes every event: every document is built. */
  readonly logsEveryEvent: boolean;
  /**
   * The engine's per-rule budget (ms, 0: none): a probe that takes longer lets its document through, so the
   * engine meets the slow rule, times it and may disable it, as without the probe.
   */
  readonly ruleBudgetMs?: number;
  /** Rules the engine disabled (over the budget): the probe skips them as the engine does. */
  readonly disabled?: (rule: LoadedRule) => boolean;
}

const NOTHING_WANTED: DocumentProbe = { gateOpen: () => false, accepts: () => false };

/**
 * Whether any of the stages' gates is open, remembered per combination of the values of all the fields they
 * read; null when a stage has no gate (it must always be asked).
 */
function combinedGate(gates: ReadonlyArray<StageGate | null>): ((e: EcsEvent) => boolean | undefined) | null {
  if (gates.some((g) => g === null)) return null;
  const all = gates as readonly StageGate[];
  const fields = [...new Set(all.flatMap((g) => g.fields))].sort();
  return rememberedGate(fields, (e) => all.some((g) => g.test(e)));
}

/**
 * Which raw events need their ECS document built: all of them when an output logs every event, else those of
 * a kind some loaded rule can match. The rule index dispatches on event.category, event.action and
 * event.type only, which each kind fixes per platform (event-shapes.ts), so one lookup per (platform, kind)
 * decides for good. The others only keep the process cache in step (Normalizer.track): no rule could ever see
 * their documents, so leaving them unbuilt changes nothing a rule or an alert sees.
 *
 * Within a wanted kind, `probe` goes one event further. When every stage that can see the event has a gate
 * (a necessary condition on the process's and its parent's names and paths and the AI-agent tag: stage-gate.ts),
 * the normalizer first asks them all at once on a view of those few fields, and builds nothing more when none
 * is open. For process events, when every such stage reads only fields of the event's process, user and
 * shape, it then runs their filters on that part of the document and builds the rest only when one holds. A
 * document no filter can accept is one no rule, sequence or `until` would ever act on.
 */
export class DocumentDemand {
  readonly #ruleSet: RuleSet;
  readonly #all: boolean;
  readonly #memo: Partial<Record<Platform, Partial<Record<RawEventKind, boolean>>>> = {};
  /** Per platform: per raw kind (a file event: per action), its probe. */
  readonly #probes: Partial<Record<Platform, Map<string, DocumentProbe | null>>> = {};

  readonly #budgetMs: number;
  readonly #disabled: (rule: LoadedRule) => boolean;

  constructor(ruleSet: RuleSet, options: DocumentDemandOptions) {
    this.#ruleSet = ruleSet;
    this.#all = options.logsEveryEvent;
    this.#budgetMs = options.ruleBudgetMs ?? 0;
    this.#disabled = options.disabled ?? (() => false);
  }

  #shape(platform: Platform, kind: RawEventKind): EventShape | undefined {
    return (PLATFORM_EVENT_SHAPES[platform] as Partial<Record<RawEventKind, EventShape>> | undefined)?.[kind];
  }

  #stages(shape: EventShape) {
    return this.#ruleSet.candidates({ event: { category: [shape.category], action: shape.action, type: [shape.type] } }).stages;
  }

  wants(platform: Platform, kind: RawEventKind): boolean {
    if (this.#all) return true;
    const memo = (this.#memo[platform] ??= {});
    let wanted = memo[kind];
    if (wanted === undefined) {
      // a kind without one fixed shape (or none known) is never skipped: its document may matter in ways this cannot tell
      const shape = this.#shape(platform, kind);
      wanted = shape === undefined || this.#stages(shape).length > 0;
      memo[kind] = wanted;
    }
    return wanted;
  }

  /**
   * The tests a document of this raw event must pass before it is built (see the class comment), or null
   * when it is always built (every event is logged, or nothing can be decided early). `gateOpen` holds unless
   * every stage that can see the event has a gate; `accepts` (process kinds only) holds unless every such
   * stage reads only what the partial document has. A filter that throws, or a probe slower than the rule
   * budget, lets the document through: the engine then meets the same error or the same slow rule and
   * counts, times and disables it as it always has.
   */
  probe(raw: RawEvent): DocumentProbe | null {
    if (this.#all) return null;
    const key = raw.kind === 'file' ? `file:${raw.action}` : raw.kind;
    const memo = (this.#probes[raw.platform] ??= new Map());
    let probe = memo.get(key);
    if (probe === undefined) {
      const shape = raw.kind === 'file' ? FILE_SHAPES[raw.action] : this.#shape(raw.platform, raw.kind);
      probe = shape === undefined ? null : this.#build(shape, PROCESS_KINDS.has(raw.kind));
      memo.set(key, probe);
    }
    return probe;
  }

  #build(shape: EventShape, processKind: boolean): DocumentProbe | null {
    const stages = this.#stages(shape);
    // a file action no stage can see (its kind is wanted for the others): nothing to build
    if (stages.length === 0) return NOTHING_WANTED;
    const budget = this.#budgetMs;
    const disabled = this.#disabled;
    const overBudget = (t0: number): boolean => budget > 0 && performance.now() - t0 > budget;
    const anyGateOpen = combinedGate(stages.map((s) => s.stage.gate));
    const partialDecides = processKind && stages.every((s) => s.stage.fields.every(inLiteDocument));
    if (anyGateOpen === null && !partialDecides) return null;
    const filters = stages.map((s) => s.stage.filter);
    const rules = stages.map((s) => s.rule);
    return {
      // one remembered verdict for all the stages' gates: most events open none
      gateOpen: (view: EcsEvent): boolean => {
        if (anyGateOpen === null) return true;
        const t0 = budget > 0 ? performance.now() : 0;
        try {
          return anyGateOpen(view) !== false || overBudget(t0);
        } catch {
          return true; // the stages' own filters decide (and meet the same error where it matters)
        }
      },
      accepts: (partial: EcsEvent): boolean => {
        if (!partialDecides) return true;
        const t0 = budget > 0 ? performance.now() : 0;
        for (let i = 0; i < filters.length; i++) {
          if (disabled(rules[i]!)) continue;
          try {
            if (filters[i]!(partial)) return true;
          } catch {
            return true;
          }
        }
        return overBudget(t0);
      },
    };
  }
}
