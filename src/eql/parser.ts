import { TIME_UNITS, TIME_UNIT_MS, type EventFilterNode, type Expr, type MaxspanNode, type PipeNode, type QueryNode, type StageNode, type TimeUnit } from './ast.js';
import { eqlErrorAt } from './eql-position.js';
import { ExpressionParser } from './expression-parser.js';
import { LEGACY_PIPES, unsupported } from './unsupported-features.js';

const MAX_RUNS = 100;

/** Parses a whole EQL statement (query plus pipes). Throws a positioned EqlError; does not type-check. */
export function parseQuery(text: string): QueryNode {
  return new QueryParser(text).statement();
}

/** Parses a lone expression (used by function fold tests and tooling). */
export function parseExpression(text: string): Expr {
  const p = new QueryParser(text);
  const e = p.expression();
  p.expectEnd();
  return e;
}

/** Statements: event queries, `sequence`, `sample`, pipes; stages, join keys, `with maxspan` / `with runs`. */
class QueryParser extends ExpressionParser {
  statement(): QueryNode {
    const first = this.peek();
    let query: QueryNode;
    if (this.isKw('sequence')) query = this.sequence();
    else if (this.isKw('sample')) query = this.sample();
    else if (this.isKw('join')) unsupported(this.text, 'join', first.start);
    else {
      const filter = this.eventFilter();
      query = { kind: 'event', filter, pipes: [], start: filter.start, end: filter.end };
    }
    const pipes = this.pipes();
    this.expectEnd();
    const end = pipes.length > 0 ? pipes[pipes.length - 1]!.end : query.end;
    return { ...query, pipes, end };
  }

  protected pipes(): PipeNode[] {
    const pipes: PipeNode[] = [];
    while (this.isOp('|')) {
      this.next();
      const name = this.peek();
      if (name.kind !== 'identifier') this.fail(`expected a pipe name, found ${this.describe(name)}`);
      this.next();
      if (name.value !== 'head' && name.value !== 'tail') {
        if ((LEGACY_PIPES as readonly string[]).includes(name.value)) unsupported(this.text, `| ${name.value}`, name.start);
        this.fail(`unknown pipe '${name.value}' (supported: head, tail)`, name, 'EQL_UNKNOWN_PIPE');
      }
      const num = this.peek();
      if (num.kind !== 'integer') this.fail(`'${name.value}' takes a positive integer, found ${this.describe(num)}`);
      this.next();
      const count = Number(num.value);
      if (!Number.isSafeInteger(count) || count <= 0) this.fail(`'${name.value}' takes a positive integer`, num);
      pipes.push({ kind: name.value, count, start: name.start, end: num.end });
    }
    return pipes;
  }

  protected eventFilter(): EventFilterNode {
    const t = this.peek();
    let category: string | null;
    let quoted = false;
    if (this.isKw('any')) category = null;
    else if (t.kind === 'identifier') category = t.value;
    else if (t.kind === 'string') {
      category = t.value;
      quoted = true;
    } else if (t.kind === 'quotedIdentifier') {
      category = t.value;
    } else this.fail(`expected an event category or 'any', found ${this.describe(t)}`);
    this.next();
    this.expectKw('where');
    const condition = this.expression();
    return { category, categoryQuoted: quoted, condition, start: t.start, end: condition.end };
  }

  protected joinKeys(): Expr[] {
    this.expectKw('by');
    const keys = [this.expression()];
    while (this.isOp(',')) {
      this.next();
      keys.push(this.expression());
    }
    return keys;
  }

  protected sequence(): QueryNode {
    const kw = this.next();
    let by: Expr[] = [];
    let maxspan: MaxspanNode | null = null;
    if (this.isKw('by')) {
      by = this.joinKeys();
      if (this.isKw('with')) maxspan = this.maxspan();
    } else if (this.isKw('with')) {
      maxspan = this.maxspan();
      if (this.isKw('by')) this.fail("specify the sequence's 'by' before 'with', not after");
    }
    const stages: StageNode[] = [];
    while (this.isOp('[') || this.isOp('![')) stages.push(this.stage(true));
    // `with runs=N` repeats a stage, so one stage with runs >= 2 is a sequence too (as in Elasticsearch). A
    // missing-event stage `![...] with runs=N` is repeated likewise: N placeholders in every result.
    const expanded = stages.reduce((n, s) => n + (s.runs ?? 1), 0);
    if (expanded < 2) this.fail(`a sequence needs at least 2 stages (counting runs), found ${expanded}`, this.peek());
    let until: StageNode | null = null;
    if (this.isKw('until')) {
      this.next();
      if (this.isOp('![')) this.fail("'until' cannot be a missing event");
      until = this.stage(true);
      if (until.runs !== null) this.fail("'until' does not take 'with runs'", this.tokens[this.pos - 1]);
    }
    if (stages.every((s) => s.missing)) this.fail('a sequence needs at least one stage that is not a missing event', kw);
    const last = until ?? stages[stages.length - 1]!;
    this.checkKeyCounts(by.length, stages, until);
    return { kind: 'sequence', by, maxspan, stages, until, pipes: [], start: kw.start, end: last.end };
  }

