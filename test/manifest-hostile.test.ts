// Hostile input: never a crash, a hang or a stack overflow; a clear error instead.
import t from 'tap';
import { parseManifests } from '../cli/manifest/read.js';

// How long these inputs take is measured by bench/read-hostile.js; here, what they give.
t.test('binary content: NUL bytes', async (t) => {
  const bytes = Buffer.concat([Buffer.from('a: 1\n---\nb: x\n'), Buffer.from([0, 1, 2, 0, 0x0a]), Buffer.from('---\nc: 3\n')]);
  const r = parseManifests(bytes, 'bin.yaml');
  t.same(r.documents.map((d) => d.value), [{ a: 1 }, { c: 3 }]);
  t.same(r.errors.map((e) => [e.index, e.line, e.column, e.message]), [
    [1, 4, 1, 'the document contains a NUL byte (U+0000): this looks like binary data, not YAML'],
  ]);
  t.match(r.errors[0].hint, /text manifest/);
  const ctl = parseManifests('a: "x\x07y"\n', 'c.yaml');
  t.same(ctl.errors.map((e) => [e.line, e.column, e.message]), [[1, 6, 'control character U+0007 is not allowed in YAML']]);
  const escaped = parseManifests('a: "x\\ay"\n', 'c.yaml');
  t.strictSame(escaped.documents[0].value, { a: 'x\x07y' }, 'the escaped form is fine');
});

t.test('a gzip file is said to be one; binary data gets no template hint for a {{ in it', async (t) => {
  const { gzipSync } = await import('node:zlib');
  const invalid: unknown[] = [];
  const gz = parseManifests(gzipSync('apiVersion: v1\nkind: Pod\n'), 'p.yaml.gz', { onInvalidUtf8: (x) => invalid.push(x) });
  t.same(invalid, [], 'no "not UTF-8, save it as UTF-8" beside the error that names it gzip');
  t.same(gz.errors.map((e) => [e.line, e.column, e.message]), [[1, 1, 'the file is compressed with gzip, not a YAML or JSON text']]);
  t.match(gz.errors[0]?.hint, /^decompress it first/);
  const binary = parseManifests(Buffer.from([0x61, 0x3a, 0x20, 0x01, 0x02, 0xff, 0xfe, 0x7b, 0x7b, 0x0a]), 'b.bin');
  t.equal(binary.errors.length, 1);
  t.notMatch(binary.errors[0]?.hint, /template/);
});

t.test('UTF-16 without a byte order mark is said to be that, not binary data', async (t) => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n';
  for (const [enc, column] of [['utf16le', 2], ['utf16be', 1]] as const) {
    const bytes = Buffer.from(text, 'utf16le');
    if (enc === 'utf16be') bytes.swap16();
    const r = parseManifests(bytes, 'p.yaml');
    t.same(r.documents, [], enc);
    t.same(r.errors.map((e) => [e.line, e.column, e.message, e.hint]), [[1, column,
      'the document has a NUL byte (U+0000) between each of its characters: this looks like UTF-16 text without a byte order mark',
      'save the file as UTF-8 (or as UTF-16 with a byte order mark)']], enc);
  }
  // With its byte order mark, it is read.
  t.same(parseManifests(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'p.yaml').errors, []);
  // UTF-32, whose byte order mark starts as UTF-16's, is said to be that.
  const utf32le = Buffer.alloc(4 * (text.length + 1));
  [0xfeff, ...[...text].map((c) => c.codePointAt(0)!)].forEach((c, i) => utf32le.writeUInt32LE(c, 4 * i));
  const utf32be = Buffer.from(utf32le);
  utf32be.swap32();
  for (const [name, bytes] of [['utf32le', utf32le], ['utf32be', utf32be]] as const) {
    const notUtf8: unknown[] = [];
    const r = parseManifests(bytes, 'p.yaml', { onInvalidUtf8: (w) => notUtf8.push(w) });
    t.same(notUtf8, [], `${name}: not also said to be text in another encoding`);
    t.same(r.documents, [], name);
    t.same(r.errors.map((e) => [e.line, e.column, e.message, e.hint]), [[1, 1, 'the file is UTF-32 text (it starts with the UTF-32 byte order mark), which kubectl does not read', 'save the file as UTF-8']], name);
  }
});

