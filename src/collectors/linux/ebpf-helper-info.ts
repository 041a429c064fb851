/** What the helper says about itself when it starts (the hello frame). */
export interface EbpfHelperHello {
  /** CLOCK_REALTIME - CLOCK_BOOTTIME in ms, read once by the helper: adds to kernel boot-time stamps. */
  readonly bootToEpochMs: number;
  readonly ringBytes: number;
  readonly drainMs: number;
  readonly clkTck: number;
  readonly helperPid: number;
  /** The file programs are attached (file telemetry on). */
  readonly files: boolean;
}

/** The helper's periodic counters (cumulative since that helper process started). */
export interface EbpfHelperStats {
  /** Records the kernel could not put in the ring buffer (full). */
  readonly lost: number;
  readonly records: number;
  readonly writeNs: number;
  /** File records among `lost` (creations, deletions, renames... the ring could not take). */
  readonly fileLost: number;
  /** Read-only opens that matched no sensitive key: dropped in the kernel, by design. */
  readonly openFiltered: number;
  /** Sensitive opens already reported for (process, file, access class). */
  readonly openDeduped: number;
  /** File events skipped in the kernel: pseudo filesystems, non-regular or unlinked files, excluded directories. */
  readonly fileSkipped: number;
}
