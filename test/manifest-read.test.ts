import t from 'tap';
import { parseManifests, type ReadPath } from '../cli/manifest/read.js';
import { INDEXED_ENTRIES } from '../cli/manifest/fast.js';
import { parseJsonValue } from '../cli/manifest/json.js';
import { LineIndex, locateOffset, type PosRecord } from '../cli/manifest/positions.js';

const helm = `---
# Source: web/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: "nginx:1.25"
          args: ["--port", "8080"]
          securityContext:
            privileged: true
        - name: sidecar
          image: envoy
      volumes:
      - name: data
        emptyDir: {}
`;

t.test('helm template output: documents, indexes, lines, values', async (t) => {
  const r = parseManifests(helm, 'chart.yaml');
  t.same(r.errors, []);
  t.equal(r.documents.length, 2);
  const [sa, dep] = r.documents;
  t.equal(sa.file, 'chart.yaml');
  t.equal(sa.index, 0);
  t.equal(sa.line, 3, 'content starts after the --- line and the comment');
  t.strictSame(sa.value, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' } });
  t.equal(dep.index, 1);
  t.equal(dep.line, 9);
  t.strictSame(dep.value, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1.25', args: ['--port', '8080'], securityContext: { privileged: true } },
            { name: 'sidecar', image: 'envoy' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  });
});

t.test('locate: keys, items, missing paths, document start', async (t) => {
  for (const path of [undefined, 'full'] as const) {
    const dep = parseManifests(helm, 'chart.yaml', { path }).documents[1];
    const at = (p: (string | number)[]) => dep.locate(p);
    t.same(at([]), { line: 9, column: 1 }, `${path}: document start`);
    t.same(at(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']), { line: 23, column: 13 }, `${path}: key`);
    t.same(at(['spec', 'template', 'spec', 'containers', 1]), { line: 24, column: 9 }, `${path}: block item points at its -`);
    t.same(at(['spec', 'template', 'spec', 'containers', 1, 'image']), { line: 25, column: 11 }, `${path}: key in item`);
    t.same(at(['spec', 'template', 'spec', 'volumes', 0, 'emptyDir']), { line: 28, column: 9 }, `${path}: sequence at its parent's indentation`);
    t.same(at(['spec', 'template', 'spec', 'containers', 0, 'args', 1]), { line: 21, column: 28 }, `${path}: flow item points at its first token`);
    t.same(at(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsUser']), { line: 22, column: 11 }, `${path}: missing key: nearest ancestor`);
    t.same(at(['spec', 'template', 'spec', 'containers', 7, 'image']), { line: 18, column: 7 }, `${path}: missing index: nearest ancestor`);
    t.same(at(['metadata', 'name', 'deeper']), { line: 12, column: 3 }, `${path}: path through a scalar`);
    t.same(at(['spec', 'template', 'spec', 'containers', '1']), { line: 24, column: 9 }, `${path}: index given as a string`);
  }
});

t.test('empty documents count for index but produce nothing', async (t) => {
  const src = '# leading comment\n---\na: 1\n---\n# only a comment\n---\n\n---\nb: 2\n...\n---\nc: 3\n---\n';
  const r = parseManifests(src, 's.yaml');
  t.same(r.errors, []);
  t.same(r.documents.map((d) => [d.index, d.line, d.value]), [[0, 3, { a: 1 }], [3, 9, { b: 2 }], [4, 12, { c: 3 }]]);
  const implicit = parseManifests('a: 1\n---\nb: 2\n', 's.yaml');
  t.same(implicit.documents.map((d) => [d.index, d.line]), [[0, 1], [1, 3]], 'a first document without --- counts');
  t.same(parseManifests('', 'e.yaml'), { documents: [], errors: [], text: '' });
  t.same(parseManifests('# nothing\n\n', 'e.yaml'), { documents: [], errors: [], text: '# nothing\n\n' });
  const nul = parseManifests('--- ~\n', 'n.yaml');
  t.same(nul.documents.map((d) => d.value), [null], 'an explicit null document is returned (kubectl skips it)');
});

t.test('a syntax error loses only its own document', async (t) => {
  const src = [
    'apiVersion: v1\nkind: A\n',
    '---\napiVersion: v1\nkind: B\n',
    '---\napiVersion: v1\nkind: C\nmetadata:\n  name: [unclosed\n',
    '---\napiVersion: v1\nkind: D\n',
    '---\nkind: E\nmetadata:\n  name: x\n  name: y\n',
    '---\nkind: F\n  bad: indent\n',
    '---\nkind: G\n',
  ].join('');
  for (const path of [undefined, 'full'] as const) {
    const r = parseManifests(src, 'multi.yaml', { path });
    t.same(r.documents.map((d) => [d.index, (d.value as { kind: string }).kind]), [[0, 'A'], [1, 'B'], [3, 'D'], [6, 'G']]);
    t.equal(r.errors.length, 3);
    const [e2, e4, e5] = r.errors;
    t.match(e2, { file: 'multi.yaml', index: 2, line: 10, column: 9 });
    t.equal(e2.message, '"[" is not closed: the list opened here has no "]" before the end of the document');
    t.match(e2.hint, /^add "\]" where the list ends/);
    t.same(e4, { file: 'multi.yaml', index: 4, line: 18, column: 3, message: 'key "name" already set in map', hint: e4.hint });
    t.match(e4.hint, /remove one of the two entries/);
    // `kind: F` runs on into the next, further indented line: kubectl names the line of its colon.
    t.match(e5, { index: 5, line: 21, column: 3, message: /^mapping values are not allowed in this context: this key is indented further than the one above it/ });
    t.ok(e5.message.length > 0 && e5.hint.length > 0);
  }
});

t.test('a key indented further than the one above it is reported at its own line, with what to do', async (t) => {
  const RUN_ON = { message: /^mapping values are not allowed in this context: this key is indented further/, hint: 'indent the key as its neighbours are; if the line belongs to the value above, quote that value' };
  const cases: [string, object][] = [
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: c\n  labels:\n    app: web\n      tier: x\n', { line: 7, column: 7, ...RUN_ON }],
    ['spec:\n  containers:\n  - name: x\n      image: y\n', { line: 4, column: 7, ...RUN_ON }],
    // After a quoted value nothing runs on: the indentation itself is the error, on that line.
    ['a: "quoted"\n  b: 1\n', { line: 2, column: 1, message: 'all mapping items must start at the same column' }],
    // A second key on the same line is the other mistake, at that line.
    ['a: b: c\n', { line: 1, column: 4, message: 'the value "b: c" holds ": ", which makes it another key on the same line' }],
  ];
  for (const [src, want] of cases) {
    for (const path of [undefined, 'full'] as const) t.match(parseManifests(src, 'i.yaml', { path }).errors, [want], JSON.stringify(src));
  }
});

const QUOTE_HINT = 'add the closing " where the value ends (until then the lines after it are read as part of the value); write a " inside the value as \\"';

t.test('an unclosed quote is reported where it opens, and only its document is lost', async (t) => {
  const src = [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n',
    '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\n',
    '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: c\n',
  ].join('');
  for (const path of [undefined, 'full'] as const) {
    const r = parseManifests(src, 'q.yaml', { path });
    t.same(r.errors, [{ file: 'q.yaml', index: 1, line: 9, column: 9, message: 'the double quote (") opened here is not closed', hint: QUOTE_HINT }], String(path));
    t.same(r.documents.map((d) => [d.index, (d.value as { metadata: { name: string } }).metadata.name]), [[0, 'a'], [2, 'c']]);
  }
  const at = (s: string) => parseManifests(s, 'q.yaml').errors.map((e) => [e.index, e.line, e.column, e.message]);
  t.same(at('a: 1\nb: "x\nc: 2\n'), [[0, 2, 4, 'the double quote (") opened here is not closed']], 'the lines after it are swallowed, not reported');
  t.same(at("a:\n  - 'it''s\n  - y\n"), [[0, 2, 5, "the single quote (') opened here is not closed"]], "'' inside single quotes does not close them");
  t.same(at('a: "x\\"\n'), [[0, 1, 4, 'the double quote (") opened here is not closed']], 'an escaped quote does not close');
  t.same(at('"key: 1\n'), [[0, 1, 1, 'the double quote (") opened here is not closed']], 'in a key');
  t.same(at('a: [b, "c\n---\nd: 1\n'), [[0, 1, 8, 'the double quote (") opened here is not closed']], 'inside an unclosed list, the quote is what swallowed its end');
  t.match(parseManifests("a: 'x\n", 'q.yaml').errors[0].hint, /add the closing ' where the value ends.*write a ' inside the value as ''/);
});

const LIST_HINT = 'add "]" where the list ends';

t.test('an unclosed [ or { is reported at the bracket, and only its document is lost', async (t) => {
  for (const path of [undefined, 'full'] as const) {
    const r = parseManifests('a: [\n---\nb: 1\n', 'f.yaml', { path });
    t.same(r.errors, [{ file: 'f.yaml', index: 0, line: 1, column: 4, message: '"[" is not closed: the list opened here has no "]" before the end of the document', hint: LIST_HINT }], String(path));
    t.same(r.documents.map((d) => [d.index, d.value]), [[1, { b: 1 }]]);
  }
  const at = (s: string) => parseManifests(s, 'f.yaml').errors.map((e) => [e.index, e.line, e.column, e.message, e.hint]);
  t.same(at('x: 1\n---\nkind: Pod\nmetadata: {name: x,\n  labels: {a: b}\n---\nkind: B\n'), [
    [1, 4, 11, '"{" is not closed: the mapping opened here has no "}" before the end of the document',
      'add "}" where the mapping ends'],
  ], 'brackets closed inside it do not close it');
  t.same(at('k: v\na: [b,\n  c\nd: [e]\n'), [[0, 2, 4, '"[" is not closed: the list opened here has no "]" before the end of the document', LIST_HINT]],
    'a less indented key after it ends the list, but it is still unclosed');
  t.same(at('a: [b, {c: 1\n'), [[0, 1, 8, '"{" is not closed: the mapping opened here has no "}" before the end of the document',
    'add "}" where the mapping ends; the "[" around it is not closed either']]);
  t.same(at('a: {b: [1, 2}\n'), [[0, 1, 8, '"[" is not closed: the list opened here meets "}" before its "]"', 'add "]" where the list ends, before the "}"']]);
  t.same(at('a: [b, "]", c # ]\n'), [[0, 1, 4, '"[" is not closed: the list opened here has no "]" before the end of the document', LIST_HINT]],
    'brackets in quotes and comments do not count');
  t.same(at('[a, b\n'), [[0, 1, 1, '"[" is not closed: the list opened here has no "]" before the end of the document', LIST_HINT]], 'at the root');
  // go-yaml checks no indentation inside [ ] and { }: kubectl reads this (observed with kubectl 1.32).
  const under = parseManifests('a: [b,\nc]\nd: {e: f,\n g: h}\n', 'f.yaml');
  t.same([under.errors, under.documents.map((x) => x.value)], [[], [{ a: ['b', 'c'], d: { e: 'f', g: 'h' } }]], 'closed on a line indented too little: read');
  t.same(under.documents[0].locate(['d', 'g']), { line: 4, column: 2 }, 'positions in the original text');
});

t.test('template syntax gets a hint to render it first', async (t) => {
  const r = parseManifests('a: 1\n---\nmetadata:\n  name: {{ .Values.name }}\n  labels:\n{{ include "labels" . | indent 4 }}\n', 't.yaml');
  t.equal(r.documents.length, 1);
  t.equal(r.errors.length, 1);
  t.equal(r.errors[0].index, 1);
  t.match(r.errors[0].hint, /helm template/);
  // On the error's own line, the template is said to be the cause.
  const onLine = parseManifests('data:\n  config: {{config_data}}\n', 't.yaml');
  t.same(onLine.errors.map((e) => [e.line, e.hint]), [[2, 'this line contains {{ }} template syntax, which YAML reads as a mapping: render the template first (for example with `helm template`)']]);
  // Only the document's own text counts: template syntax in a later document says nothing of it.
  const later = parseManifests('a: [\n---\nb: "{{ .Values.x }}"\n', 't.yaml');
  t.same(later.errors.map((e) => [e.index, e.hint]), [[0, 'add "]" where the list ends']], 'no hint from the next document');
});

t.test('JSON documents and streams', async (t) => {
  const one = parseManifests('{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "spec": {"containers": [{"name": "a", "securityContext": {"privileged": true}}]}\n}\n', 'p.json');
  t.same(one.errors, []);
  t.equal(one.documents.length, 1);
  const d = one.documents[0];
  t.strictSame(d.value, { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', securityContext: { privileged: true } }] } });
  t.equal(d.line, 1);
  t.same(d.locate(['spec', 'containers', 0, 'securityContext', 'privileged']), { line: 4, column: 61 });
  t.same(d.locate(['spec', 'containers', 0]), { line: 4, column: 27 });
  t.same(d.locate(['kind']), { line: 3, column: 3 });

  const stream = parseManifests('{"kind": "A", "n": "yes", "x": 1e2}\n{"kind": "B"}{"kind": "C"}\n{"kind": ]\n{"kind": "E", "kind": "F"}\n{"kind": "G"}\n', 's.json');
  t.same(stream.documents.map((x) => [x.index, x.line, x.value]), [
    [0, 1, { kind: 'A', n: 'yes', x: 100 }], [1, 2, { kind: 'B' }], [2, 2, { kind: 'C' }], [5, 5, { kind: 'G' }],
  ], 'quoted JSON strings stay strings; a broken value loses only itself');
  t.same(stream.errors.map((e) => [e.index, e.line, e.column, e.message]), [
    [3, 3, 10, "invalid character ']' looking for beginning of value"],
    [4, 4, 15, 'key "kind" already set in map'],
  ]);
  // An object missing its closing brace: the error is at the `{` that starts the next line,
  // and that object is read, not skipped with the broken one.
  const unclosed = parseManifests('{"kind": "A", "n": 1\n{"kind": "B"}\n{"kind": "C"}\n', 'u.json');
  t.same(unclosed.documents.map((x) => [x.index, x.line, x.value]), [[1, 2, { kind: 'B' }], [2, 3, { kind: 'C' }]]);
  t.same(unclosed.errors.map((e) => [e.index, e.line, e.column, e.message]), [[0, 2, 1, "invalid character '{' after object key:value pair"]]);
  const pretty = parseManifests('{\n  "kind": "A",\n  "spec": {\n    "x": 1\n  }\n{\n  "kind": "B"\n}\n', 'p.json');
  t.same(pretty.documents.map((x) => [x.index, x.line, x.value]), [[1, 6, { kind: 'B' }]], 'an indented object whose last } was lost');
  const yamlFlow = parseManifests('# a comment first\n{"a": yes}\n', 'y.yaml');
  t.strictSame(yamlFlow.documents[0].value, { a: true }, 'only input starting with { is JSON');
  // kubectl looks past Go's spaces (U+00A0 and U+3000 among them, U+FEFF not) for the `{`, and
  // its JSON decoder then refuses what is not a JSON space: observed with kubectl 1.32.
  for (const lead of ['\u00a0', '\n\u3000', ' \u2028']) {
    const r = parseManifests(lead + '{"a": 1}\n', 'n.json');
    t.same([r.documents.length, r.errors.map((e) => [e.line, e.message])], [0, [[lead.includes('\n') ? 2 : 1, `invalid character '${lead.replace(/[ \n]/g, '')}' looking for beginning of value`]]], `U+${lead.charCodeAt(lead.length - 1).toString(16)} before {`);
  }
  t.same(parseManifests(' \t\n{"a": 1}\n', 'n.json').documents.map((d) => d.value), [{ a: 1 }]);
  t.same(parseManifests(' \ufeff{"a": 1}\n', 'b.json').documents.map((d) => d.value), [{ '\ufeff{"a"': '1}' }], 'U+FEFF after a space: YAML');
  // kubectl looks for the `{` in the first 4096 bytes only (as UTF-8, CRLF counting two): past
  // them the input is YAML, where `\/` is no escape. Observed with kubectl 1.32.
  const slash = '{"a": "x\\/y"}\n';
  for (const [lead, asJson] of [[' '.repeat(4095), true], [' '.repeat(4096), false], ['\r\n'.repeat(2047), true], ['\r\n'.repeat(2048), false],
    [' '.repeat(4092) + '\u3000', true], [' '.repeat(4093) + '\u3000', false]] as const) {
    for (const path of [undefined, 'full'] as const) {
      const r = parseManifests(new TextEncoder().encode(lead + slash), 'far.json', { path });
      const label = `${JSON.stringify(lead.slice(-2))} after ${new TextEncoder().encode(lead).length - 3} bytes (${path ?? 'auto'})`;
      if (lead.endsWith('\u3000')) {
        // As JSON, its decoder refuses the U+3000; as YAML it is part of a scalar.
        t.equal(r.errors.some((e) => e.message.startsWith("invalid character '\u3000'")), asJson, label);
      } else {
        t.same([r.documents.map((d) => d.value), r.errors.map((e) => e.message)], asJson ? [[{ a: 'x/y' }], []] : [[], ['invalid escape sequence \\/']], label);
      }
    }
  }
  t.same(parseManifests('{"a": 1}\n\u00a0{"b": 2}\n', 'n.json').errors.map((e) => e.message), ["invalid character '\u00a0' looking for beginning of value"]);
  // YAML after JSON (`cat a.json b.yaml`) is told for what it is; a slip inside JSON gets the syntax hint.
  const mixed = parseManifests('{"a": 1}\n---\nb: 2\n', 'mixed');
  t.match(mixed.errors, [{ index: 1, line: 2, message: "invalid character '-' looking for beginning of value", hint: /^the input starts with JSON, so all of it is read as JSON values, as kubectl reads it, and YAML after them is not read/ }]);
  t.equal(mixed.errors.length, 1);
  const slip = parseManifests('{"a": 1}\n{"b": 2,}\n', 'slip.json').errors;
  t.match(slip, [{ index: 1, hint: /^fix the JSON syntax/ }]);
  t.equal(slip.length, 1);
  t.notMatch(slip[0]!.hint, /nothing after this point/, 'the next line starting with { would be read again');
  // A slip with nothing to start again at loses the rest of the input: the hint says so.
  const rest = parseManifests('{"kind": "Pod", spec: {}}\n---\nkind: Pod\n', 'rest.yaml').errors;
  t.match(rest, [{ index: 0, line: 1, hint: /^fix the JSON syntax at this position .*; nothing after this point is read, the YAML documents after --- included, as kubectl stops here too$/ }]);
  t.equal(rest.length, 1);
  t.match(parseManifests('{"kind": "Pod", spec: {}}\n', 'last.json').errors, [{ hint: /; nothing after this point is read, as kubectl stops here too$/ }]);
  t.notMatch(parseManifests('{"kind": "Pod"', 'end.json').errors[0]!.hint, /nothing after/, 'nothing after an error at the end');
  const deep = parseManifests('{"a": ' + '['.repeat(100000), 'deep.json');
  t.same(deep.errors.map((e) => e.message), ['document nests collections more than 500 levels deep']);
  const inf = parseManifests('{"a": 1e400}', 'inf.json');
  t.same(inf.errors.map((e) => e.message), ['number 1e400 is out of range']);
  // Input that ends too soon: the error is at the end of the last line, not on a line after it.
  for (const src of ['{', '{\n', '{"a": 1,\n  "b": [\n']) {
    const lastLine = src.replace(/\n$/, '').split('\n');
    t.same(parseManifests(src, 'cut.json').errors.map((e) => [e.line, e.column]), [[lastLine.length, lastLine.at(-1)!.length + 1]], JSON.stringify(src));
  }
});

t.test('line endings, BOM, bytes', async (t) => {
  const crlf = parseManifests('a: 1\r\nb: |\r\n  x\r\n  y\r\n---\r\nc: "q"\r\n', 'w.yaml');
  t.same(crlf.errors, []);
  t.same(crlf.documents.map((d) => [d.line, d.value]), [[1, { a: 1, b: 'x\ny\n' }], [6, { c: 'q' }]]);
  t.same(crlf.documents[1].locate(['c']), { line: 6, column: 1 });
  const bytes = new TextEncoder().encode('\ufeffa: é\n');
  t.strictSame(parseManifests(bytes, 'b.yaml').documents[0].value, { a: 'é' });
  t.strictSame(parseManifests('\ufeffa: 1\n', 'b.yaml').documents[0].value, { a: 1 });
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1\n', 'utf16le')]);
  t.strictSame(parseManifests(utf16, 'u.yaml').documents[0].value, { a: 1 });
  const noEol = parseManifests('a: |\n  last line', 'n.yaml');
  t.strictSame(noEol.documents[0].value, { a: 'last line\n' }, 'a file without a final line break reads as if it had one');
});


t.test('a control character or a line break only kubectl reads loses its own document, wherever it is in the stream', async (t) => {
  const docs = [
    'kind: A\nnote: "smile \u{1F600}"\n', // a surrogate pair: fine
    'kind: B\n',
    'kind: C\nnote: "bell \x07"\n',
    'kind: D\nnote: "\u{1F600} twice \u{1F600}"\n',
    'kind: E\nnote: x\u2028y\n',
    'kind: F\nnote: "lone \ud800 surrogate"\n',
    'kind: G\n',
  ];
  const src = docs.join('---\n');
  for (const only of [undefined, new Set([3, 4, 5, 6])]) {
    const r = parseManifests(src, 's.yaml', only ? { only } : {});
    const kinds = r.documents.map((d) => [d.index, (d.value as { kind: string }).kind]);
    t.same(kinds, [[0, 'A'], [1, 'B'], [3, 'D'], [6, 'G']].filter(([i]) => !only || only.has(i as number)), `documents read${only ? ' (a chosen few)' : ''}`);
    t.same(r.errors.map((e) => [e.index, e.line]), [[2, 7], [4, 13], [5, 16]].filter(([i]) => !only || only.has(i as number)), `errors${only ? ' (a chosen few)' : ''}`);
  }
  const [c, e, f] = parseManifests(src, 's.yaml').errors;
  t.match(c!.message, /control character U\+0007/);
  t.match(e!.message, /U\+2028/);
  t.match(f!.message, /U\+D800/);
});
t.test('block scalars', async (t) => {
  const src = 'a: |\n  one\n\n  two\n    indented\n\n\nb: |-\n  strip\n\nc: |+\n  keep\n\n\nd: |\n  # not a comment\ne: |\nf: x\n';
  for (const path of [undefined, 'full'] as const) {
    const r = parseManifests(src, 'b.yaml', { path });
    t.strictSame(r.documents[0].value, {
      a: 'one\n\ntwo\n  indented\n', b: 'strip', c: 'keep\n\n\n', d: '# not a comment\n', e: '', f: 'x',
    }, String(path));
  }
});

t.test('documents one at a time (consume) and a chosen few (only)', async (t) => {
  const stream = `${helm}---\na: [1,\n---\n{b: 1, c: [x, y]}\n---\nkey: '1'\n`;
  const collected = parseManifests(stream, 's.yaml');
  const paths: (string | number)[][] = [['spec', 'template', 'spec', 'containers', 1, 'image'], ['metadata', 'name'], ['c', 1], ['key']];
  // Everything a collected document tells, asked while each consumed one is current.
  const view = (d: { index: number; line: number; value: unknown; renderedFrom?: string; locate(p: (string | number)[]): unknown }) =>
    ({ index: d.index, line: d.line, value: d.value, renderedFrom: d.renderedFrom, at: paths.map((p) => d.locate(p)) });
  const consumed: unknown[] = [];
  const streamed = parseManifests(stream, 's.yaml', { consume: (d) => consumed.push(view(d)) });
  t.same(streamed.documents, [], 'consumed documents are not collected');
  t.same(consumed, collected.documents.map(view));
  t.same(streamed.errors, collected.errors, 'errors are reported the same way');
  t.equal(collected.errors.length, 1);

  const some = parseManifests(stream, 's.yaml', { only: new Set([1, 4]) });
  t.same(some.documents.map(view), [collected.documents[1], collected.documents[3]].map(view), 'only the chosen documents');
  t.same(some.errors, [], 'documents not chosen are not read, so their errors are not reported');

  const json = '{"a": 1}\n{"b": [2, 3]}\n{"c": 3}\n';
  const picked = parseManifests(json, 's.json', { only: new Set([1]) });
  t.same(picked.documents.map((d) => [d.index, d.value, d.locate([])]), [[1, { b: [2, 3] }, { line: 2, column: 1 }]]);
  t.same(picked.documents[0]!.locate(['b', 1]), { line: 2, column: 11 });
});

/** The path of every node of a value, each followed by a missing key and a missing index under it. */
function pathsOf(value: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, at: (string | number)[]): void => {
    paths.push(at, [...at, 'absent'], [...at, 7]);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(value, []);
  return paths;
}

t.test('JSON: a List records only its top at first; a walk below reads the item it reaches again, at the same offsets as a full reading', async (t) => {
  const item = (i: number) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, labels: { app: `a${i}` } },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'i', args: ['x', { deep: [i, null] }], securityContext: {} }], volumes: [] } } },
  });
  const list = { apiVersion: 'v1', kind: 'List', items: [0, 1, 2].map(item), metadata: { resourceVersion: '' } };
  // As kubectl writes it (four spaces), compact, and with a duplicate key kept last in an item.
  const texts = [JSON.stringify(list, null, 4), JSON.stringify(list), JSON.stringify(list, null, 2).replace('"name": "d1"', '"name": "x", "name": "d1"')];
  for (const text of texts) {
    const r = parseManifests(text, 'l.json', { duplicateKeys: 'last' });
    t.same(r.errors, []);
    const doc = r.documents[0]!;
    const rec: PosRecord = new Map();
    const full = parseJsonValue(text, 0, rec, () => {});
    const lines = new LineIndex(text);
    // Deepest first, so that items are read again from a deep path as well as from a shallow one.
    for (const path of pathsOf(doc.value).reverse()) {
      t.same(doc.locate(path), lines.position(locateOffset(full.value, rec, 0, path)), JSON.stringify(path));
    }
  }
});

