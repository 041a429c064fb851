import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { FRAME_VERSION } from './ebpf-layout.js';

const BTF_PATH = '/sys/kernel/btf/vmlinux';
const PROBE_TIMEOUT_MS = 20_000;

/** Why the eBPF helper cannot run here, or null when `helperPath --probe` loaded and attached it. */
export async function probeEbpf(helperPath: string): Promise<string | null> {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  const euid = process.geteuid?.() ?? -1;
  if (euid !== 0) return `not root (euid ${euid}): loading BPF programs needs root`;
  if (!existsSync(BTF_PATH)) return `no kernel BTF (${BTF_PATH} missing): CO-RE programs cannot load`;
  try {
    accessSync(helperPath, constants.X_OK);
  } catch {
    return `eBPF helper not built (${helperPath} missing or not executable): run npm run build:native`;
  }
  return new Promise((resolve) => {
    execFile(helperPath, ['--probe'], { timeout: PROBE_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error === null) {
        const version = /^ok (\d+)/.exec(String(stdout))?.[1];
        return resolve(
          version === String(FRAME_VERSION)
            ? null
            : `eBPF helper speaks frame version ${version ?? '?'}, the agent ${FRAME_VERSION}: rebuild it with npm run build:native`,
        );
      }
      const lines = String(stderr).trim().split('\n').filter((l) => l.startsWith('vigil-ebpf:'));
      const why = lines.at(-1) ?? String(stderr).trim().split('\n').at(-1) ?? error.message;
      resolve(`eBPF helper failed to load: ${why || error.message}`);
    });
  });
}
