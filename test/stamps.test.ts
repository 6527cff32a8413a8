// A build's generated files record the size and modification time of what they were made from;
// while those hold, a run takes the file as current without reading and hashing its inputs. Any
// other difference sends it to the content hash, which decides.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadRuleTable } from '../engine/load.js';
import { sha256Hex, stampsMatch, stampsOf } from '../engine/stamps.js';
import { ensureBuilt, projectRoot } from './helpers/shared.js';

t.test('stamps: unchanged files match; a changed size, time or set of files does not', async (t) => {
  const dir = t.testdir({ 'a.yaml': 'a: 1\n', sub: { 'b.yaml': 'b: 2\n' } });
  const names = ['a.yaml', join('sub', 'b.yaml')];
  const stamps = stampsOf(dir, names);
  t.same(Object.keys(stamps), names);
  t.same(stamps['a.yaml'], [5, statSync(join(dir, 'a.yaml')).mtimeMs]);
  t.ok(stampsMatch(stamps, dir, names), 'as recorded');
  t.ok(stampsMatch(JSON.parse(JSON.stringify(stamps)), dir, names), 'after a round trip through JSON (times have fractions of a millisecond)');

  const a = join(dir, 'a.yaml');
  const { atime, mtime } = statSync(a);
  writeFileSync(a, 'a: 9\n');
  utimesSync(a, atime, new Date(mtime.getTime() + 1000));
  t.notOk(stampsMatch(stamps, dir, names), 'same size, another time');
  writeFileSync(a, 'a: 10\n');
  utimesSync(a, atime, mtime);
  t.notOk(stampsMatch(stamps, dir, names), 'same time, another size');

  t.notOk(stampsMatch(stampsOf(dir, names), dir, [...names, 'c.yaml']), 'a file more');
  t.notOk(stampsMatch(stampsOf(dir, names), dir, names.slice(1)), 'a file less');
  t.notOk(stampsMatch(stampsOf(dir, [...names, 'missing.yaml']), dir, [...names, 'missing.yaml']), 'a file that is not there is never current');
  for (const bad of [undefined, null, 'x', [], { 'a.yaml': 'x' }, { 'a.yaml': [6] }]) {
    t.notOk(stampsMatch(bad, dir, ['a.yaml']), `a record ${JSON.stringify(bad)}`);
  }
});

t.test('sha256Hex hashes its parts as one text', async (t) => {
  t.equal(sha256Hex('ab', '\0', Buffer.from('c')), createHash('sha256').update('ab\0c').digest('hex'));
});

t.test('the rules cache: stamps that hold spare the hash; otherwise the hash decides', async (t) => {
  ensureBuilt();
  /** A copy of rules/ and the build's cache, stamped as a build of the copy would; `edit` changes the copy. */
  const copy = (edit: (root: string, cache: Record<string, unknown>) => void): string | undefined => {
    const root = t.testdir();
    cpSync(join(projectRoot, 'rules'), join(root, 'rules'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    const cache = JSON.parse(readFileSync(join(projectRoot, 'dist', 'rules-cache.json'), 'utf8')) as Record<string, unknown>;
    cache.stamps = stampsOf(join(root, 'rules'), Object.keys(cache.stamps as object));
    edit(root, cache);
    writeFileSync(join(root, 'dist', 'rules-cache.json'), JSON.stringify(cache));
    return loadRuleTable({ bundledDir: join(root, 'rules') }).bundledHash;
  };
  const built = (JSON.parse(readFileSync(join(projectRoot, 'dist', 'rules-cache.json'), 'utf8')) as { hash: string }).hash;
  t.equal(copy(() => {}), built, 'unchanged: the cache is used');
  // A hash no text has: only the stamps can have let the cache through.
  t.equal(copy((_, cache) => (cache.hash = 'not-computed')), 'not-computed', 'stamps that hold: the hash is not computed');
  t.equal(copy((root) => {
    const file = join(root, 'rules', 'baseline', 'privileged.yaml');
    utimesSync(file, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
  }), built, 'a file touched, its text the same: the hash decides, and the cache is used');
  t.equal(copy((root) => {
    const file = join(root, 'rules', 'baseline', 'privileged.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# edited\n`);
  }), undefined, 'a file edited: the cache is not used');
  t.equal(copy((root, cache) => {
    delete cache.stamps;
    utimesSync(join(root, 'rules', 'scopes.yaml'), new Date(Date.now() + 5000), new Date(Date.now() + 5000));
  }), built, 'a cache without stamps (an older build): the hash decides');
});
