import type { EcsObject, EcsValue } from '../ecs/ecs-event.js';

/** Sets `obj[key] = value` unless value is undefined (ECS documents carry no undefined keys). */
export function setDefined(obj: EcsObject, key: string, value: EcsValue | undefined): void {
  if (value !== undefined) obj[key] = value;
}
