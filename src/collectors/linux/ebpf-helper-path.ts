import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';

/** Where `npm run build:native` puts the eBPF helper: native/linux/build/vigil-ebpf under the package root. */
export function defaultHelperPath(): string {
  return join(packageRoot, 'native', 'linux', 'build', 'vigil-ebpf');
}
