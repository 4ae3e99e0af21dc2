import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Where a build of the web app records the files it was made from: beside `web/dist`, not in
 * it (the server serves that folder to anyone), and ignored by git.
 */
export const BUILD_INPUTS = join(import.meta.dirname, 'dist.inputs.json');

/** The repository's root: the recorded paths are relative to it. */
const ROOT = join(import.meta.dirname, '..');

/**
 * Records every module the build read (sources, shared schemas, dependencies), the config and
 * the lockfile, so the browser tests can tell whether `web/dist` is still what a build of the
 * tree would make (see `webBuildIsCurrent`) instead of building it again on every run.
 */
export function recordBuildInputs(): Plugin {
  return {
    name: 'redress-record-build-inputs',
    apply: 'build',
    generateBundle() {
      const modules = [...this.getModuleIds()]
        .map((id) => id.split('?')[0] ?? id)
        .filter((id) => isAbsolute(id));
      const files = [
        ...new Set([
          ...modules,
          join(import.meta.dirname, 'vite.config.ts'),
          join(ROOT, 'package-lock.json'),
        ]),
      ];
      writeFileSync(BUILD_INPUTS, JSON.stringify({ files: files.map((f) => relative(ROOT, f)) }));
    },
  };
}

/**
 * True when `web/dist` holds a build that recorded its inputs and none of them changed (or went)
 * since: every file is older than the record. A file newly imported shows as a change to the file
 * that imports it.
 */
export function webBuildIsCurrent(distIndex: string): boolean {
  try {
    const builtAt = Math.min(statSync(BUILD_INPUTS).mtimeMs, statSync(distIndex).mtimeMs);
    const { files } = JSON.parse(readFileSync(BUILD_INPUTS, 'utf8')) as { files: string[] };
    return files.length > 0 && files.every((file) => statSync(join(ROOT, file)).mtimeMs < builtAt);
  } catch {
    return false;
  }
}
