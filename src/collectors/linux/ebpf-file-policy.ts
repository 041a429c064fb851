import { kernelKeyHash, type SensitiveFilePolicy } from '../../sensitive-file-policy.js';

/** File telemetry options of the eBPF collector. */
export interface EbpfFileOptions {
  /** Which read-only opens are reported (its kernel keys go into the BPF maps; user space re-checks exactly). */
  readonly policy: SensitiveFilePolicy;
  /** Directories whose subtrees are never reported (resolved to inodes by the helper at start). */
  readonly excludePrefixes?: readonly string[];
}

/**
 * The policy file the helper reads (`--file-policy`, native/linux/src/file-policy.h): one key a line as the
 * BPF program hashes it, then the excluded directories.
 */
export function ebpfFilePolicyText(options: EbpfFileOptions): string {
  const lines = ['# vigil-ebpf file policy (written by the agent)'];
  for (const key of options.policy.kernelKeys().keys) {
    const hex = kernelKeyHash(key).toString(16);
    lines.push(key.kind === 'prefix' ? `prefix ${Buffer.byteLength(key.text, 'utf8')} ${hex}` : `${key.kind} ${hex}`);
  }
  for (const p of options.excludePrefixes ?? []) {
    if (p.includes('\n')) throw new RangeError(`excluded path with a newline: ${JSON.stringify(p)}`);
    lines.push(`exclude ${p}`);
  }
  return lines.join('\n') + '\n';
}