t.test('invalid UTF-8 reads as U+FFFD, as kubectl\'s file reader gives it', async (t) => {
  // kubectl decodes its input before go-yaml or its JSON decoder see it: each invalid sequence
  // (its longest start of a valid one, or one byte) becomes U+FFFD. Observed with kubectl 1.32.
  const bytes = Buffer.concat([Buffer.from('a: 1\n---\nb: é'), Buffer.from([0xff, 0xc3]), Buffer.from('\nc: "x'),
    Buffer.from([0xe2, 0x82]), Buffer.from('"\nd: "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"\n---\ne: ü\n')]);
  const r = parseManifests(bytes, 'u.yaml');
  t.same(r.errors, []);
  t.same(r.documents.map((d) => [d.index, d.value]), [[0, { a: 1 }], [1, { b: 'é\ufffd\ufffd', c: 'x\ufffd', d: '\ufffd\ufffd\ufffd' }], [2, { e: 'ü' }]]);
  const json = parseManifests(Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from('"}')]), 'u.json');
  t.same(json.documents.map((d) => d.value), [{ a: '\ufffd' }], 'in JSON too');
  const random = Buffer.alloc(64 * 1024);
  let s = 7;
  for (let i = 0; i < random.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    random[i] = s >>> 24;
  }
  const rr = parseManifests(random, 'random.bin');
  t.ok(rr.errors.length >= 1, 'random bytes give errors');
  t.match(rr.errors[0]?.message, /looks like binary data/, 'random bytes are said to be no text');
  // Bytes that are no UTF-8 next to a control character: binary data, not a stray character.
  const noText = parseManifests(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xc2, 0x9b, 0x0a]), 'n.yaml');
  t.same(noText.errors.map((e) => [e.line, e.column, e.message]),
    [[1, 5, 'control character U+009B is not allowed in YAML: this looks like binary data or text not in UTF-8, not a manifest']]);
  t.match(noText.errors[0]?.hint, /UTF-8/);
  const lone = parseManifests('a: \ud800\n', 's.yaml');
  t.same(lone.errors.map((e) => e.message), ['the text contains an unpaired surrogate (U+D800)']);
});

t.test('alias bombs are stopped as go-yaml does', async (t) => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
  }
  const bomb = 'x: 1\n---\n' + lines.join('\n') + '\n---\nz: 2\n';
  const r = parseManifests(bomb, 'bomb.yaml');
  t.same(r.documents.map((d) => d.value), [{ x: 1 }, { z: 2 }]);
  t.same(r.errors.map((e) => [e.index, e.message]), [[1, 'document contains excessive aliasing']]);
  // Modest reuse of anchors is fine.
  const ok = parseManifests('base: &b {a: 1, b: [1, 2, 3]}\n' + Array.from({ length: 50 }, (_, i) => `k${i}: *b`).join('\n') + '\n', 'ok.yaml');
  t.same(ok.errors, []);
  t.equal(Object.keys(ok.documents[0].value as object).length, 51);
});

