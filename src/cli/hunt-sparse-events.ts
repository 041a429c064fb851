import type { EcsEvent } from '../ecs/ecs-event.js';
import type { LineScan } from '../ecs/event-reader.js';
import type { LineProjector } from '../eql/line-projector.js';

/**
 * Sparse events for `vigil hunt`: a line the prefilter selects is read by a `LineProjector` into an object
 * holding only the fields the query reads, with its raw line attached under a symbol (invisible to field
 * getters, `Object.values` and `JSON.stringify`). The filters, keys, time and matcher run on the sparse
 * object; the few events printed are parsed in full from the line (`fullEvent`), with `JSON.parse` on the
 * same text as without projection, so the output is the same.
 */
const SOURCE = Symbol('vigil.hunt.line');

interface Source {
  buf: Buffer;
  s: number;
  e: number;
}

type Sparse = EcsEvent & { [SOURCE]?: Source };

/** The reader's `scan` for a projector: projected events carry a view of their line (copied by `retainLine`). */
export function sparseScan(projector: LineProjector): LineScan {
  return {
    valid: (buf, s, e) => projector.valid(buf, s, e),
    project: (buf, s, e) => {
      const event = projector.project(buf, s, e) as Sparse | null;
      if (event !== null) Object.defineProperty(event, SOURCE, { value: { buf, s, e }, writable: true });
      return event;
    },
  };
}

/** An event kept past its input chunk: its line is copied, so the chunk (1 MiB) can be freed. */
export function retainLine(event: EcsEvent): void {
  const src = (event as Sparse)[SOURCE];
  if (src === undefined || (src.s === 0 && src.e === src.buf.length)) return;
  const copy = Buffer.allocUnsafe(src.e - src.s);
  src.buf.copy(copy, 0, src.s, src.e);
  (event as Sparse)[SOURCE] = { buf: copy, s: 0, e: copy.length };
}

/** The whole event: a sparse one parsed in full from its line, any other as is. */
export function fullEvent(event: EcsEvent): EcsEvent {
  const src = (event as Sparse)[SOURCE];
  return src === undefined ? event : (JSON.parse(src.buf.toString('utf8', src.s, src.e)) as EcsEvent);
}
