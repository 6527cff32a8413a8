/**
 * Locates the shared corpora (`../shared/conformance`, `../shared/realworld`) that sit next to
 * a checkout. A user's fresh clone has no such folder: tests that need it skip there, saying
 * why. Under CI (env CI set) they must run, so a missing folder fails loudly.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedPath(...parts: string[]): string {
  return join(projectRoot, '..', 'shared', ...parts);
}

/** Returns the folder, or a skip reason; throws under CI when it is missing. */
export function requireShared(...parts: string[]): { dir: string; skip: false } | { dir: undefined; skip: string } {
  const dir = sharedPath(...parts);
  if (existsSync(dir)) return { dir, skip: false };
  if (process.env.CI) throw new Error(`CI is set but ${dir} is missing: the shared corpus must be present in CI`);
  return { dir: undefined, skip: `${dir} is not present (it exists next to the project checkout in CI only)` };
}