t.test('a YAML List large enough for its walks to use an index gives the full reader\'s positions', async (t) => {
  const items: string[] = [];
  for (let i = 0; i < 400; i++) {
    items.push(`- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: d${i}\n    labels: {app: a${i}, tier: web}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: c\n          image: i\n          args: [x, y]\n          securityContext:\n            privileged: true\n        - name: d\n          env:\n          - name: A\n            value: "1"\n`);
  }
  const text = `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`;
  const paths = new Map<number, ReadPath>();
  const fast = parseManifests(text, 'l.yaml', { onDocument: (i, p) => paths.set(i, p) }).documents[0]!;
  const full = parseManifests(text, 'l.yaml', { path: 'full' }).documents[0]!;
  t.equal(paths.get(0), 'fast');
  const all = pathsOf(fast.value);
  // Each map entry and sequence item is recorded as two numbers; the root is no entry.
  const entries = 2 * (all.length / 3 - 1);
  t.ok(entries > INDEXED_ENTRIES, `${entries} entries: indexed`);
  let differ = 0;
  for (const p of all) if (JSON.stringify(fast.locate(p)) !== JSON.stringify(full.locate(p)) && differ++ === 0) t.same(fast.locate(p), full.locate(p), JSON.stringify(p));
  t.equal(differ, 0, `${all.length} paths located alike`);
});

