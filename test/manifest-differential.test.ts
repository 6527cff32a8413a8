// The fast reader and the full parser must agree on every value, error and position:
// over generated documents, and over real manifests from public projects.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t, { type TAP } from 'tap';
import { parseManifests, type ManifestDocument, type ReadPath } from '../cli/manifest/read.js';
import { rng } from './helpers/random-pods.js';
import { requireShared } from './helpers/shared.js';

type Asserts = Pick<TAP, 'same' | 'fail'>;

function allPaths(v: unknown, pre: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(pre);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...pre, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) allPaths((v as Record<string, unknown>)[k], [...pre, k], out);
  return out;
}

function shape(d: ManifestDocument) {
  return { index: d.index, line: d.line, value: d.value };
}

/** Compares auto (fast where possible) against full-parser reading; returns how many documents the fast reader took. */
function compare(t: Asserts, input: string | Uint8Array, name: string, duplicateKeys: 'error' | 'last' = 'error'): { fast: number; total: number } {
  const paths = new Map<number, ReadPath>();
  const told: [unknown[], unknown[]] = [[], []];
  const a = parseManifests(input, name, { onDocument: (i, p) => paths.set(i, p), duplicateKeys, onDuplicateKey: (d) => told[0].push(d) });
  const b = parseManifests(input, name, { path: 'full', duplicateKeys, onDuplicateKey: (d) => told[1].push(d) });
  let ok = t.same(a.errors, b.errors, `${name}: same errors`);
  // In place order: the full reader tells of a key after reading its value, the fast one before.
  const byPlace = (x: unknown, y: unknown) => JSON.stringify(x) < JSON.stringify(y) ? -1 : 1;
  ok = t.same(told[0].sort(byPlace), told[1].sort(byPlace), `${name}: same duplicate keys`) && ok;
  ok = t.same(a.documents.map(shape), b.documents.map(shape), `${name}: same documents`) && ok;
  let fast = 0;
  if (ok) {
    for (let i = 0; i < a.documents.length; i++) {
      const x = a.documents[i];
      const y = b.documents[i];
      if (paths.get(x.index) !== 'fast') continue;
      fast++;
      for (const p of [...allPaths(x.value), ['no-such-key'], [0, 'missing']]) {
        const px = x.locate(p);
        const py = y.locate(p);
        if (px.line !== py.line || px.column !== py.column) {
          t.same(px, py, `${name}: document ${x.index}: position of ${JSON.stringify(p)}`);
          break;
        }
      }
    }
  }
  return { fast, total: a.documents.length };
}

const SCALARS = [
  'hello', 'hello world', 'yes', 'No', 'ON', 'off', 'y', 'n', 'true', 'False', '~', 'null', 'NULL', '',
  '0x1F', '010', '08', '0o17', '0b101', '1_000', '-12', '+7', '1.5', '.5', '1e3', '6.02E23', '1e999',
  '9007199254740993', '18446744073709551615', '2001-12-14', '12:30', '100m', '1Gi', 'v1.2.3',
  'http://example.com:8080/p?q=1#f', 'a#b', 'x # trailing comment', '-x', '--flag=1', 'a:b', 'k8s.io/name',
  '"quoted"', '"yes"', '"a\\tb\\n\\u00e9\\x41\\"q\\""', "'single'", "'it''s'", "'on'", '"0x10"', '""', "''",
  '[]', '{}', '[ ]', '{ }', 'é ünïcödé', '"\\U0001F600"', 'a: b', '.inf', '@bad', '`bad', '%bad', '!tag x',
  '*alias', '&anchor x', '[a, b]', '{a: 1}', 'quoted "inside"', "it's", 'tab\there', 'trailing   ',
];
const KEYS = [
  'name', 'image', 'args', 'value', 'yes', 'on', 'y', '1', '0x10', '010', '1.5', '"quoted key"', "'sq key'",
  'a b', 'x-y', 'app.kubernetes.io/name', '"1"', 'true', '~', 'key with: colon', 'k#h', '<<', '- dash', '-k',
];

function pick<T>(r: () => number, xs: T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

// Lines a scalar may go on with (or end at), as in generated CustomResourceDefinitions' descriptions.
const GOES_ON = [
  'more words', 'unit is seconds (e.g.', '"2m", "1h")', "it's", '[a, b] {c}', '- x', '-x', '? q', ':a', 'a: b', 'a:b',
  'x # comment', '# comment', 'a#b', 'tab\there', '\tlead', 'trailing   ', 'yes', '1', '0x10', '~', '&a x', '*a', '!t x',
  '|', '>', '---', '...', '%x', '@x', "'q'", '"q"', 'é ü',
];
const QUOTED_LINES = ['x', 'it\'\'s', 'a \\t b', 'esc \\"', 'end\\', 'q"uote', "q'uote", '', '  ', 'é', '# not a comment', 'a: b'];

/** A value over several lines: plain, quoted or folded, its lines indented (or not) past `ind`. */
function multiLine(r: () => number, ind: number, out: string[], head: string): void {
  const n = 1 + Math.floor(r() * 3);
  const lineIndent = () => ' '.repeat(r() < 0.85 ? ind + 1 + Math.floor(r() * 4) : Math.max(0, ind - Math.floor(r() * 2)));
  const c = r();
  if (c < 0.5) {
    out.push(`${head} ${pick(r, ['first words', 'x', '1', 'yes', ':a', '?b', '-c', 'a b  '])}`);
    for (let i = 0; i < n; i++) {
      if (r() < 0.2) out.push(r() < 0.7 ? '' : '   ');
      out.push(lineIndent() + pick(r, GOES_ON));
    }
  } else if (c < 0.8) {
    const q = r() < 0.5 ? '"' : "'";
    const line = () => pick(r, QUOTED_LINES).replace(q === '"' ? /''/g : /\\/g, q === '"' ? "'" : '');
    let text = `${head} ${q}${line()}`;
    for (let i = 0; i < n; i++) {
      out.push(text);
      if (r() < 0.2) out.push('');
      text = lineIndent() + line();
    }
    out.push(text + q + (r() < 0.1 ? ' # c' : r() < 0.05 ? ': x' : ''));
  } else {
    out.push(`${head} >${pick(r, ['', '-', '+', '', ' # c'])}`);
    genLiteral(r, ind + (r() < 0.8 ? 2 : 3), out);
  }
}

function genMap(r: () => number, ind: number, depth: number, out: string[], firstPrefix?: string): void {
  const n = 1 + Math.floor(r() * 4);
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let key = pick(r, KEYS);
    if (used.has(key) && r() < 0.9) continue;
    used.add(key);
    const sp = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(ind);
    if (r() < 0.1) out.push(' '.repeat(ind) + '# comment');
    if (r() < 0.05) out.push('');
    const c = r();
    if (depth > 4 || c < 0.55) {
      out.push(`${sp}${key}: ${pick(r, SCALARS)}`);
    } else if (c < 0.7) {
      out.push(`${sp}${key}:${r() < 0.2 ? '  # c' : ''}`);
      genMap(r, ind + (r() < 0.8 ? 2 : 4), depth + 1, out);
    } else if (c < 0.85) {
      out.push(`${sp}${key}:`);
      genSeq(r, r() < 0.5 ? ind : ind + 2, depth + 1, out);
    } else if (c < 0.9) {
      out.push(`${sp}${key}: ${pick(r, ['|', '>'])}${pick(r, ['', '-', '+', '', ' # c'])}`);
      genLiteral(r, ind + (r() < 0.8 ? 2 : 3), out);
    } else if (c < 0.96) {
      multiLine(r, ind, out, `${sp}${key}:`);
    } else {
      if (r() < 0.5) key = pick(r, KEYS);
      out.push(`${sp}${key}:`);
    }
  }
}

