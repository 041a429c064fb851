import { OS_TYPES, type OsType } from '../ecs/ecs-event.js';

const OS_ALIASES: Readonly<Record<string, OsType>> = {
  linux: 'linux',
  macos: 'macos',
  darwin: 'macos',
  osx: 'macos',
  windows: 'windows',
  win32: 'windows',
};

/** `Linux`, `macOS`, `darwin`, `Windows`, ... as an ECS `host.os.type`, or null when unknown. */
export function normalizeOs(name: string): OsType | null {
  return OS_ALIASES[name.trim().toLowerCase()] ?? null;
}

/** The OS a detection-rules rule targets, from its `OS: Linux` style tags; undefined when it has none. */
export function osFromTags(tags: readonly string[]): OsType[] | undefined {
  const out = new Set<OsType>();
  for (const tag of tags) {
    const m = /^OS:\s*(.+)$/i.exec(tag);
    const os = m ? normalizeOs(m[1]!) : null;
    if (os) out.add(os);
  }
  return out.size > 0 ? OS_TYPES.filter((o) => out.has(o)) : undefined;
}

/** True when the rule declares no OS, or declares `os`. */
export function targetsOs(osList: readonly string[] | undefined, os: OsType): boolean {
  return osList === undefined || osList.length === 0 || osList.includes(os);
}
