/** Listing the files under a directory, as kubectl -R picks manifests (by extension, links followed once). */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

// As kubectl picks files in a directory: by extension, which is case-sensitive.
const EXTENSIONS = /\.(ya?ml|json)$/;

export interface Listing {
  files: string[];
  /** Directories below the one given that could not be listed; their neighbours still are. */
  unlisted: { dir: string; err: unknown }[];
  /** Real paths of the directories listed: a symlink back to one of them is not followed again. */
  seen: Set<string>;
  /** Manifest files and directories that `--exclude` left out. */
  excluded: number;
  /** Pipes, sockets and devices with a manifest's name: not read, as reading one may never end. */
  special: { path: string; what: string }[];
}

export type ReadDir = (dir: string) => import('node:fs').Dirent[];
export const readDirEntries: ReadDir = (dir) => readdirSync(dir, { withFileTypes: true });

/** `--exclude` for a walk: whether an entry (path, name, directory or not) is left out. */
export interface ExcludeTest {
  /** `real`: the entry's path with its directory's symbolic links resolved. */
  matches(path: string, name: string, isDir: boolean, real: string): boolean;
  /** Whether some pattern has matched nothing yet: the walk then looks into the directories left out too. */
  pending(): boolean;
}

function specialKind(e: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string | undefined {
  return e.isFIFO() ? 'named pipe' : e.isSocket() ? 'socket' : e.isCharacterDevice() || e.isBlockDevice() ? 'device' : undefined;
}

/** The manifest files under a directory, in name order, and the directories that could not be listed. */
/** `extensions`: the names listed (kubectl's manifest extensions unless told otherwise). */
export function listManifestFiles(dir: string, readdir: ReadDir = readDirEntries, excluded?: ExcludeTest, extensions: RegExp = EXTENSIONS): Listing {
  const listing: Listing = { files: [], unlisted: [], seen: new Set(), excluded: 0, special: [] };
  listDir(dir, listing, readdir, excluded, extensions, false);
  return listing;
}

/**
 * `leftOut`: inside a directory `--exclude` left out, walked only so that the patterns that
 * match something there are not taken for mistyped ones; nothing in it is listed.
 */
function listDir(dir: string, listing: Listing, readdir: ReadDir, excluded: ExcludeTest | undefined, extensions: RegExp, leftOut: boolean, seenLeftOut = new Set<string>(), realDir?: string): void {
  // A directory reached through no link is where its parent really is: resolving each one again
  // would cost a deep tree time in its depth squared.
  let real: string;
  try {
    real = realDir ?? realpathSync(dir);
  } catch (err) {
    if (!leftOut) listing.unlisted.push({ dir, err });
    return;
  }
  const seen = leftOut ? seenLeftOut : listing.seen;
  if (seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = readdir(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    if (!leftOut) listing.unlisted.push({ dir, err });
    return;
  }
  for (const e of entries) {
    // Hidden entries, and the packages of a Node.js project, hold no manifests of the user's.
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    const realPath = join(real, e.name);
    const linked = e.isSymbolicLink();
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    let special = specialKind(e);
    if (linked) {
      try {
        const st = statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
        special = specialKind(st);
      } catch {
        isFile = true; // reported as unreadable below
      }
    }
    if (!isDir && !isFile && special && extensions.test(e.name) && !leftOut && !excluded?.matches(p, e.name, false, realPath)) {
      listing.special.push({ path: p, what: special });
      continue;
    }
    if (!isDir && !(isFile && extensions.test(e.name))) continue;
    const realBelow = linked ? undefined : realPath;
    if (leftOut) {
      excluded!.matches(p, e.name, isDir, realPath);
      if (isDir && excluded!.pending()) listDir(p, listing, readdir, excluded, extensions, true, seenLeftOut, realBelow);
      continue;
    }
    if (excluded?.matches(p, e.name, isDir, realPath)) {
      listing.excluded++;
      if (isDir && excluded.pending()) listDir(p, listing, readdir, excluded, extensions, true, seenLeftOut, realBelow);
      continue;
    }
    if (isDir) listDir(p, listing, readdir, excluded, extensions, false, seenLeftOut, realBelow);
    else listing.files.push(p);
  }
}
