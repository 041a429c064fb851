/**
 * What `vigil install` / `vigil uninstall` do, as data: files to write, links `systemctl enable` would make,
 * and system commands. The per-platform planners build it (systemd-plan.ts, launchd-plan.ts,
 * windows-plan.ts); plan-executor.ts prints it (--dry-run), applies it to a staging root (--root: files and
 * links only, no command) or to the live system.
 */
export const SERVICE_PLATFORMS = ['linux', 'macos', 'windows'] as const;
export type ServicePlatform = (typeof SERVICE_PLATFORMS)[number];

export interface PlannedFile {
  /** Absolute path on the target system (POSIX, or `C:\...` on Windows). */
  readonly path: string;
  readonly content: string | Uint8Array;
  readonly mode: number;
  readonly description: string;
  /** An admin may edit it: never overwritten when present, removed on uninstall only if unchanged. */
  readonly config?: boolean;
}

/** A directory the service needs that nothing else creates (kept on uninstall unless empty). */
export interface PlannedDir {
  readonly path: string;
  readonly mode: number;
  readonly description: string;
}

/** A symlink the platform's enable command creates; written by Vigil itself only under --root. */
export interface PlannedLink {
  readonly path: string;
  readonly target: string;
  readonly description: string;
}

export interface PlannedCommand {
  readonly argv: readonly string[];
  readonly description: string;
  /** A failure does not stop the install (e.g. starting a unit on a machine without a running systemd). */
  readonly optional?: boolean;
}

export interface InstallPlan {
  readonly platform: ServicePlatform;
  /** Commands before files are written (create the group). */
  readonly before: readonly PlannedCommand[];
  readonly dirs: readonly PlannedDir[];
  readonly files: readonly PlannedFile[];
  readonly links: readonly PlannedLink[];
  /** Commands after the files exist (reload, enable, start). They also create `links` on a live system. */
  readonly after: readonly PlannedCommand[];
  /** Where the manifest of what was created goes (uninstall reads it). */
  readonly manifestPath: string;
  readonly notes: readonly string[];
}

export interface UninstallPlan {
  readonly platform: ServicePlatform;
  /** Stop and disable (they also remove `links` on a live system). */
  readonly before: readonly PlannedCommand[];
  readonly files: readonly string[];
  readonly links: readonly string[];
  readonly after: readonly PlannedCommand[];
  readonly manifestPath: string;
  readonly notes: readonly string[];
}
