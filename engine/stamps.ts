/**
 * Whether a build's generated file (the rules cache, generated code) still matches what it was made
 * from. The content hash decides; the size and modification time of each input, recorded when the
 * file was made, spare a run reading and hashing the inputs (and loading node:crypto, some
 * milliseconds of every start) while none of them changed, as git's index does for a work tree.
 * Anything that touches an input (an edit, a checkout, npm unpacking a package, which gives every
 * file one time) makes the stamps differ, and the hash is compared instead.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Each input's path, relative to a base folder -> [size in bytes, modification time in ms]. */
export type Stamps = Record<string, [number, number]>;

function stampOf(file: string): [number, number] | undefined {
  try {
    const st = statSync(file);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

/** The stamps of `names` (paths relative to `base`), for a generated file to record. */
export function stampsOf(base: string, names: readonly string[]): Stamps {
  const out: Stamps = {};
  for (const name of names) {
    const stamp = stampOf(join(base, name));
    if (stamp) out[name] = stamp;
  }
  return out;
}

/** Whether `names` are exactly the inputs `recorded` lists, each with the size and time recorded. */
export function stampsMatch(recorded: unknown, base: string, names: readonly string[]): boolean {
  if (typeof recorded !== 'object' || recorded === null) return false;
  const stamps = recorded as Stamps;
  if (Object.keys(stamps).length !== names.length) return false;
  for (const name of names) {
    const want = Object.hasOwn(stamps, name) ? stamps[name] : undefined;
    const now = stampOf(join(base, name));
    if (!Array.isArray(want) || !now || want[0] !== now[0] || want[1] !== now[1]) return false;
  }
  return true;
}

let crypto: typeof import('node:crypto') | undefined;

/** SHA-256 of the parts in order, in hex. node:crypto loads at the first call. */
export function sha256Hex(...parts: (string | Uint8Array)[]): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const h = crypto.createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest('hex');
}
