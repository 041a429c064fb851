/** What the helper says about itself when it starts (the hello frame). */
export interface EbpfHelperHello {
  /** CLOCK_REALTIME - CLOCK_BOOTTIME in ms, read once by the helper: adds to kernel boot-time stamps. */
  readonly bootToEpochMs: number;
  readonly ringBytes: number;
  readonly drainMs: number;
  readonly clkTck: number;
  readonly helperPid: number;
}

/** The helper's periodic counters (cumulative since that helper process started). */
export interface EbpfHelperStats {
  /** Records the kernel could not put in the ring buffer (full). */
  readonly lost: number;
  readonly records: number;
  readonly writeNs: number;
}