function genSeq(r: () => number, ind: number, depth: number, out: string[]): void {
  const n = 1 + Math.floor(r() * 4);
  const sp = ' '.repeat(ind);
  for (let i = 0; i < n; i++) {
    const c = r();
    if (depth > 4 || c < 0.4) out.push(`${sp}- ${pick(r, SCALARS)}`);
    else if (c < 0.7) genMap(r, ind + 2, depth + 1, out, `${sp}- `);
    else if (c < 0.8) {
      out.push(`${sp}-`);
      genMap(r, ind + 2, depth + 1, out);
    } else if (c < 0.9) {
      out.push(`${sp}- - ${pick(r, SCALARS)}`);
      out.push(`${sp}  - ${pick(r, SCALARS)}`);
    } else if (c < 0.95) {
      out.push(`${sp}- ${pick(r, ['|', '>'])}${pick(r, ['', '-', '+'])}`);
      genLiteral(r, ind + 2, out);
    } else {
      multiLine(r, ind, out, `${sp}-`);
    }
  }
}

function genLiteral(r: () => number, ind: number, out: string[]): void {
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const c = r();
    if (c < 0.15) out.push('');
    else if (c < 0.2) out.push(' '.repeat(ind + 2) + 'more indented');
    else if (c < 0.25) out.push(' '.repeat(ind + 1) + pick(r, ['', 'x']));
    else if (c < 0.3) out.push(' '.repeat(ind) + '# not a comment');
    else out.push(' '.repeat(ind) + pick(r, SCALARS));
  }
}

function genDocument(r: () => number): string {
  const out: string[] = [];
  if (r() < 0.3) out.push('# Source: chart/templates/x.yaml');
  if (r() < 0.8) genMap(r, r() < 0.9 ? 0 : 2, 0, out);
  else genSeq(r, 0, 0, out);
  return out.join('\n') + '\n';
}

/**
 * Compares both readers on `count` generated inputs; at least `minRead` documents must be read
 * and the fast reader must take more than `minFast` of them, or the generator tests little.
 */
function agreeOnGenerated(t: Asserts & Pick<TAP, 'ok'>, seed: number, count: number, make: (r: () => number) => string, name: string, minRead: number, minFast: number): void {
  const r = rng(seed);
  let fast = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const res = compare(t, make(r), `${name} #${i}`);
    fast += res.fast;
    total += res.total;
  }
  t.ok(total > minRead, `${total} documents read without error`);
  t.ok(fast / total > minFast, `the fast reader took ${fast} of ${total} documents`);
}

t.test('generated documents: fast reader and full parser agree', async (t) => {
  agreeOnGenerated(t, 20240601, 1500, (r) => {
    const docs: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) docs.push(genDocument(r));
    return (r() < 0.5 ? '---\n' : '') + docs.join('---\n');
  }, 'generated', 1000, 0.4);
});

t.test('generated scalars over several lines: fast reader and full parser agree', async (t) => {
  agreeOnGenerated(t, 20240603, 1500, (r) => {
    const out: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      const c = r();
      if (c < 0.5) multiLine(r, 0, out, `k${k}:`);
      else if (c < 0.8) {
        out.push(`k${k}:`);
        multiLine(r, 0, out, '-');
      } else {
        out.push(`k${k}:`);
        multiLine(r, 2, out, '  n:');
      }
    }
    return out.join('\n') + '\n';
  }, 'several lines', 500, 0.5);
});

const FLOW_SCALARS = [
  'a', 'ALL', 'NET_BIND_SERVICE', 'yes', 'off', '~', '1', '-1', '0x10', '1.5', '.inf', '"q"', '"a, b"', "'s'", "'it''s'",
  'a b', 'x?', '-x', 'http://x', 'a:b', '?x', '&a x', '*a', '!!str 1', 'a#b', '""', 'é', '-', 'a:', 'a :',
];
const FLOW_KEYS = ['a', 'b', 'name', '"k"', "'k'", 'yes', '1', '0x10', '~', '<<', 'a b', 'k:x'];

function genFlow(r: () => number, depth: number, ind: number): string {
  const seq = r() < 0.5;
  const n = Math.floor(r() * 4);
  const parts: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    const v = depth < 3 && r() < 0.25 ? genFlow(r, depth + 1, ind) : pick(r, FLOW_SCALARS);
    if (seq) parts.push(v);
    else {
      const k = pick(r, FLOW_KEYS);
      if (used.has(k) && r() < 0.9) continue;
      used.add(k);
      parts.push(`${k}:${r() < 0.9 ? ' ' : ''}${v}`);
    }
  }
  const multi = r() < 0.3;
  const sep = multi ? ',\n' + ' '.repeat(ind + 2) : r() < 0.8 ? ', ' : ',';
  let body = parts.join(sep);
  if (multi && parts.length) body = '\n' + ' '.repeat(ind + 2) + body + '\n' + ' '.repeat(r() < 0.8 ? ind : ind + 1);
  if (r() < 0.05) body += ',';
  return (seq ? '[' : '{') + body + (seq ? ']' : '}');
}

