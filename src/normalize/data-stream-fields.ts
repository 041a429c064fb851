import type { EcsObject } from '../ecs/ecs-event.js';
import type { EventShape } from './event-shapes.js';

/**
 * The `data_stream.*` field set, as Defend's documents carry it: the data stream Elastic Agent writes them to
 * (`logs-endpoint.events.process-default`), so rules that filter on it match Vigil's documents too.
 */
export function dataStreamFields(shape: EventShape): EcsObject {
  return { type: 'logs', dataset: shape.dataset, namespace: 'default' };
}