t.test('deep nesting: an error, no stack overflow', async (t) => {
  const inputs: [string, string][] = [
    ['100,000 [', '['.repeat(100000)],
    ['100,000 [ as a value', 'a: ' + '['.repeat(100000) + ']'.repeat(100000)],
    ['100,000 { as a value', 'a: ' + '{a: '.repeat(100000) + '}'.repeat(100000)],
    ['100,000 {', '{"a":'.repeat(100000)],
    ['100,000 "- "', '- '.repeat(100000) + 'x\n'],
    ['2,000 nested block maps', Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + '\n'],
    ['800 nested block sequences', Array.from({ length: 800 }, (_, i) => ' '.repeat(2 * i) + '-').join('\n') + '\n' + ' '.repeat(1600) + 'x\n'],
  ];
  for (const [name, src] of inputs) {
    const r = parseManifests(src, 'deep.yaml');
    t.equal(r.documents.length, 0, `${name}: no document`);
    t.equal(r.errors.length, 1, `${name}: one error`);
    t.match(r.errors[0]?.message, /nests collections (more than 500 levels deep|too deeply to read)/, `${name}: ${r.errors[0]?.message}`);
  }
  const fine = Array.from({ length: 100 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n';
  t.same(parseManifests(fine, 'ok.yaml').errors, [], '100 levels are fine');
});

t.test('deep nesting of megabytes is stopped at its 501st level, before it is parsed', async (t) => {
  // Parsed first, 5 MB of [ took over 4 GB and a minute, and the process died with the valid pods.
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: i}]}\n`;
  const cases: [string, string, number, number][] = [
    ['5,000,000 [', 'a: ' + '['.repeat(5_000_000) + '\n', 6, 504],
    ['2,000,000 [ and ]', 'data: ' + '['.repeat(2_000_000) + ']'.repeat(2_000_000) + '\n', 6, 507],
    ['2,000,000 {a: ', 'a: ' + '{a: '.repeat(2_000_000) + '\n', 6, 2004],
    ['2,000,000 "- " on one line', 'a:\n  ' + '- '.repeat(2_000_000) + 'x\n', 7, 1003],
    ['2,000,000 "? " on one line', '? '.repeat(2_000_000) + 'x\n', 6, 1001],
  ];
  for (const [name, deep, line, column] of cases) {
    const r = parseManifests(`${pod('a')}---\n${deep}---\n${pod('b')}`, 'deep.yaml');
    t.same(r.errors.map((e) => [e.index, e.line, e.column, e.message]), [[1, line, column, 'document nests collections more than 500 levels deep']], name);
    t.same(r.documents.map((d) => (d.value as { metadata: { name: string } }).metadata.name), ['a', 'b'], `${name}: its neighbours are read`);
  }
  // Brackets in quoted and block scalars nest nothing.
  const quoted = 'a: [' + Array.from({ length: 300 }, () => '"[[["').join(', ') + ']\nb: |\n  ' + '['.repeat(800) + '\nc: \'{{{{\'\n';
  t.same(parseManifests(quoted, 'q.yaml').errors, []);
});

t.test('unclosed quotes and brackets in large input: found at their opening', async (t) => {
  const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: ["v", {w: 'x'}]`).join('\n');
  const cases: [string, string, [number, number, number, string]][] = [
    ['a quote after 5,000 keys', keys + '\nz: "open\n---\nb: 1\n', [0, 5001, 4, 'the double quote (") opened here is not closed']],
    ['a bracket after 5,000 keys', keys + '\nz: [open, {a: b}\n---\nb: 1\n', [0, 5001, 4, '"[" is not closed: the list opened here has no "]" before the end of the document']],
    ['400 nested unclosed [', 'a: ' + '[x, '.repeat(400) + '\n---\nb: 1\n', [0, 1, 1600, '"[" is not closed: the list opened here has no "]" before the end of the document']],
  ];
  for (const [name, src, want] of cases) {
    const r = parseManifests(src, 'open.yaml');
    t.same(r.errors.map((e) => [e.index, e.line, e.column, e.message]), [want], name);
    t.same(r.documents.map((d) => [d.index, d.value]), [[1, { b: 1 }]], `${name}: the next document is read`);
  }
  const nested = parseManifests('a: ' + '[x, '.repeat(400) + '\n', 'open.yaml').errors[0];
  t.match(nested.hint, /; the 399 brackets around it are not closed either$/, 'the hint does not list every bracket');
});

t.test('large inputs are read without error', async (t) => {
  const cases: [string, string][] = [
    ['one 8 MB value', 'a: ' + 'x'.repeat(8e6) + '\n'],
    ['200,000 keys', Array.from({ length: 200000 }, (_, i) => `k${i}: v${i}`).join('\n') + '\n'],
    ['100,000 tiny documents', '---\na: 1\n'.repeat(100000)],
    ['100,000 empty documents', '---\n'.repeat(100000)],
    ['1 MB multi-line plain scalar', 'a: ' + 'word '.repeat(20).concat('\n  ').repeat(10000) + 'end\n'],
    ['1 MB literal block', 'a: |\n' + '  line of text\n'.repeat(80000)],
    ['100,000 comment lines', '# c\n'.repeat(100000) + 'a: 1\n'],
    ['200,000 flow items', 'a: [' + Array.from({ length: 200000 }, (_, i) => String(i)).join(', ') + ']\n'],
    // Read again with each line indented, positions mapped back: linear, not per line and node.
    ['100,000 flow lines indented too little', 'a:\n  b: [\n' + Array.from({ length: 100000 }, (_, i) => `${i},`).join('\n') + '\n0]\n'],
  ];
  for (const [name, src] of cases) {
    const r = parseManifests(src, 'big.yaml');
    t.same(r.errors, [], `${name}: no error`);
  }
  const many = parseManifests('---\na: 1\n'.repeat(100000), 'm.yaml');
  t.equal(many.documents.length, 100000);
  t.equal(many.documents[99999].index, 99999);
  t.equal(many.documents[99999].line, 200000);
});