t.test('generated flow collections: fast reader and full parser agree', async (t) => {
  agreeOnGenerated(t, 20240602, 600, (r) => {
    const lines: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      const c = r();
      if (c < 0.5) lines.push(`k${k}: ${genFlow(r, 0, 0)}${r() < 0.1 ? ' # c' : ''}`);
      else if (c < 0.8) lines.push(`k${k}:`, `- ${genFlow(r, 0, 0)}`, `- ${genFlow(r, 0, 0)}`);
      else lines.push(`k${k}:`, `  n: ${genFlow(r, 0, 2)}`);
    }
    return lines.join('\n') + '\n';
  }, 'flow', 200, 0.3);
});

t.test('generated documents that are one flow collection: fast reader and full parser agree', async (t) => {
  // JSON under a comment line, as some exporters write it: YAML to kubectl, read by the fast reader.
  agreeOnGenerated(t, 20241129, 400, (r) => {
    const docs: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      const after = r();
      docs.push(`# c\n${genFlow(r, 0, 0)}${after < 0.1 ? ' # c' : after < 0.15 ? '\nk: v' : after < 0.2 ? ': v' : ''}\n`);
    }
    return docs.join('---\n');
  }, 'one flow collection', 250, 0.5);
});

t.test('hand-picked shapes: fast reader and full parser agree', async (t) => {
  const shapes = [
    'a:\n- x\n- y\nb: 1\n',
    'a:\n  - x\n  -\n  - - p\n    - q\n',
    '- a: 1\n  b: 2\n- c: 3\n',
    '-\n  a: 1\n-\n- b\n',
    '  a: 1\n  b:\n    c: 2\n',
    'a: |\n  x\n\n\n',
    'a: |+\n  x\n\n\nb: 1\n',
    'a: |-\n    deep\n  shallow\n',
    'a: |\n\n  x\n',
    'a: |\n    \n  x\n',
    'a: |\n  x\n   \n  y\n',
    'a: |\n  x\n  \t y\n',
    'a: "x" # c\nb: \'y\'   \n',
    'a: "x"y\n',
    'a: b\n  c\n',
    'a: b\nc\n',
    'a: 1\n b: 2\n',
    '- a\n - b\n',
    'a:\n\tb: 1\n',
    'a: [ ]\nb: { }\nc: []  # c\n',
    '"a": 1\n\'b\': 2\n"c" : 3\n',
    'a:    x   \n',
    'a: - b\n',
    'key: value\n...\n',
    '? a\n: b\n',
    'a: 1 # c\n# c\nb: 2\n',
    'x' + 'y'.repeat(1100) + ': 1\n',
    // flow collections
    'a: [a, b]\nb: {x: y, "q": \'s\'}\n', '- {x: y}\n- [ALL]\n- [[], {}, [[x]]]\n', 'a: [a,b]\n', 'a: [a , b ]\n',
    'a: [\n  x,\n  y\n]\n', 'a:\n  b: {\n    x: 1\n  }\n', 'a:\n  b: [\n    x\n ]\n', 'a:\n  b: [[\n    x\n  ], y]\n',
    'a:\n  b: {c: [\n    x\n  ]}\n', 'a: [a #c\n  , b]\n', 'a: [\n  # c\n  x]\n', 'a: {b: [1,\n\n  2]}\n',
    'a: [a, b,]\n', 'a: {x: }\n', 'a: {x}\n', 'a: [x: y]\n', 'a: {"x":y}\n', 'a: {x:y}\n', 'a: [http://x]\n',
    'a: [- x]\n', 'a: [-]\n', 'a: {1: a, b: c}\n', 'a: {yes: 1, 0x10: 2}\n', 'a: [.inf]\n', 'a: [a\n  b]\n',
    'a: [\nx]\n', 'a: [&x a, *x]\n', 'a: [a\tb]\n', 'a: [a]b\n', 'a: [a]: b\n', 'a: {a: 1, a: 2}\n', 'a: {~: 1}\n',
    'a: [-, -]\nb: {x: -}\n', 'a: [\n  -,\n  -x\n]\n', 'a: [-a]\n', 'a: [-:]\n', 'a: [- ]\n', 'a: [a:, b:]\n', 'a: [a:b:]\n',
    // a flow collection as the whole document
    '# c\n{"a":1,"b":[true,null,"x"]}\n', '# c\n{\n"a": {\n"b": 1\n}\n}\n# end\n', '# c\n[1, {"a": 2}]\n', '# c\n {a: 1}\n',
    '# c\n{a: 1}\nb: 2\n', '# c\n{a: 1}: b\n', '# c\n[a]\n- b\n', '# c\n{a: 1} x\n', '# c\n{a: 1}#c\n', '# c\n{"a":}\n', '# c\n{"a" :1}\n',
  ];
  for (const s of shapes) compare(t, s, JSON.stringify(s));
});

// A fresh clone has none: the test is skipped, saying why; under CI its absence fails the file.
const shared = requireShared('realworld');

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

t.test('real-world manifests: fast reader and full parser agree', { skip: shared.skip }, async (t) => {
  const realworld = shared.dir!;
  const files = walk(realworld).filter((f) => /\.(ya?ml|json)$/.test(f));
  t.ok(files.length > 100, `${files.length} files`);
  let fast = 0;
  let total = 0;
  let bytes = 0;
  let fastBytes = 0;
  for (const f of files) {
    const text = readFileSync(f);
    const res = compare(t, text, relative(realworld, f));
    fast += res.fast;
    total += res.total;
    bytes += text.length;
    if (res.fast === res.total) fastBytes += text.length;
  }
  // Where a key is given twice, also as podsec check reads them: the last value kept.
  for (const f of files) {
    const text = readFileSync(f);
    if (parseManifests(text, f).errors.some((e) => e.message.includes('already set in map'))) {
      const res = compare(t, text, `${relative(realworld, f)} (duplicate keys kept last)`, 'last');
      t.equal(res.fast, res.total, `${relative(realworld, f)}: read by the fast reader with its duplicate keys`);
    }
  }
  t.ok(total > 400, `${total} documents`);
  t.ok(fast / total > 0.95, `the fast reader took ${fast} of ${total} documents`);
  // Generated CustomResourceDefinitions (descriptions over several lines) are most of the bytes.
  t.ok(fastBytes / bytes > 0.95, `the fast reader took every document of files with ${fastBytes} of ${bytes} bytes`);
});

