import type { InstallPlan, UninstallPlan } from './install-plan.js';
import { commandLine } from './plan-executor.js';
import { stagedPath } from './staged-path.js';

const octal = (mode: number) => '0' + mode.toString(8);

function fileText(content: string | Uint8Array): string {
  if (typeof content === 'string') return content;
  const bytes = Buffer.from(content);
  // UTF-16LE with BOM (the Windows task XML): show it decoded.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return `(UTF-16LE with BOM, ${bytes.length} bytes)\n` + bytes.subarray(2).toString('utf16le');
  return bytes.toString('utf8');
}

/** What `vigil install --dry-run` prints: every command and every file in full, nothing done. */
export function formatInstallPlan(plan: InstallPlan, root: string | null): string {
  const lines: string[] = [`# vigil install (${plan.platform}) — dry run, nothing is changed`];
  const cmd = (c: { argv: readonly string[]; description: string; optional?: boolean }) =>
    `${root === null ? '$' : '# (not run under --root) $'} ${commandLine(plan.platform, c.argv)}\n    # ${c.description}${c.optional ? ' (failure tolerated)' : ''}`;
  if (plan.before.length > 0) lines.push('', '## commands before writing files', ...plan.before.map(cmd));
  if (plan.dirs.length > 0) {
    lines.push('', '## directories');
    for (const d of plan.dirs) lines.push(`mkdir ${stagedPath(root, d.path)} (mode ${octal(d.mode)}) # ${d.description}`);
  }
  lines.push('', '## files');
  for (const f of plan.files) {
    lines.push(`----- ${stagedPath(root, f.path)} (mode ${octal(f.mode)}) # ${f.description}${f.config ? '; kept if present' : ''}`);
    lines.push(fileText(f.content).replace(/\n$/, ''), `----- end ${f.path}`);
  }
  if (plan.links.length > 0) {
    lines.push('', root === null ? '## links (made by the enable commands below)' : '## links (made by vigil, as the enable commands would)');
    for (const l of plan.links) lines.push(`${stagedPath(root, l.path)} -> ${l.target} # ${l.description}`);
  }
  lines.push(`manifest: ${stagedPath(root, plan.manifestPath)} (what was created, for uninstall)`);
  if (plan.after.length > 0) lines.push('', '## commands after writing files', ...plan.after.map(cmd));
  if (plan.notes.length > 0) lines.push('', '## notes', ...plan.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

export function formatUninstallPlan(plan: UninstallPlan, root: string | null): string {
  const lines: string[] = [`# vigil uninstall (${plan.platform}) — dry run, nothing is changed`];
  const cmd = (c: { argv: readonly string[]; description: string }) => `${root === null ? '$' : '# (not run under --root) $'} ${commandLine(plan.platform, c.argv)}\n    # ${c.description}`;
  if (plan.before.length > 0) lines.push('', '## commands first', ...plan.before.map(cmd));
  lines.push('', '## removed (those the install manifest lists; config only when unchanged)');
  for (const path of [...plan.links, ...plan.files, plan.manifestPath]) lines.push(`rm ${stagedPath(root, path)}`);
  lines.push('then: directories the install created, when empty');
  if (plan.after.length > 0) lines.push('', '## commands last', ...plan.after.map(cmd));
  if (plan.notes.length > 0) lines.push('', '## notes', ...plan.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}