t.test('a JSON List under a comment line (YAML to kubectl) is read in one pass, with the full reader\'s values and positions', async (t) => {
  const items = [];
  for (let i = 0; i < 300; i++) {
    items.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}` }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i', args: ['x', 'y'], securityContext: { privileged: i % 2 === 0 } }] } } } });
  }
  const json = { apiVersion: 'v1', kind: 'List', items };
  for (const [shape, body] of [['indented', JSON.stringify(json, null, 2)], ['compact', JSON.stringify(json)]]) {
    const text = `# exported from the cluster\n${body}\n`;
    const paths = new Map<number, ReadPath>();
    const fast = parseManifests(text, 'l.yaml', { onDocument: (i, p) => paths.set(i, p) });
    const full = parseManifests(text, 'l.yaml', { path: 'full' });
    t.equal(paths.get(0), 'fast', `${shape}: read by the fast reader`);
    t.same(fast.errors, [], `${shape}: no error`);
    t.same(fast.documents[0]!.value, json, `${shape}: the value JSON.parse gives`);
    let differ = 0;
    const all = pathsOf(json);
    for (const p of all) if (JSON.stringify(fast.documents[0]!.locate(p)) !== JSON.stringify(full.documents[0]!.locate(p)) && differ++ === 0) t.same(fast.documents[0]!.locate(p), full.documents[0]!.locate(p), JSON.stringify(p));
    t.equal(differ, 0, `${shape}: ${all.length} paths located alike`);
  }
});