t.test('a key given twice in a block mapping, the last kept: the fast reader reads it as the full one does', async (t) => {
  const docs = [
    'a: 1\nb: 2\na: 3\n',
    'm:\n  x: 1\n  y: [1, 2]\n  x:\n    deep: true\n    deep: false\nn: 2\n',
    'labels:\n  app: web\n  tier: front\n  app: web2\nspec:\n  containers:\n  - name: a\n    image: b\n    name: c\n  - name: d\n',
    'l:\n- k: 1\n  k: 2\n  j:\n  - 1\n  j: x\n- k:\n    z: 1\n  k:\n  - 3\n',
    'x: &a 1\ny: *a\ny: 2\n',
    // Given up after the key given twice: told once, by the full parser.
    'a: 1\na: 2\nb: &x 3\n',
    'k:\n  "q": 1\n  q: 2\n  \'q\': 3\n',
    '1: a\n2: b\n1: c\n',
    'a: 1\nb: {c: 1, c: 2}\na: 2\n',
  ];
  let fast = 0;
  for (const d of docs) fast += compare(t, `${d}---\n${d}`, quote(d), 'last').fast;
  t.equal(fast, 12, 'every document but those with an anchor or a flow mapping\'s key given twice is read by the fast reader');
});

/** JSON text of s with non-ASCII escaped: the test report is line-based, and U+2028 or U+0085 may break a line. */
function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Both readers, with duplicate keys an error and with the last one kept, must give what kubectl
 * read from `input`: `want` holds the documents' values, or null where kubectl refused the input.
 */
