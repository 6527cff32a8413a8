/**
 * The build's generated CommonJS modules (compiled refusal tables and validators, some hundreds of
 * kilobytes) loaded with V8's code cache, which the build saves beside each after a run of the
 * commands (scripts/code-cache.js): Node's require would compile them again on every run.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

export type CodeCacheUse = 'used' | 'rejected' | 'none';

interface Loaded {
  exports: unknown;
  script: vm.Script;
  codeCache: CodeCacheUse;
}
const loaded = new Map<string, Loaded>();

export const codeCacheFileOf = (file: string): string => `${file}.codecache`;

function modified(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Runs a generated module as require() would (once per file), given its code cache when that was
 * saved after the module was written; V8 itself refuses a cache made for other source or by
 * another V8, and the module then compiles as usual.
 */
export function requireGenerated(file: string): unknown {
  const known = loaded.get(file);
  if (known) return known.exports;
  const source = readFileSync(file, 'utf8');
  const cacheFile = codeCacheFileOf(file);
  const cachedAt = modified(cacheFile);
  const cachedData = cachedAt !== undefined && cachedAt >= modified(file)! ? readFileSync(cacheFile) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const codeCache: CodeCacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  loaded.set(file, { exports: module.exports, script, codeCache });
  return module.exports;
}

/** What became of each generated module's code cache so far. */
export function generatedCodeCaches(): Record<string, CodeCacheUse> {
  return Object.fromEntries([...loaded].map(([file, l]) => [file, l.codeCache]));
}

/**
 * Saves the code cache of every generated module loaded so far, with the functions compiled
 * since it loaded (for the build: run the commands first). Each is renamed into place, so that a
 * run never reads half of one. Returns the files written.
 */
export function saveCodeCaches(): string[] {
  return [...loaded].map(([file, l]) => {
    const target = codeCacheFileOf(file);
    const temporary = `${target}.${process.pid}`;
    writeFileSync(temporary, l.script.createCachedData());
    renameSync(temporary, target);
    return target;
  });
}
