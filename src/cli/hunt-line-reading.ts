import type { EventReaderOptions, LineScan } from '../ecs/event-reader.js';
import type { CompiledQuery } from '../eql/index.js';
import { compileLinePrefilter } from '../eql/line-prefilter.js';
import { LineProjector } from '../eql/line-projector.js';
import { nativeLineScan } from '../eql/native-line-scan.js';
import { sparseScan } from './hunt-sparse-events.js';

export interface LineReadingOptions {
  readonly query: string;
  readonly categoryField: string;
  readonly timestampField: string;
  readonly tiebreakerField?: string;
  /** False for `--no-prefilter`: every line parsed in full (the reference the differential tests compare with). */
  readonly prefilter: boolean;
  /** False: the JavaScript checks even where the C line scanner is built (tests compare both). Default true. */
  readonly nativeScan?: boolean;
}

/**
 * How `vigil hunt` reads its lines, the same on the main thread and in its parse workers: a projector for the
 * fields the query reads (lines the prefilter passes over are only checked, the others projected), and the
 * prefilter when it is cheap. `--no-prefilter`: neither, every line parsed.
 */
export function huntLineReading(query: CompiledQuery, o: LineReadingOptions): Pick<EventReaderOptions, 'select' | 'scan'> {
  if (!o.prefilter) return {};
  const projector = LineProjector.forFields(projectedFields(query, o));
  const native = o.nativeScan === false ? null : nativeLineScan();
  const prefilter = compileLinePrefilter(o.query, { categoryField: o.categoryField, timestampField: o.timestampField, cheap: projector !== null, native });
  return {
    ...(prefilter === null ? {} : { select: (run, out) => prefilter.select(run, out) }),
    ...(projector === null ? {} : { scan: sparseScan(projector, native) }),
  };
}

/** A scan projecting only `fields` (a first, cheaper read of a line), or null without a prefilter or a projector. */
export function fieldsLineScan(fields: readonly string[] | null, o: LineReadingOptions): LineScan | null {
  if (!o.prefilter || fields === null) return null;
  const projector = LineProjector.forFields(fields);
  return projector === null ? null : sparseScan(projector, o.nativeScan === false ? null : nativeLineScan());
}

/** Every field a projected event must hold: what the query reads, time, tiebreaker, and the matcher's owner. */
function projectedFields(query: CompiledQuery, o: LineReadingOptions): string[] {
  const fields = [...query.fields, o.categoryField, o.timestampField, 'user.id'];
  if (o.tiebreakerField !== undefined) fields.push(o.tiebreakerField);
  return fields;
}