function asKubectl(t: Asserts & Pick<TAP, 'ok'>, input: string | Uint8Array, want: unknown[] | null, name = quote(typeof input === 'string' ? input : new TextDecoder().decode(input))): void {
  for (const path of [undefined, 'full'] as const) {
    for (const duplicateKeys of ['error', 'last'] as const) {
      const told: unknown[] = [];
      const r = parseManifests(input, 'k.yaml', { path, duplicateKeys, onDuplicateKey: (d) => told.push(d) });
      const label = `${name} (${path ?? 'auto'}, duplicate keys: ${duplicateKeys})`;
      if (want === null) {
        t.ok(r.errors.length > 0, `${label}: an error, as kubectl gives`);
        continue;
      }
      t.same(r.errors, [], `${label}: no error`);
      t.same(told, [], `${label}: no duplicate key`);
      (t as unknown as { strictSame(a: unknown, b: unknown, m?: string): boolean }).strictSame(r.documents.map((d) => d.value), want, label);
    }
  }
  if (want !== null) compare(t, input, name);
}

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`;

// The expectations below were observed with kubectl 1.32 (`kubectl annotate --local -f FILE zz=1 -o json`).
t.test('merge keys read as kubectl reads them', async (t) => {
  const sc = '  containers:\n  - {name: a, image: b, securityContext: &sc {privileged: true}}\n  - name: c\n    image: d\n    securityContext:\n';
  const containers = (second: unknown) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'b', securityContext: { privileged: true } }, { name: 'c', image: 'd', securityContext: second }] },
  });
  // A key after `<<` overrides the merged value; one before it is overridden by the merge.
  asKubectl(t, pod(sc + '      <<: *sc\n      privileged: false\n'), [containers({ privileged: false })]);
  asKubectl(t, pod(sc + '      privileged: false\n      <<: *sc\n'), [containers({ privileged: true })]);
  const ab = 'a: &a {p: 1, q: 1}\nb: &b {p: 2, r: 2}\n';
  asKubectl(t, ab + 'm:\n  <<: [*a, *b]\n', [{ a: { p: 1, q: 1 }, b: { p: 2, r: 2 }, m: { p: 1, q: 1, r: 2 } }]);
  asKubectl(t, ab + 'm:\n  p: 0\n  <<: [*a, *b]\n', [{ a: { p: 1, q: 1 }, b: { p: 2, r: 2 }, m: { p: 1, q: 1, r: 2 } }]);
  asKubectl(t, ab + 'm:\n  <<: *a\n  <<: *b\n', [{ a: { p: 1, q: 1 }, b: { p: 2, r: 2 }, m: { p: 2, q: 1, r: 2 } }]);
  asKubectl(t, ab + 'm: {p: 0, <<: *a}\n', [{ a: { p: 1, q: 1 }, b: { p: 2, r: 2 }, m: { p: 1, q: 1 } }]);
  asKubectl(t, 'a: &a {p: 1, <<: {p: 7, z: 7}}\nm:\n  <<: *a\n', [{ a: { p: 7, z: 7 }, m: { p: 7, z: 7 } }]);
  // JSON has no merge keys.
  asKubectl(t, '{"m": {"<<": {"p": "1"}, "p": "2"}}\n', [{ m: { '<<': { p: '1' }, p: '2' } }]);
});

t.test('a dash or colon before , ] or } inside a flow collection is text, as kubectl reads it', async (t) => {
  // In go-yaml `-` is an indicator, and `:` ends a plain scalar, only before a blank.
  asKubectl(t, pod('  containers:\n  - name: a\n    image: b\n    command: [tar, -xf, -]\n    securityContext: {privileged: true}\n'), [{
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'b', command: ['tar', '-xf', '-'], securityContext: { privileged: true } }] },
  }]);
  const cases: [string, unknown][] = [
    ['[-, a]', ['-', 'a']], ['{a: -}', { a: '-' }], ['[-]', ['-']], ['{k: -, k2: [-,-]}', { k: '-', k2: ['-', '-'] }],
    ['{-: 1}', { '-': 1 }], ['[-a:, -: ]', ['-a:', { '-': null }]], ['[&x -, *x]', ['-', '-']], ['[!!str -]', ['-']],
    ['[a:]', ['a:']], ['[a:, b]', ['a:', 'b']], ['{a:}', { 'a:': null }], ['[a :]', ['a :']], ['{a :}', { 'a :': null }],
    ['[a  :, b]', ['a  :', 'b']], ['[a:x:]', ['a:x:']], ['[a::]', ['a::']], ['{k: v:}', { k: 'v:' }],
    ['[a: ]', [{ a: null }]], ['["a":]', [{ a: null }]], ['{"a":}', { a: null }], ['[a:b]', ['a:b']],
  ];
  for (const [flow, v] of cases) asKubectl(t, `a: ${flow}\n`, [{ a: v }]);
  asKubectl(t, 'a: [x, -]\nb: "[-]"\nc: -]\n', [{ a: ['x', '-'], b: '[-]', c: '-]' }]);
  // kubectl refuses these: `-` before a blank, and a flow collection right after a scalar.
  for (const flow of ['[- a]', '[-\n  ]', '[--, -1, - ]', '[a:[b]]', '[-[b]]', '[-{b: 1}]', '[a, :]']) asKubectl(t, `a: ${flow}\n`, null);
});

t.test('a byte order mark: dropped at the start of a document, text elsewhere, as kubectl reads it', async (t) => {
  const bom = '\ufeff';
  const utf8 = (x: string) => new TextEncoder().encode(x);
  const cm = (data: string, name = 'p') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${data}\n`;
  const obj = (data: unknown, name = 'p') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  // Two files concatenated, the second saved with a byte order mark: kubectl reads each document
  // on its own, and go-yaml drops a mark at the start of its input.
  asKubectl(t, utf8(cm('{a: x}') + '---\n' + bom + cm('{b: z}')), [obj({ a: 'x' }), obj({ b: 'z' })]);
  asKubectl(t, cm('{a: x}') + '--- # c\n' + bom + cm('{b: z}'), [obj({ a: 'x' }), obj({ b: 'z' })]);
  asKubectl(t, cm('{a: x}') + '---\n' + bom + '# c\n' + cm('{b: [z]}'), [obj({ a: 'x' }), obj({ b: ['z'] })]);
  asKubectl(t, cm('{a: x}') + '---\n' + bom + '\n' + cm('{b: z}'), [obj({ a: 'x' }), obj({ b: 'z' })]);
  asKubectl(t, cm('{a: x}') + '---\n' + bom + '---\n' + cm('{b: z}'), [obj({ a: 'x' }), obj({ b: 'z' })]);
  asKubectl(t, cm('{a: x}') + '---\n' + bom + '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "q"}}\n',
    [obj({ a: 'x' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'q' } }]);
  // Anywhere else it is an ordinary character: in quotes, in plain scalars, at the start of a later line.
  asKubectl(t, utf8(cm(`{a: "a${bom}b", b: 'a${bom}b', c: a${bom}b}`)), [obj({ a: `a${bom}b`, b: `a${bom}b`, c: `a${bom}b` })]);
  asKubectl(t, cm(`\n  a: a${bom}b\n  b: ${bom}b`), [obj({ a: `a${bom}b`, b: `${bom}b` })]);
  asKubectl(t, cm('\n  a: x') + `${bom}b: 2\n`, [{ ...obj({ a: 'x' }), [`${bom}b`]: 2 }]);
  // A `---` line that no other line precedes (the input's first line, or right after another
  // `---`) goes to go-yaml with the document, and the mark after it is an ordinary character.
  const marked = (data: unknown, name = 'p') => ({ [`${bom}apiVersion`]: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  asKubectl(t, '---\n' + bom + cm('{a: x}'), [marked({ a: 'x' })]);
  asKubectl(t, utf8(bom + '---\n' + bom + cm('{a: x}')), [marked({ a: 'x' })]);
  asKubectl(t, cm('{a: x}') + '---\n--- # c\n' + bom + cm('{b: z}'), [obj({ a: 'x' }), marked({ b: 'z' })]);
  asKubectl(t, '\n---\n' + bom + cm('{a: x}'), [obj({ a: 'x' })]);
  // Of `---` lines in a row, every second one splits the stream (the one before it went to the
  // document it starts): the mark after it starts a document of its own, and is dropped.
  asKubectl(t, '---\n---\n' + bom + cm('{a: x}'), [obj({ a: 'x' })]);
  asKubectl(t, '---\n---\n---\n' + bom + cm('{a: x}'), [marked({ a: 'x' })]);
  asKubectl(t, cm('{a: x}') + '---\n---\n---\n' + bom + cm('{b: z}'), [obj({ a: 'x' }), obj({ b: 'z' })]);
  asKubectl(t, cm('{a: x}') + '---#c\n' + bom + cm('{b: z}'), [obj({ a: 'x' }), obj({ b: 'z' })]);
  asKubectl(t, cm('{a: x}') + '...\n---\n' + bom + cm('{b: z}'), [obj({ a: 'x' }), obj({ b: 'z' })]);
  const late = cm('{a: x}') + '---\n# c\n' + bom + cm('{b: z}');
  asKubectl(t, late, [obj({ a: 'x' }), { [`${bom}apiVersion`]: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { b: 'z' } }]);
  // A second mark at the start of the input: kubectl's file reader drops the first, go-yaml the
  // second. Indented content after a dropped mark reads as without it (observed with kubectl 1.32).
  asKubectl(t, utf8(bom + bom + cm('{a: x}')), [obj({ a: 'x' })]);
  asKubectl(t, bom + bom + '# c\n' + cm('{a: &v x, b: *v}'), [obj({ a: 'x', b: 'x' })]);
  asKubectl(t, bom + bom + '---\n' + cm('{a: x}') + '---\n' + cm('{b: z}'), [obj({ a: 'x' }), obj({ b: 'z' })]);
  const indented = (data: string) => cm(data).replace(/^/gm, '  ').trimEnd() + '\n';
  asKubectl(t, utf8(bom + bom + indented('{a: x}')), [obj({ a: 'x' })]);
  asKubectl(t, cm('{a: x}') + '---\n' + bom + indented('{b: &v z, c: *v}'), [obj({ a: 'x' }), obj({ b: 'z', c: 'z' })]);
  const located = parseManifests(cm('{a: x}') + '---\n' + bom + cm('{b: z}'), 'k.yaml');
  t.same([located.documents[1].line, located.documents[1].locate(['kind'])], [6, { line: 7, column: 1 }]);
});

