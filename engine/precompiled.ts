/**
 * The bundled rules' fused verdict functions as a build generated them, written beside this
 * module: a run then starts without compiling the rules' findings to generate that code. Used
 * for the bundled rules alone, and only while neither they nor the modules that generate the
 * code changed since the build; otherwise the code is generated as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromPrecompiled, type Precompiled } from './codegen.js';
import type { CompiledCheck } from './compile.js';
import { MAX_FUSED_CHECKS, precompileFused } from './fuse.js';
import type { RuleTable } from './load.js';
import type { LevelTables } from './registry.js';

const FILE = new URL('./fused.json', import.meta.url);
// The modules whose code decides the generated code: how rules are read and composed, and the generators.
const GENERATORS = ['load', 'registry', 'compile', 'codegen', 'fuse', 'operators', 'paths', 'quantity', 'text'];

interface FusedFile {
  hash: string;
  lists: Record<string, Precompiled>;
}

type Fused = (pod: unknown) => number;

const origins = { build: 0, generated: 0 };

/** How many check lists' fused functions this process took from a build, and how many it generated. */
export function fusedOrigins(): { build: number; generated: number } {
  return { ...origins };
}

function generatedHash(rulesHash: string): string {
  const h = createHash('sha256').update(rulesHash);
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  for (const name of GENERATORS) h.update('\0').update(readFileSync(new URL(`./${name}${ext}`, import.meta.url)));
  return h.digest('hex');
}

/** A check list's name in the file: its checks' ids and revisions, in order. */
function listKey(checks: readonly CompiledCheck[]): string {
  return checks.map((c) => `${c.id}@${c.since}`).join(',');
}

/** Writes the fused functions of every level and version of the bundled rules (run after a build). */
export function writePrecompiledFused(table: RuleTable, levels: LevelTables): string {
  if (table.bundledHash === undefined) throw new Error('the bundled rules were not read from their cache: write it first');
  const lists: Record<string, Precompiled> = {};
  for (const list of [...levels.baseline, ...levels.restricted]) {
    const key = listKey(list);
    if (list.length === 0 || list.length > MAX_FUSED_CHECKS || lists[key]) continue;
    const code = precompileFused(list);
    if (!code) throw new Error(`the fused verdicts of ${key} use a constant that cannot be written`);
    lists[key] = code;
  }
  writeFileSync(FILE, JSON.stringify({ hash: generatedHash(table.bundledHash), lists } satisfies FusedFile));
  return fileURLToPath(FILE);
}

/**
 * The fused function a build wrote for a check list of these rules, or undefined (rules of the
 * user's, a stale or missing file: then the caller generates it). The file is read at the first call.
 */
export function precompiledFused(table: RuleTable): (checks: readonly CompiledCheck[]) => Fused | undefined {
  let lists: Record<string, Precompiled> | null | undefined;
  return (checks) => {
    if (table.bundledHash === undefined) {
      origins.generated++;
      return undefined;
    }
    if (lists === undefined) {
      lists = null;
      try {
        const file = JSON.parse(readFileSync(FILE, 'utf8')) as FusedFile;
        if (file.hash === generatedHash(table.bundledHash)) lists = file.lists;
      } catch {
        // No build (running from the sources), or an unreadable file: the code is generated.
      }
    }
    const code = lists?.[listKey(checks)];
    origins[code ? 'build' : 'generated']++;
    return code ? (fromPrecompiled(code) as Fused) : undefined;
  };
}
