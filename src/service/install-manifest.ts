import { readFileSync } from 'node:fs';
import type { ServicePlatform } from './install-plan.js';
import { ServiceError } from './service-error.js';

export const MANIFEST_SCHEMA = 1;

export interface ManifestFile {
  /** Target path (not staged). */
  readonly path: string;
  readonly sha256: string;
  readonly config?: boolean;
  /** Base64 of a file that existed at this path before the first install; restored on uninstall. */
  readonly previous?: string;
}

/**
 * What an install created, so uninstall removes exactly that (and restores what it replaced). Written next to
 * the service config (e.g. /etc/vigil/install-manifest.json).
 */
export interface InstallManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly platform: ServicePlatform;
  readonly version: string;
  readonly installedAt: string;
  /** Directories the install created, parents first (removed on uninstall when empty). */
  readonly dirs: readonly string[];
  readonly files: readonly ManifestFile[];
  readonly links: readonly { readonly path: string; readonly target: string }[];
}

/** Null when absent; a ServiceError when present but unreadable. */
export function readManifest(stagedFile: string): InstallManifest | null {
  let text: string;
  try {
    text = readFileSync(stagedFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ServiceError('SVC_BAD_MANIFEST', `cannot read ${stagedFile}: ${(err as Error).message}`);
  }
  let doc: Partial<InstallManifest>;
  try {
    doc = JSON.parse(text) as Partial<InstallManifest>;
  } catch (err) {
    throw new ServiceError('SVC_BAD_MANIFEST', `${stagedFile} is not JSON: ${(err as Error).message}`);
  }
  if (doc.schema !== MANIFEST_SCHEMA || !Array.isArray(doc.dirs) || !Array.isArray(doc.files) || !Array.isArray(doc.links)) {
    throw new ServiceError('SVC_BAD_MANIFEST', `${stagedFile}: unknown manifest shape (schema ${JSON.stringify(doc.schema)})`);
  }
  return doc as InstallManifest;
}