t.test('a line starting with --- that kubectl takes as a separator, and YAML as text', async (t) => {
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
  const obj = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  // kubectl's stream reader trims what follows `---` of spaces, Unicode ones too, and splits at
  // the line when nothing or a comment remains; the line itself goes nowhere.
  for (const line of ['---#c', '---#', '---\u00a0', '---\u00a0#c', '--- \u3000', '---\u0085\t']) {
    asKubectl(t, cm('a') + line + '\n' + cm('b'), [obj('a'), obj('b')]);
    // With no line before it since the last split, it goes to go-yaml with the document, as text.
    asKubectl(t, cm('a') + '---\n' + line + '\n' + cm('b'), null);
  }
  asKubectl(t, '---\n' + '---#c\n' + cm('b'), [obj('b')]);
  asKubectl(t, '---#c\n' + cm('b'), null);
  asKubectl(t, cm('a') + '---\n---\n---#c\n' + cm('b'), [obj('a'), obj('b')]);
  asKubectl(t, cm('a') + '---#c\n---#c\n' + cm('b'), null);
  const r = parseManifests(cm('a') + '---#c\n\n' + cm('b'), 'k.yaml');
  t.same(r.documents.map((d) => [d.index, d.line, d.locate(['kind'])]), [[0, 1, { line: 2, column: 1 }], [1, 6, { line: 7, column: 1 }]]);
});

t.test('integers beyond 64 bits, as kubectl reads them', async (t) => {
  // go-yaml tries int64, uint64, then the float syntax; what fits none stays text.
  const src = 'a: 18446744073709551615\nb: 18446744073709551616\nc: 0xFFFFFFFFFFFFFFFF\nd: 99999999999999999999999\n' +
    'e: -9223372036854775809\nf: 0777777777777777777777777\ng: 0b11111111111111111111111111111111111111111111111111111111111111111\n' +
    'h: 0x10000000000000000\ni: 0o7777777777777777777777777\nj: -0x10000000000000000\nk: 0x1_0000_0000_0000_0000\n0x10000000000000000: x\n';
  asKubectl(t, src, [{
    // e: kubectl's -2^63 (a float64), held apart from int64's end (see apartFromInt64).
    a: 18446744073709552000, b: 18446744073709552000, c: 18446744073709552000, d: 1e+23, e: -(2 ** 63) - 2048,
    f: 7.777777777777778e+23, g: '0b11111111111111111111111111111111111111111111111111111111111111111',
    h: '0x10000000000000000', i: '0o7777777777777777777777777', j: '-0x10000000000000000', k: '0x1_0000_0000_0000_0000',
    '0x10000000000000000': 'x',
  }]);
  asKubectl(t, 'a: !!int 0x10000000000000000\n', null);
});

t.test('deliberate differences: what kubectl 1.32 refuses or drops, podsec reads or reports', async (t) => {
  // kubectl fails on these (a directive, content on the `---` line, `?` in a flow scalar).
  const read: [string, unknown][] = [
    ['%YAML 1.1\n---\na: 1\n', { a: 1 }], ['--- |\n  text\n', 'text\n'], ['--- {a: 1}\n', { a: 1 }],
    ['a: [x?]\nb: {k: b?c}\n', { a: ['x?'], b: { k: 'b?c' } }],
  ];
  for (const [src, v] of read) {
    const r = parseManifests(src, 'k.yaml');
    const label = quote(src);
    t.same(r.errors, [], `${label}: no error`);
    t.strictSame(r.documents.map((d) => d.value), [v], label);
  }
  // kubectl drops the second document silently.
  const dropped = parseManifests('a: 1\n...\nb: 2\n', 'k.yaml');
  t.same(dropped.errors.map((e) => [e.line, e.message]), [[3, 'document content after the document end marker "..." without a new "---" line']]);
});

t.test('tabs: refused where go-yaml reads indentation, read where it skips whitespace, as kubectl reads them', async (t) => {
  // Observed with kubectl 1.32. A tab is whitespace after a token on its line and in flow
  // context; a plain scalar going on over lines refuses one left of its own indentation.
  const refused = [
    'a: 1\n\t\nb: 2\n', 'a: 1\n\n\t\nb: 2\n', 'a:\n  b: 1\n  \t\n  c: 2\n', '- 1\n\t\n- 2\n', 'a:\n  - 1\n \t\n  - 2\n', 'a: 1\n\t',
    '- a: 1\n  \t\n  b: 2\n', 'a: b\t\n\t\n', 'a: [x\n\ty]\n',
    // After a token that is not a plain scalar, any tab in a line's indentation.
    'a: "1"\n \t\nb: 2\n', 'a: 1 # c\n \t\nb: 2\n', 'a: {x: 1}\n \t\nb: 2\n', 'a: [1]\n\t\nb: 2\n', 'a: &x 1\nb: *x\n\t\nc: 2\n', 'a:\n  # c\n\t\n  b: 1\n', 'a:\n\t\n    b\n',
    // Right after `-`, `?` or an explicit key's `:`.
    'a:\n- \tb\n', 'a:\n-\tb\n', '?\ta\n: 1\n', '? a\n:\tb\n',
    // A block scalar's indentation, before it is known or short of it.
    'a: |\n  \tx\n', 'a: |\n\n  \tx\n', 'a: |\n  x\n\t\n  y\n', 'a:\n  b: |\n    x\n   \t\n    y\n', 'a: |-\n  x\n\t# c\n',
  ];
  for (const src of refused) asKubectl(t, src, null);
  const read: [string, unknown][] = [
    ['a: 1\n \t\nb: 2\n', { a: 1, b: 2 }], ['a: 1\n  \t# c\nb: 2\n', { a: 1, b: 2 }], ['a:\n  b: 1\n   \t\n  c: 2\n', { a: { b: 1, c: 2 } }],
    ['a: b\n \tc\n', { a: 'b c' }], ['a:\n  - b\n   \tc\n', { a: ['b c'] }], ['a:  \tb\n', { a: 'b' }], ['a:\tb\n', { a: 'b' }], ['a:\n- a:\tb\n', { a: [{ a: 'b' }] }],
    ['a: &x\tb\n', { a: 'b' }], ['a: !!str\tb\n', { a: 'b' }], ['a: "x"\t# c\n', { a: 'x' }], ['a: [1]\t\nb: 2\n', { a: [1], b: 2 }], ['a: [1,\n  \t2]\n', { a: [1, 2] }],
    ['a: |2\n  \tx\n', { a: '\tx\n' }], ['a: |\n  x\n  \ty\n', { a: 'x\n\ty\n' }], ['a: >\n  x\n  \t\n  y\n', { a: 'x\n\t\ny\n' }], ['a: >2\n   \tx\n', { a: ' \tx\n' }],
    ['a:\n  b: |\n    x\n    \t\n', { a: { b: 'x\n\t\n' } }],
  ];
  for (const [src, v] of read) asKubectl(t, src, [v]);
  const r = parseManifests('a: 1\n\t\nb: 2\n', 'k.yaml');
  t.match(r.errors, [{ line: 2, column: 1, message: 'a tab character in the indentation of a line', hint: /found a tab character that violates indentation/ }]);
  t.equal(r.errors.length, 1);
});

