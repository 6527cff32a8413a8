// The reader against the installed kubectl itself: generated manifests (YAML 1.1 scalars, quoting,
// escapes, block scalars, flow and block collections, anchors, merge keys, tags, odd keys,
// document markers, line ends, byte order marks, JSON) are read by
// `kubectl annotate --local -f FILE zz=1 -o json`, which decodes them as `kubectl apply` does,
// and by both readers; each document must have the same value, or be refused by both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type TAP } from 'tap';
import { parseManifests } from '../cli/manifest/read.js';
import { jsonStream, yamlStream, type GeneratedEntry } from './helpers/generated-yaml.js';
import { rng } from './helpers/random-pods.js';
import { kubectlMissing } from './helpers/shared.js';

const TWO_63 = 2 ** 63;

/** Where podsec's value differs from kubectl's (numbers as JSON gives them), or ''. */
function difference(k: unknown, v: unknown, path = ''): string {
  if (typeof k === 'number') {
    // Past int64, podsec keeps such numbers apart from 2^63 on purpose (README: "next double").
    if (k === v || (Math.abs(k) === TWO_63 && v === Math.sign(k) * (TWO_63 + 2048))) return '';
    return `${path}: kubectl ${k}, podsec ${JSON.stringify(v)}`;
  }
  if (k === null || typeof k !== 'object') return k === v ? '' : `${path}: kubectl ${JSON.stringify(k)}, podsec ${JSON.stringify(v)}`;
  if (Array.isArray(k) !== Array.isArray(v) || v === null || typeof v !== 'object') return `${path}: kubectl ${JSON.stringify(k)}, podsec ${JSON.stringify(v)}`;
  const kk = Object.keys(k).sort();
  const vk = Object.keys(v).sort();
  if (JSON.stringify(kk) !== JSON.stringify(vk)) return `${path}: keys ${JSON.stringify(kk)} (kubectl), ${JSON.stringify(vk)} (podsec)`;
  for (const key of kk) {
    const d = difference((k as Record<string, unknown>)[key], (v as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return '';
}

/**
 * Whether a difference lies under a key written twice in different spellings (`1` and `'1'`):
 * Go keeps one of them at random when it converts the map to JSON, podsec the last.
 */
function spelledTwice(text: string, d: string): boolean {
  const keys = parseManifests(text, 'k.yaml').errors.map((e) => /^key "(.*)" already set in map/.exec(e.message)?.[1]);
  return keys.some((k) => k !== undefined && (d.includes(`.${k}:`) || d.includes(`.${k}.`)));
}

/** kubectl prints each object as indented JSON, one after another. */
function objects(stdout: string): Record<string, any>[] {
  return stdout.split(/(?<=\n\})\n(?=\{)/).filter((s) => s.trim() !== '').map((s) => JSON.parse(s));
}

type Asserts = Pick<TAP, 'ok' | 'equal' | 'fail' | 'comment'>;

/**
 * Reads `entries` with kubectl (from the first entry on, again after each document it refuses,
 * which ends its reading) and compares each document with podsec's reading of the same text.
 */
function compareWithKubectl(t: Asserts, dir: string, entries: GeneratedEntry[], ext: string): { read: number; refused: number } {
  const file = join(dir, `in.${ext}`);
  let read = 0;
  let refused = 0;
  for (let start = 0; start < entries.length;) {
    const text = entries.slice(start).map((e) => e.text).join('');
    writeFileSync(file, text);
    const k = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'zz=1', '-o', 'json'], { encoding: 'utf8' });
    const printed = new Map<string, Record<string, any>>();
    for (const o of objects(k.stdout)) {
      delete o.metadata.annotations.zz;
      if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
      printed.set(o.metadata.name, o);
    }
    const readers = ([undefined, 'full'] as const).map((path) => {
      const r = parseManifests(text, file, { path, duplicateKeys: 'last' });
      return new Map(r.documents.map((d) => [(d.value as any)?.metadata?.name, d.value]));
    });
    let next = entries.length;
    let stopped = false;
    for (let i = start; i < entries.length; i++) {
      const e = entries[i];
      if (e.name === null) continue;
      const kv = printed.get(e.name);
      if (kv === undefined) {
        // kubectl stops at the first document it cannot read: podsec must refuse it too.
        next = i + 1;
        stopped = true;
        const alone = parseManifests(e.text, file, { duplicateKeys: 'last' });
        const full = parseManifests(e.text, file, { path: 'full', duplicateKeys: 'last' });
        refused++;
        if (alone.errors.length === 0 || full.errors.length === 0) {
          t.fail(`${e.name}: kubectl refuses it (${k.stderr.trim()}), podsec reads it: ${JSON.stringify(e.text)}`);
        }
        break;
      }
      read++;
      for (const [n, values] of readers.entries()) {
        const v = values.get(e.name);
        const d = v === undefined ? 'podsec reports an error' : difference(kv, v);
        if (d && !spelledTwice(e.text, d)) t.fail(`${e.name} (${n === 0 ? 'auto' : 'full'}): ${d}: ${JSON.stringify(e.text)}`);
      }
    }
    if (!stopped && k.status !== 0) t.fail(`kubectl failed after reading every document: ${k.stderr}: ${JSON.stringify(text)}`);
    start = next;
  }
  return { read, refused };
}

// Without kubectl (a user's machine may lack it) the test is skipped, saying why; CI has it.
const noKubectl = kubectlMissing();
t.test('generated manifests: podsec reads what kubectl reads, and refuses what it refuses', { skip: noKubectl ? `${noKubectl}: this test compares the reader with it` : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-kubectl-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const yaml = compareWithKubectl(t, dir, yamlStream(rng(20250301), 'y', 150, { settled: true }).entries, 'yaml');
  const json = compareWithKubectl(t, dir, jsonStream(rng(20250302), 'j', 60).entries, 'json');
  t.comment(`YAML: ${yaml.read} documents read, ${yaml.refused} refused; JSON: ${json.read} read, ${json.refused} refused`);
  t.ok(yaml.read > 30 && yaml.refused > 10, 'both readable and refused YAML documents');
  t.ok(json.read > 30, 'JSON documents');
});
