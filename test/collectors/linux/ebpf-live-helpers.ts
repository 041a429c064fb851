// Shared by the live eBPF tests: waiting on a real child process, /proc/<pid>/stat, bpftool.
import { execFileSync, spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** Field 7: the controlling terminal's device, kernel-encoded; 0 when none. */
  readonly ttyNr: number;
  /** Field 22: start time in clock ticks since boot. */
  readonly startTicks: string;
}

/** Parses one /proc/<pid>/stat line (the comm may hold spaces and parentheses: split after the last ')'). */
export function parseStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): field N is rest[N - 3].
  return { pid: Number(line.slice(0, line.indexOf(' '))), ppid: Number(rest[1]), ttyNr: Number(rest[4]), startTicks: rest[19] ?? '' };
}

export function procStat(pid: number): ProcStat {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export interface RunResult {
  readonly pid: number;
  readonly code: number | null;
  readonly stdout: string;
}

/** Runs a command to completion without blocking the event loop (the collector keeps reading meanwhile). */
export function run(cmd: string, args: readonly string[], options: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'inherit'], ...options });
    let stdout = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (s: string) => (stdout += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid ?? -1, code, stdout }));
  });
}

export async function waitFor(what: string, pred: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Ids of the BPF programs a process holds open (from the `prog_id:` line of each fd's fdinfo). */
export function bpfProgramsOf(pid: number): number[] {
  const ids: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      const m = /^prog_id:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (m) ids.push(Number(m[1]));
    } catch {
      // fd closed meanwhile
    }
  }
  return ids;
}

/** Every BPF program loaded on the machine now (bpftool). */
export function bpfProgramIds(): Set<number> {
  const progs = JSON.parse(execFileSync('bpftool', ['prog', 'show', '-j'], { encoding: 'utf8' })) as Array<{ id: number }>;
  return new Set(progs.map((p) => p.id));
}
