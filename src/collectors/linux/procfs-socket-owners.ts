import { readdirSync, readlinkSync } from 'node:fs';

export interface SocketOwnerScan {
  /** socket inode -> owning pid (the first one found when several processes share the socket). */
  readonly owners: Map<number, number>;
  /** Processes whose fd directory could not be read (gone, or another user's when unprivileged). */
  readonly unreadable: number;
  readonly fds: number;
}

/**
 * Maps socket inodes to pids by reading the `socket:[INODE]` links in `/proc/<pid>/fd`. Only inodes in
 * `wanted` are recorded (the caller asks for the ones it cannot attribute yet), and the scan stops early
 * once all of them are found.
 */
export function scanSocketOwners(procRoot: string, pids: Iterable<number>, wanted: ReadonlySet<number>): SocketOwnerScan {
  const owners = new Map<number, number>();
  let unreadable = 0;
  let fds = 0;
  for (const pid of pids) {
    if (owners.size >= wanted.size) break;
    const dir = `${procRoot}/${pid}/fd`;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      unreadable++;
      continue;
    }
    for (const name of names) {
      fds++;
      let link: string;
      try {
        link = readlinkSync(`${dir}/${name}`);
      } catch {
        continue;
      }
      if (!link.startsWith('socket:[')) continue;
      const inode = Number(link.slice(8, -1));
      if (wanted.has(inode) && !owners.has(inode)) owners.set(inode, pid);
    }
  }
  return { owners, unreadable, fds };
}
