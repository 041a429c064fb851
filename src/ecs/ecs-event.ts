/**
 * The contract between the stages: an ECS document as Vigil emits and consumes it.
 *
 * Documents are plain JSON objects. Fields are nested (`{process: {pid: 1}}`) when Vigil builds them; recorded
 * documents may also use literal dotted keys (`{"process.pid": 1}`), and every reader goes through
 * `compileFieldGetter` (field-getter.ts), which resolves both.
 */
export type EcsScalar = string | number | boolean | null;
export type EcsValue = EcsScalar | EcsValue[] | EcsObject;
export interface EcsObject {
  [key: string]: EcsValue | undefined;
}
export type EcsEvent = EcsObject;

/** The platforms Vigil collects on, as ECS `host.os.type` spells them. */
export const OS_TYPES = ['linux', 'macos', 'windows'] as const;
export type OsType = (typeof OS_TYPES)[number];