t.test('duplicate keys: an error by default; with duplicateKeys "last", the last value and its position', async (t) => {
  const yaml = 'a: 1\nm:\n  x: 1\n  z: 2\n  x: 3\nb: &b {p: 1}\nq:\n  <<: *b\n  p: 2\n';
  const duplicate = parseManifests(yaml, 'd.yaml').errors;
  t.match(duplicate, [{ index: 0, line: 5, column: 3, message: 'key "x" already set in map' }]);
  t.equal(duplicate.length, 1);
  const told: unknown[] = [];
  const r = parseManifests(yaml, 'd.yaml', { duplicateKeys: 'last', onDuplicateKey: (d) => told.push(d) });
  t.same(r.errors, []);
  t.same(r.documents[0]!.value, { a: 1, m: { x: 3, z: 2 }, b: { p: 1 }, q: { p: 2 } }, 'the last value wins, a merged one too');
  t.same(r.documents[0]!.locate(['m', 'x']), { line: 5, column: 3 }, 'located at the entry that counts');
  // `p: 2` overrides a merged key: not a duplicate.
  t.same(told, [{ index: 0, key: 'x', line: 5, column: 3 }]);
  const merged = parseManifests('b: &b {p: 1}\nq:\n  <<: *b\n  p: 2\n', 'd.yaml');
  t.same(merged.errors, [], 'overriding a merged key is no error either');
  t.same(merged.documents[0]!.value, { b: { p: 1 }, q: { p: 2 } });
  const aliased: unknown[] = [];
  parseManifests('a: &a {p: 1, p: 2}\nb: *a\nc: {<<: *a}\n', 'd.yaml', { duplicateKeys: 'last', onDuplicateKey: (d) => aliased.push(d) });
  t.same(aliased, [{ index: 0, key: 'p', line: 1, column: 14 }], 'told once, not once per alias');
  // JSON, as Go's decoder reads it: the last one wins.
  const json = '{"a": 1, "a": {"b": 2}}';
  const jsonDuplicate = parseManifests(json, 'd.json').errors;
  t.match(jsonDuplicate, [{ line: 1, column: 10, message: 'key "a" already set in map' }]);
  t.equal(jsonDuplicate.length, 1);
  const j = parseManifests(json, 'd.json', { duplicateKeys: 'last', onDuplicateKey: (d) => told.push(d) });
  t.same(j.documents[0]!.value, { a: { b: 2 } });
  t.same(j.documents[0]!.locate(['a', 'b']), { line: 1, column: 16 });
  t.same(told.at(-1), { index: 0, key: 'a', line: 1, column: 10 });
});