t.test('lines of a flow collection or a quoted scalar indented too little: read, as kubectl reads them', async (t) => {
  // Observed with kubectl 1.32: go-yaml checks no indentation inside [ ], { } and quotes.
  const read: [string, unknown][] = [
    ['a: [1,\n2]\n', { a: [1, 2] }], ['c: [\n\tx,\n\tz]\n', { c: ['x', 'z'] }], ['c: {a: 1,\n\tb: 2}\n', { c: { a: 1, b: 2 } }],
    ['a:\n  b: "x\n y"\n', { a: { b: 'x y' } }], ['c:\n  d: "x\n\ty"\n', { c: { d: 'x y' } }], ["k: '\"1\n'\n", { k: '"1 ' }],
    ['a:\n  b: [1,\n  "x\n y", {c: d,\ne: f}]\n', { a: { b: [1, 'x y', { c: 'd', e: 'f' }] } }], ['a:\n  b: [1,\n# c\n  2]\n', { a: { b: [1, 2] } }],
    ['a:\n  - [1,\n 2]\n', { a: [[1, 2]] }], ["a:\n  b: \"it's\n x\"\n", { a: { b: "it's x" } }], ['a: ["x\n", z]\n', { a: ['x ', 'z'] }],
    ["a:\n  b: 'x\n\n y'\n", { a: { b: 'x\ny' } }], ['a:\n  b: [1,\n2]\n  f: "x\ny"\n', { a: { b: [1, 2], f: 'x y' } }],
    ['a:\n- b: {c: 1,\nd: 2}\n  e: [\n]\n', { a: [{ b: { c: 1, d: 2 }, e: [] }] }], ['a:\n  b: [1, -,\n  2, a:]\n', { a: { b: [1, '-', 2, 'a:'] } }],
  ];
  for (const [src, v] of read) asKubectl(t, src, [v]);
  // A tab in such a line is still judged by its own column.
  asKubectl(t, 'a:\n  b: [x\n\ty]\n', null);
  asKubectl(t, 'a:\n  b: [1,\n  2\n', null);
});

t.test('double-quoted scalars over several lines fold as go-yaml folds them', async (t) => {
  // Observed with kubectl 1.32. After an escaped line break each empty line is a line feed.
  const read: [string, unknown][] = [
    ['a: "a\\\n\n  b"\n', { a: 'a\nb' }], ['a: "a\\\n   \n  b"\n', { a: 'a\nb' }], ['a: "a\\\n\n\n  b\\\n  c"\n', { a: 'a\n\nbc' }],
    ['a: "\\t\\x41  \\\n  \n   "\n', { a: '\tA  \n' }], ['a: "\\\n       \n       12\n      "\n', { a: '\n12 ' }],
    ['a: "a \\\n  b"\n', { a: 'a b' }], ['a: "a\n\n\n  b"\n', { a: 'a\n\nb' }], ['a: "x\\\n  \\ y"\n', { a: 'x y' }], ['a: "a  \n  b"\n', { a: 'a b' }],
    ['a: "x\\ty\n \\u00e9 \\\n\tz"\n', { a: 'x\ty é z' }], ['a: "x\t\n\ty"\n', { a: 'x y' }],
    // An escaped quote at the end of a line does not close the scalar, whatever the next line's indentation.
    ['x:\n  c: "a\\"\n y: 1\n  d"\n', { x: { c: 'a" y: 1 d' } }], ['c: "a\\\\"\nz: 1\n', { c: 'a\\', z: 1 }],
  ];
  for (const [src, v] of read) asKubectl(t, src, [v]);
  for (const src of ['x:\n  c: "a\\"\n  y: 1\n', 'spec:\n    x: !foo\n        c: "\\"\\"\n    y: &A9 > # c\n\n      "q"\n      "q"\n']) asKubectl(t, src, null);
  const unclosed = parseManifests('x:\n  c: "a\\"\n  y: 1\n', 'k.yaml').errors;
  t.match(unclosed, [{ line: 2, column: 6, message: 'the double quote (") opened here is not closed' }]);
  t.equal(unclosed.length, 1);
});

