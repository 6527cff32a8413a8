/** Generated modules run with the V8 code cache the build saves beside them (engine/code-cache.ts). */
import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { codeCacheFileOf, generatedCodeCaches, requireGenerated, saveCodeCaches } from '../engine/code-cache.js';
import { ensureBuilt, projectRoot } from './helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'podsec-code-cache-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const moduleText = (answer: number) => `'use strict';\nconst { basename } = require('node:path');\nexports.answer = () => ${answer};\nexports.name = basename(__filename);\n`;
const setTime = (file: string, seconds: number) => utimesSync(file, seconds, seconds);
type Generated = { answer: () => number; name: string };

t.test('a generated module runs as require() runs it, once per file', async (t) => {
  const file = join(dir, 'once.cjs');
  writeFileSync(file, moduleText(1));
  const first = requireGenerated(file) as Generated;
  t.equal(first.answer(), 1);
  t.equal(first.name, 'once.cjs', '__filename and require are the module\'s own');
  t.equal(requireGenerated(file), first, 'a second load gives the same exports');
  t.equal(generatedCodeCaches()[file], 'none', 'no cache saved yet');
});

t.test('the cache is used when saved after the module, and as far as V8 accepts it', async (t) => {
  const original = join(dir, 'original.cjs');
  writeFileSync(original, moduleText(7));
  (requireGenerated(original) as Generated).answer();
  t.ok(saveCodeCaches().includes(codeCacheFileOf(original)), 'saved beside the module');
  // A copy of module and cache per case: each file loads once per process.
  const scenario = (name: string, moduleTime: number, cacheTime: number, text = moduleText(7), cache?: Buffer) => {
    const file = join(dir, `${name}.cjs`);
    writeFileSync(file, text);
    if (cache) writeFileSync(codeCacheFileOf(file), cache);
    else copyFileSync(codeCacheFileOf(original), codeCacheFileOf(file));
    setTime(file, moduleTime);
    setTime(codeCacheFileOf(file), cacheTime);
    const answer = (requireGenerated(file) as Generated).answer();
    return `${generatedCodeCaches()[file]} ${answer}`;
  };
  t.equal(scenario('after', 1000, 2000), 'used 7', 'saved after the module');
  t.equal(scenario('same-time', 1000, 1000), 'used 7', 'the same time (npm pack)');
  t.equal(scenario('older', 3000, 2000), 'none 7', 'the module was written after the cache: not read');
  t.equal(scenario('other-code', 1000, 2000, moduleText(12345)), 'rejected 12345', 'a cache of other code: V8 refuses it, the module runs');
  t.equal(scenario('garbage', 1000, 2000, moduleText(7), Buffer.alloc(4096, 0x5a)), 'rejected 7', 'not a code cache at all');
});

t.test('after a build, the generated modules a check loads come with a cache V8 accepts', async (t) => {
  ensureBuilt();
  const generated = [['admission', 'pod-spec-refusals.compiled.cjs'], ['admission', 'workload-spec-refusals.compiled.cjs'], ['admission', 'decode.fits.cjs'], ['engine', 'fused.cjs']];
  for (const [dir, name] of generated) {
    const file = join(projectRoot, 'dist', dir!, name!);
    requireGenerated(file);
    t.equal(generatedCodeCaches()[file], 'used', name);
  }
});
