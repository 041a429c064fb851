/**
 * Splits `/proc/<pid>/cmdline` (NUL-separated argv, usually NUL-terminated) into arguments. Kernel threads and
 * zombies have an empty cmdline: that gives `[]`. A process that rewrote its argv into one space-joined string
 * (no NULs) gives one element, as the kernel shows it.
 */
export function parseCmdline(buf: Buffer | string): string[] {
  const text = typeof buf === 'string' ? buf : buf.toString('utf8');
  if (text.length === 0) return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