  protected sample(): QueryNode {
    const kw = this.next();
    const by = this.isKw('by') ? this.joinKeys() : [];
    const stages: StageNode[] = [];
    while (this.isOp('[')) stages.push(this.stage(false));
    if (this.isOp('![')) this.fail('a sample cannot have missing events');
    if (stages.length < 2) this.fail(`a sample needs at least 2 stages, found ${stages.length}`);
    this.checkKeyCounts(by.length, stages, null);
    return { kind: 'sample', by, stages, pipes: [], start: kw.start, end: stages[stages.length - 1]!.end };
  }

  protected checkKeyCounts(common: number, stages: readonly StageNode[], until: StageNode | null): void {
    const all = until === null ? stages : [...stages, until];
    const first = common + all[0]!.by.length;
    for (let i = 1; i < all.length; i++) {
      const n = common + all[i]!.by.length;
      if (n !== first) {
        throw eqlErrorAt(this.text, 'EQL_SYNTAX', `inconsistent number of join keys: ${first} for the first stage, ${n} for stage ${i + 1}`, all[i]!.start);
      }
    }
  }

  protected maxspan(): MaxspanNode {
    const w = this.next();
    const key = this.peek();
    if (!this.isKw('maxspan')) this.fail(`expected 'maxspan', found ${this.describe(key)}`);
    this.next();
    this.expectOp('=');
    const num = this.peek();
    if (num.kind !== 'integer' && num.kind !== 'decimal') this.fail(`expected a time span such as 30s, found ${this.describe(num)}`);
    this.next();
    const unitTok = this.peek();
    if (unitTok.kind !== 'identifier' || unitTok.start !== num.end) {
      this.fail(`time span is missing a unit: one of ${TIME_UNITS.join(', ')}`, unitTok);
    }
    if (!(TIME_UNITS as readonly string[]).includes(unitTok.value)) {
      this.fail(`unknown time unit '${unitTok.value}': use one of ${TIME_UNITS.join(', ')}`, unitTok);
    }
    this.next();
    const unit = unitTok.value as TimeUnit;
    const amount = Number(num.value);
    if (!Number.isFinite(amount) || amount < 0) this.fail('maxspan must be a non-negative number', num);
    return { amount, unit, ms: Math.round(amount * TIME_UNIT_MS[unit]), start: w.start, end: unitTok.end };
  }

  protected stage(allowRuns: boolean): StageNode {
    const open = this.next();
    const missing = open.value === '![';
    const filter = this.eventFilter();
    const close = this.expectOp(']', "']' to close the stage");
    if (this.peek().kind === 'identifier' && this.peek().value === 'as') unsupported(this.text, '[...] as <alias> (event back-references)', this.peek().start);
    const by = this.isKw('by') ? this.joinKeys() : [];
    let runs: number | null = null;
    let end = by.length > 0 ? by[by.length - 1]!.end : close.end;
    if (this.isKw('with') && !this.isKw('maxspan', 1)) {
      this.next();
      const key = this.peek();
      if (key.kind !== 'identifier' || key.value !== 'runs') this.fail(`expected 'runs', found ${this.describe(key)}`);
      if (!allowRuns) this.fail("'with runs' is only valid in a sequence", key);
      this.next();
      this.expectOp('=');
      const num = this.peek();
      if (num.kind !== 'integer') this.fail(`expected the number of runs, found ${this.describe(num)}`);
      this.next();
      runs = Number(num.value);
      if (runs < 1 || runs > MAX_RUNS) this.fail(`runs must be between 1 and ${MAX_RUNS}`, num);
      end = num.end;
    }
    return { filter, by, runs, missing, start: open.start, end };
  }
}
