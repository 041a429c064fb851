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

/** The ECS version the normalizer writes (`ecs.version`). */
const ECS_VERSION = '8.17.0';

/**
 * The `ecs` object of every document the normalizer builds (shared, frozen), and the mark of such a document:
 * all its keys are single segments (no literal dotted key such as `"process.name"` anywhere), so a field
 * absent on the nested path is absent, and field-getter.ts skips its general walk (only arrays of objects still
 * take it). A recorded or parsed document never holds this very object.
 */
export const NORMALIZED_ECS: Readonly<{ version: string }> = Object.freeze({ version: ECS_VERSION });

/** The platforms Vigil collects on, as ECS `host.os.type` spells them. */
export const OS_TYPES = ['linux', 'macos', 'windows'] as const;
export type OsType = (typeof OS_TYPES)[number];
