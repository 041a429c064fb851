import type { EcsObject } from '../ecs/ecs-event.js';
import type { EventShape } from './event-shapes.js';

/**
 * The `data_stream.*` field set, as Defend's documents carry it: the data stream Elastic Agent writes them to
 * (`logs-endpoint.events.process-default`), so rules that filter on it match Vigil's documents too.
 */
export function dataStreamFields(shape: EventShape): EcsObject {
  let fields = BY_DATASET.get(shape.dataset);
  if (fields === undefined) BY_DATASET.set(shape.dataset, (fields = Object.freeze({ type: 'logs', dataset: shape.dataset, namespace: 'default' })));
  return fields;
}

/** One frozen set per dataset, shared by its documents (a handful of datasets: bounded by the shape tables). */
const BY_DATASET = new Map<string, EcsObject>();