t.test('a value JSON cannot hold is an error only where it stays: a later entry may replace it', async (t) => {
  // Observed with kubectl 1.32: go-yaml reads the document, and the conversion to JSON sees only
  // what is left after merges and keys given twice.
  asKubectl(t, 'b:\n  <<: {x: .inf}\n  x: 1\n', [{ b: { x: 1 } }]);
  asKubectl(t, 'b:\n  <<: [{x: 2}, {x: .inf}]\n', [{ b: { x: 2 } }]);
  asKubectl(t, 'b:\n  x: .inf\n  <<: {x: 2}\n', [{ b: { x: 2 } }]);
  for (const src of ['b:\n  <<: {x: .inf}\n', 'b:\n  <<: [{x: .inf}, {x: 2}]\n', 'b: {x: .nan, y: 1}\n']) asKubectl(t, src, null);
  // Anchors defined in such a value, after what JSON cannot hold, are defined all the same.
  for (const path of [undefined, 'full'] as const) {
    const read = (s: string) => parseManifests(s, 'k.yaml', { duplicateKeys: 'last', path });
    t.same(read('a:\n  9223372036854775808: &x []\na: *x\n').documents.map((d) => d.value), [{ a: [] }], `${path ?? 'auto'}: after a key past int64`);
    t.same(read('a: [.inf, &x 1]\na: *x\n').documents.map((d) => d.value), [{ a: 1 }], `${path ?? 'auto'}: after infinity in a list`);
    t.same(read('a: {~: 1, b: &x 2}\na: *x\n').documents.map((d) => d.value), [{ a: 2 }], `${path ?? 'auto'}: after a null key`);
    const stays = read('a:\n  9223372036854775808: &x []\nb: *x\n').errors;
    t.match(stays, [{ line: 2, column: 3, message: /^unsupported map key 9223372036854775808/ }], `${path ?? 'auto'}: where it stays`);
    t.equal(stays.length, 1, `${path ?? 'auto'}: one error`);
  }
  // A key given twice: kubectl keeps the last value, and so does `podsec check`.
  for (const path of [undefined, 'full'] as const) {
    const read = (s: string) => parseManifests(s, 'k.yaml', { duplicateKeys: 'last', path });
    t.same(read('a: .inf\na: 1\n').documents.map((d) => d.value), [{ a: 1 }], `${path ?? 'auto'}: infinity replaced`);
    t.same(read('b:\n  null: 1\nb: 2\n').documents.map((d) => d.value), [{ b: 2 }], `${path ?? 'auto'}: a map with a null key replaced`);
    const last = read('a: 1\na: .inf\n').errors;
    t.match(last, [{ line: 2, column: 4, message: /^value \.inf is infinity/ }], `${path ?? 'auto'}: infinity last`);
    t.equal(last.length, 1, `${path ?? 'auto'}: one error`);
  }
});

t.test('a # right after a closing quote, a bracket, a comma or a block scalar header starts a comment, as kubectl reads it', async (t) => {
  // Observed with kubectl 1.32: go-yaml starts a comment at a `#` wherever a token may start.
  const read: [string, unknown][] = [
    ['image: "nginx:1.25"# pinned\n', { image: 'nginx:1.25' }], ["a: 'x'#c\nb: 1\n", { a: 'x', b: 1 }], ['a: [1]#c\n', { a: [1] }],
    ['a: {b: 1}#c\n', { a: { b: 1 } }], ['a: [#c\n  1]\n', { a: [1] }], ['a: [1,#c\n  2]\n', { a: [1, 2] }], ['a: {#c\n  b: 1}\n', { a: { b: 1 } }],
    ['a: {"b":#c\n  1}\n', { a: { b: 1 } }], ['a: |#c\n  x\n', { a: 'x\n' }], ['a:\n- >-#c\n  x\n- |2#c\n   y\n', { a: ['x', ' y\n'] }],
    ['- "x"#c\n', ['x']], ['? "a"#c\n: 1\n', { a: 1 }], ['a: "b#c"#d\n', { a: 'b#c' }], ['a: {b: [c]#x\n  }\n', { a: { b: ['c'] } }],
    // Elsewhere a # without a blank before it is text: in a plain scalar, or a key ending in a colon in { }.
    ['a: b#c\n', { a: 'b#c' }], ['a: {b:#c\n  }\n', { a: { 'b:#c': null } }],
  ];
  for (const [src, v] of read) asKubectl(t, src, [v]);
  for (const src of ['"a"#c\n: 1\n', 'a: &x#c 1\n', 'a: *x#c\n']) asKubectl(t, src, null);
});

t.test('a tag must be followed by a blank or the end of its line, as kubectl reads it', async (t) => {
  // Observed with kubectl 1.32: "did not find expected whitespace or line break".
  for (const src of ['a: {b: !x}\n', 'a: {"b":!!str}\n', 'a: [!<!x>]\n', 'a: !!str#c\n', 'a: {"c"!}\n']) asKubectl(t, src, null);
  const read: [string, unknown][] = [
    ['a: [!x ]\n', { a: [''] }], ['a: {b: !x }\n', { a: { b: '' } }], ['a: !!str\n', { a: '' }], ['a: !x&b 1\n', { a: '1' }], ['a: !<!x>\n', { a: '' }],
    ['a: !%41 1\n', { a: '1' }], ['a: !!str\t# c\n', { a: '' }],
  ];
  for (const [src, v] of read) asKubectl(t, src, [v]);
  const tagged = parseManifests('a: {b: !x}\n', 'k.yaml').errors;
  t.match(tagged, [{ line: 1, column: 10, message: 'tag "!x" is followed by "}": kubectl needs a blank or the end of the line after a tag' }]);
  t.equal(tagged.length, 1);
});

t.test('CR CR LF is one line end, as kubectl reads it', async (t) => {
  // Observed with kubectl 1.32: its line reader drops one CR before each LF, and go-yaml reads
  // the CRLF left as one line break; a CR alone is a line break too.
  const read: [string, unknown][] = [
    ['a: |\r\r\n  x\r\r\n  y\r\r\n', { a: 'x\ny\n' }], ['a: "x\r\r\n  y"\r\r\nb: 1\r\r\n', { a: 'x y', b: 1 }], ['a: x\r\r\n  y\r\r\n', { a: 'x y' }],
    ['a: |\r\r\r\n  x\r\r\r\n  y\r\r\r\n', { a: '\nx\n\ny\n' }], ['a: |\r\n  x\r\n\r\r\n  y\r\n', { a: 'x\n\ny\n' }], ['a: 1\rb: 2\r', { a: 1, b: 2 }],
  ];
  for (const [src, v] of read) asKubectl(t, src, [v]);
  const crcrlf = parseManifests('a: 1\r\r\nb: [\r\r\n', 'k.yaml').errors;
  t.match(crcrlf, [{ line: 2, column: 4 }]);
  t.equal(crcrlf.length, 1);
});
