// kubectl / API server semantics (sigs.k8s.io/yaml over go-yaml v2, strict) for single values,
// checked through both readers: the fast block reader and the full parser.
import t, { type TAP } from 'tap';
import { parseManifests, type ReadPath } from '../cli/manifest/read.js';

type Expect = { value: unknown } | { error: string; line?: number; column?: number };

/** The assertions used here (any tap test object has them). */
type Asserts = Pick<TAP, 'same' | 'strictSame' | 'equal' | 'ok'>;

function read(src: string, path?: 'full') {
  const paths: ReadPath[] = [];
  const r = parseManifests(src, 'm.yaml', { path, onDocument: (_i, p) => paths.push(p) });
  return { ...r, paths };
}

/** Checks `src` (one document) through both readers; `fast` says whether the fast reader must take it. */
function check(t: Asserts, src: string, want: Expect, fast: boolean): void {
  for (const path of [undefined, 'full'] as const) {
    const r = read(src, path);
    // Escaped: the test report is line-based, and a raw U+2028 or U+0085 would break a line.
    const label = `${JSON.stringify(src).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)} (${path ?? 'auto'})`;
    if ('value' in want) {
      t.same(r.errors, [], `${label}: no error`);
      t.equal(r.documents.length, 1, `${label}: one document`);
      t.strictSame(r.documents[0]?.value, want.value, label);
      if (path === undefined) t.same(r.paths, [fast ? 'fast' : 'full'], `${label}: read by the ${fast ? 'fast' : 'full'} reader`);
    } else {
      t.equal(r.documents.length, 0, `${label}: no document`);
      t.equal(r.errors.length, 1, `${label}: one error`);
      t.equal(r.errors[0]?.message, want.error, label);
      if (want.line !== undefined) t.equal(r.errors[0]?.line, want.line, `${label}: line`);
      if (want.column !== undefined) t.equal(r.errors[0]?.column, want.column, `${label}: column`);
      t.ok(r.errors[0]?.hint, `${label}: has a hint`);
    }
  }
}

t.test('booleans: go-yaml v2 resolve table (YAML 1.1), exact spellings only', async (t) => {
  for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']) {
    check(t, `a: ${s}\n`, { value: { a: true } }, true);
  }
  for (const s of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']) {
    check(t, `a: ${s}\n`, { value: { a: false } }, true);
  }
  for (const s of ['yEs', 'tRUE', 'oN', 'nO', 'FaLsE', 'yes!', 'Y2']) {
    check(t, `a: ${s}\n`, { value: { a: s } }, true);
  }
});

t.test('nulls', async (t) => {
  for (const s of ['~', 'null', 'Null', 'NULL', '']) check(t, `a: ${s}\n`, { value: { a: null } }, true);
  check(t, 'a:\nb: 1\n', { value: { a: null, b: 1 } }, true);
  check(t, 'a: nULL\n', { value: { a: 'nULL' } }, true);
  check(t, '- \n- ~\n', { value: [null, null] }, true);
});

t.test('integers: Go ParseInt base 0 after removing underscores', async (t) => {
  const cases: [string, unknown][] = [
    ['0x1F', 31], ['0X1f', 31], ['-0x10', -16], ['+0x10', 16],
    ['010', 8], ['0755', 493], ['-010', -8], ['00', 0], ['0', 0], ['-0', 0],
    ['08', 8], ['09.5', 9.5], // not octal: falls through to the float syntax
    ['0o17', 15], ['0O17', 15],
    ['0b101', 5], ['-0b101', -5], ['+0b11', 3],
    ['1_000', 1000], ['1__0', 10], ['1_', 1], ['0x_ff', 255],
    ['+12', 12], ['-12', -12],
    ['0x', '0x'], ['0b', '0b'], ['_1', '_1'], ['1-2', '1-2'], ['12e', '12e'], ['1:20', '1:20'],
    ['9007199254740993', 9007199254740992], // beyond 2^53: nearest double, as JSON.parse would give
    ['9223372036854775807', 9223372036854775807],
    ['18446744073709551615', 18446744073709551615], // uint64
    // Beyond 64 bits only the float syntax gives a number.
    ['18446744073709551616', 18446744073709551616], ['-9223372036854777857', -9223372036854777857],
    // Past int64 by less than doubles tell apart: the next double away from 2^63 (see apartFromInt64).
    ['9223372036854775808', 2 ** 63 + 2048], ['-9223372036854775809', -(2 ** 63) - 2048], ['-9223372036854775808', -(2 ** 63)],
    ['0x10000000000000000', '0x10000000000000000'], ['0o7777777777777777777777777', '0o7777777777777777777777777'],
  ];
  for (const [s, v] of cases) check(t, `a: ${s}\n`, { value: { a: v } }, true);
});

t.test('floats', async (t) => {
  const cases: [string, unknown][] = [
    ['1.5', 1.5], ['.5', 0.5], ['-.5', -0.5], ['1.', 1], ['1e3', 1000], ['1.0e+3', 1000], ['6.02E23', 6.02e23],
    ['.5_5', 0.55], ['1_000.5', 1000.5], ['._5', '._5'], ['1e999', '1e999'], ['0x1p3', '0x1p3'],
    ['1.2.3', '1.2.3'], ['.', '.'], ['+.5', 0.5],
  ];
  for (const [s, v] of cases) check(t, `a: ${s}\n`, { value: { a: v } }, true);
  t.ok(Object.is((read('a: -0.0\n').documents[0].value as { a: number }).a, -0), '-0.0 stays negative zero');
});

t.test('.inf and .nan: JSON cannot hold them, so the document is rejected', async (t) => {
  for (const s of ['.inf', '.Inf', '.INF', '+.inf', '-.inf', '-.Inf']) {
    check(t, `a: ${s}\n`, { error: `value ${s} is infinity, which JSON (and so Kubernetes) cannot represent`, line: 1, column: 4 }, false);
  }
  for (const s of ['.nan', '.NaN', '.NAN']) {
    check(t, `x: 1\nb: ${s}\n`, { error: `value ${s} is NaN, which JSON (and so Kubernetes) cannot represent`, line: 2, column: 4 }, false);
  }
  check(t, 'a: .INf\n', { value: { a: '.INf' } }, true);
  check(t, 'a: "+.inf"\n', { value: { a: '+.inf' } }, true);
});

t.test('timestamps stay strings', async (t) => {
  for (const s of ['2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2002-12-14T21:59:43Z']) {
    check(t, `a: ${s}\n`, { value: { a: s } }, true);
  }
  check(t, 'a: !!timestamp 2001-12-14\n', { value: { a: '2001-12-14' } }, false);
});

t.test('quoted and block scalars are always strings', async (t) => {
  check(t, 'a: "yes"\nb: \'on\'\nc: "123"\nd: \'~\'\ne: "0x10"\n', { value: { a: 'yes', b: 'on', c: '123', d: '~', e: '0x10' } }, true);
  check(t, 'a: |\n  yes\nb: |-\n  123\n', { value: { a: 'yes\n', b: '123' } }, true);
  check(t, 'a: >-\n  true\n', { value: { a: 'true' } }, true);
  check(t, 'a: "it\'s \\"q\\" \\t \\u00e9 \\x41 \\U0001F600"\n', { value: { a: 'it\'s "q" \t é A 😀' } }, true);
  check(t, "a: 'it''s'\n", { value: { a: "it's" } }, true);
});

t.test('scalars over several lines: folded as go-yaml folds them', async (t) => {
  // A line break is a space; each empty line after it, a line break; blanks around a break go.
  check(t, 'a: multi  \n   line\n\n  para\n\n\nb: 1\n', { value: { a: 'multi line\npara', b: 1 } }, true);
  check(t, '- x\n  y\n- 1\n  2\n', { value: ['x y', '1 2'] }, true);
  check(t, 'a:\n  b: c\n    d\n  e: f\n', { value: { a: { b: 'c d', e: 'f' } } }, true);
  check(t, "a: 'x  \n  y\n\n  z'\nb: \"p\\tq  \n\n\n   r\"\n", { value: { a: 'x y\nz', b: 'p\tq\n\nr' } }, true);
  // An escaped line break joins the lines with nothing between them (shell commands in pods).
  check(t, 'a: "x \\\n    --y\\\n\n    z\\\n    \\ w"\n', { value: { a: 'x --y\nz w' } }, true);
  check(t, 'a: >\n  x\n  y\n\n  z\nb: >-\n  x\n\n\n  y\nc: >+\n  x\n\nd: 1\n', { value: { a: 'x y\nz\n', b: 'x\n\ny', c: 'x\n\n', d: 1 } }, true);
  check(t, 'a: >\n\n  x\n  y  \n  z\n', { value: { a: '\nx y   z\n' } }, true);
  // A more-indented line keeps its line breaks: left to the full reader.
  check(t, 'a: >\n  x\n    y\n  z\n', { value: { a: 'x\n  y\nz\n' } }, false);
  // Read otherwise than as text by one parser or the other: left to the full reader.
  check(t, 'a: x\n  - y\n', { value: { a: 'x - y' } }, false);
  // A comment ends the scalar; a key is on one line.
  check(t, 'a: x\n  # c\nb: z\n', { value: { a: 'x', b: 'z' } }, true);
});

t.test('double-quoted escapes: every one go-yaml v2 reads, and others refused', async (t) => {
  // Observed with kubectl 1.32 (kubectl annotate --local -o json).
  const escapes: Record<string, string> = {
    '\\0': '\0', '\\a': '\x07', '\\b': '\b', '\\t': '\t', '\\\t': '\t', '\\n': '\n', '\\v': '\v', '\\f': '\f',
    '\\r': '\r', '\\e': '\x1b', '\\ ': ' ', '\\"': '"', "\\'": "'", '\\\\': '\\', '\\N': '\u0085',
    '\\_': '\u00a0', '\\L': '\u2028', '\\P': '\u2029', '\\x41': 'A', '\\u00e9': 'é', '\\U0001F600': '😀',
  };
  for (const [escape, text] of Object.entries(escapes)) check(t, `a: "<${escape}>"\n`, { value: { a: `<${text}>` } }, true);
  check(t, 'a: ["it\\\'s", {"k\\\'": "\\\'"}]\n', { value: { a: ["it's", { "k'": "'" }] } }, true);
  check(t, 'a: "first \\\'\n  second \\\'"\n', { value: { a: "first ' second '" } }, true);
  // YAML 1.2's \/ is not in go-yaml v2: kubectl says "found unknown escape character".
  for (const escape of ['\\/', '\\q', '\\x4', '\\u00g1']) {
    const r = read(`a: "${escape}"\n`, undefined);
    t.equal(r.documents.length, 0, `${escape}: refused`);
    t.match(r.errors[0]?.message, /^invalid escape sequence/, `${escape}: says why`);
  }
});

t.test('tabs: an error where go-yaml reads indentation, whitespace or content elsewhere', async (t) => {
  // Observed with kubectl 1.32 (the go-yaml message in each hint).
  check(t, 'a: 1\n\t\nb: 2\n', { error: 'a tab character in the indentation of a line', line: 2, column: 1 }, false);
  check(t, 'a:\n- \tb\n', { error: 'a tab character where kubectl reads indentation or the start of a value', line: 2, column: 3 }, false);
  check(t, 'a: |\n  \tx\n', { error: 'a tab character in the indentation of a block scalar', line: 2, column: 3 }, false);
  check(t, 'a:\tb\nc: d\t# e\n', { value: { a: 'b', c: 'd' } }, false);
  check(t, 'a: [1,\n  \t2]\n', { value: { a: [1, 2] } }, false);
  check(t, 'a: |\n  x\n  \ty\n', { value: { a: 'x\n\ty\n' } }, true);
});

t.test('lines inside [ ], { } and quotes may be indented less than their key, as go-yaml checks none there', async (t) => {
  check(t, 'a:\n  b: [1,\n2]\n', { value: { a: { b: [1, 2] } } }, false);
  check(t, 'a:\n  b: "x\ny"\n', { value: { a: { b: 'x y' } } }, false);
});

t.test('a key in { } must end on its line, as go-yaml drops a possible key at a line break', async (t) => {
  // Observed with kubectl 1.32: "did not find expected ',' or '}'".
  check(t, 'a: {"a"\n  : b}\n', { error: 'a key that does not end on its line in { }: kubectl needs the key and its ":" on one line', line: 1, column: 5 }, false);
  check(t, 'a: {"a\n b": 1}\n', { error: 'a key that does not end on its line in { }: kubectl needs the key and its ":" on one line', line: 1, column: 5 }, false);
  check(t, 'a: {? x\n : b}\n', { value: { a: { x: 'b' } } }, false);
  check(t, 'a: {x:\n 1}\n', { value: { a: { x: 1 } } }, true);
});

t.test('a key whose ":" is more than 1024 characters past its start is an error, as in go-yaml', async (t) => {
  // Observed with kubectl 1.32: "could not find expected ':'", "mapping values are not allowed in
  // this context" or "did not find expected ',' or '}'"; go-yaml counts characters, not UTF-16 units.
  const msg = 'a key longer than 1024 characters: kubectl looks for the ":" after a key only within 1024 characters of its start';
  const k = (n: number) => 'k'.repeat(n);
  check(t, `"${k(1022)}": 1\n`, { value: { [k(1022)]: 1 } }, true);
  check(t, `"${k(1021)}" : 1\n`, { value: { [k(1021)]: 1 } }, true);
  check(t, `a: 1\n"${k(1023)}": 1\n`, { error: msg, line: 2, column: 1 }, false);
  check(t, `a:\n  '${k(1022)}' : 1\n`, { error: msg, line: 2, column: 3 }, false);
  check(t, `- ${k(1000)}${' '.repeat(25)}: 1\n`, { error: msg, line: 1, column: 3 }, false);
  check(t, `a: {x: 1, "${k(1023)}": 1}\n`, { error: msg, line: 1, column: 11 }, false);
  check(t, `a: {${k(1000)}${' '.repeat(25)}: 1}\n`, { error: msg, line: 1, column: 5 }, false);
  check(t, `&a "${k(1020)}": 1\n`, { error: msg, line: 1, column: 1 }, false);
  check(t, `&a "${k(1019)}": 1\n`, { value: { [k(1019)]: 1 } }, false);
  check(t, `"${k(1021)}\u{1F600}": 1\n`, { value: { [`${k(1021)}\u{1F600}`]: 1 } }, false);
  check(t, `"${k(1022)}\u{1F600}": 1\n`, { error: msg, line: 1, column: 1 }, false);
  // An explicit key has no such limit.
  check(t, `? "${k(1023)}"\n: 1\na: {? "${k(1023)}": 1}\n`, { value: { [k(1023)]: 1, a: { [k(1023)]: 1 } } }, false);
});

t.test('a block scalar with an indentation indicator and only lines of spaces: spaces past the indentation are content', async (t) => {
  // Observed with kubectl 1.32: go-yaml reads a line reaching the indentation as a content line.
  check(t, 'a: |+2\n   \n', { value: { a: ' \n' } }, false);
  check(t, 'a: |2\n   \n    \nb: 1\n', { value: { a: ' \n  \n', b: 1 } }, false);
  check(t, 'a: |2-\n\n   \n', { value: { a: '\n ' } }, false);
  check(t, 'a: >+2\n   \n  \n', { value: { a: ' \n\n' } }, false);
  check(t, 'a: >-1\n   \n\n   \n', { value: { a: '  \n\n  ' } }, false);
  check(t, 'a:\n  b: |2\n     \n #c\n', { value: { a: { b: ' \n' } } }, false);
  check(t, 'a:\n- - |+1\n     \n    \n', { value: { a: [['  \n \n']] } }, false);
  check(t, 'a: |+2\n   \n\n\n  \n\nb: 1\n', { value: { a: ' \n\n\n\n\n', b: 1 } }, false);
  // Lines no longer than the indentation are empty lines.
  check(t, 'a: |2\n  \n', { value: { a: '' } }, false);
  check(t, 'a: |+2\n  \n\n', { value: { a: '\n\n' } }, false);
  // After content too, whatever the first content line's indentation.
  check(t, 'a: |1\n  x\n  \n', { value: { a: ' x\n \n' } }, false);
  check(t, 's:\n  n: >1\n     indented\n  \n\n    \n  i: 1\n', { value: { s: { false: '  indented\n\n\n \n', i: 1 } } }, false);
  check(t, 'x:\n  - - >1\n        y\n       \n', { value: { x: [['   y\n  \n']] } }, false);
  check(t, 'a: >2 # c\n   x\n  y\n\n  z\n   w\n  v\n   \n', { value: { a: ' x\ny\nz\n w\nv\n \n' } }, false);
});

t.test('a # right after a closing quote, a bracket or a block scalar header starts a comment, as in go-yaml', async (t) => {
  check(t, 'a: "x"#c\nb: [1,#c\n  2]#c\nd: |#c\n  e\n', { value: { a: 'x', b: [1, 2], d: 'e\n' } }, false);
  check(t, 'a: b#c\n', { value: { a: 'b#c' } }, true);
});

t.test('a tag must be followed by a blank or the end of its line, as in go-yaml', async (t) => {
  check(t, 'a: {b: !x}\n', { error: 'tag "!x" is followed by "}": kubectl needs a blank or the end of the line after a tag', line: 1, column: 10 }, false);
  check(t, 'a: !!str#c\n', { error: 'tag "!!str" is followed by "#": kubectl needs a blank or the end of the line after a tag', line: 1, column: 9 }, false);
  check(t, 'a: {b: !x }\n', { value: { a: { b: '' } } }, false);
});

t.test('CR CR LF is one line end, as kubectl\'s line reader drops a CR before each LF', async (t) => {
  check(t, 'a: |\r\r\n  x\r\r\n  y\r\r\n', { value: { a: 'x\ny\n' } }, true);
});

t.test('infinity in a merged value a later entry replaces: no error', async (t) => {
  check(t, 'b:\n  <<: {x: .inf}\n  x: 1\n', { value: { b: { x: 1 } } }, false);
  check(t, 'b:\n  <<: {x: [.inf, &z 1]}\n  x: 1\nc: *z\n', { value: { b: { x: 1 }, c: 1 } }, false);
  check(t, 'b:\n  <<: {x: .inf}\n', { error: 'value .inf is infinity, which JSON (and so Kubernetes) cannot represent', line: 2, column: 11 }, false);
});

t.test('an escaped line break in double quotes, then an empty line: a line feed', async (t) => {
  check(t, 'a: "a\\\n\n  b"\n', { value: { a: 'a\nb' } }, true);
});

t.test('double-quoted escapes that go-yaml refuses: \\/ and UTF-16 surrogates', async (t) => {
  // Observed with kubectl 1.32: `\/` fails with "found unknown escape character", a surrogate
  // (alone or in a pair) with "found invalid Unicode character escape code".
  check(t, 'a: "x\\/y"\n', { error: 'invalid escape sequence \\/', line: 1, column: 6 }, false);
  check(t, 'a: [b, "\\ud83d\\ude00"]\n', { error: 'invalid escape sequence \\ud83d: a UTF-16 surrogate is not a character', line: 1, column: 9 }, false);
  check(t, 'a:\n  b: "\\U0000DFFF"\n', { error: 'invalid escape sequence \\U0000DFFF: a UTF-16 surrogate is not a character', line: 2, column: 7 }, false);
  check(t, 'a: "\\\\/"\nb: \'\\/\'\nc: "\\U0001F600\\uFFFD"\n', { value: { a: '\\/', b: '\\/', c: '\u{1F600}\uFFFD' } }, true);
});

t.test('non-string keys become strings as sigs.k8s.io/yaml converts them', async (t) => {
  check(t, '1: a\n', { value: { 1: 'a' } }, true);
  check(t, 'true: x\n', { value: { true: 'x' } }, true);
  check(t, 'yes: x\nno: z\n', { value: { true: 'x', false: 'z' } }, true);
  check(t, 'y: 1\nn: 2\n', { value: { true: 1, false: 2 } }, true);
  check(t, '0x10: a\n', { value: { 16: 'a' } }, true);
  check(t, '010: a\n', { value: { 8: 'a' } }, true);
  check(t, '1.5: a\n', { value: { '1.5': 'a' } }, true);
  check(t, '1000000.0: a\n', { value: { '1e+06': 'a' } }, true); // FormatFloat(f, 'g', -1, 32)
  check(t, '0.1: a\n', { value: { '0.1': 'a' } }, true);
  check(t, '-0.0: a\n0: b\n', { value: { '-0': 'a', '0': 'b' } }, false); // a float and an int key: two keys to Go
  check(t, '3.14159265358979: a\n', { value: { '3.1415927': 'a' } }, true);
  check(t, '.inf: a\n-.inf: b\n.nan: c\n', { value: { '.inf': 'a', '-.inf': 'b', '.nan': 'c' } }, true);
  check(t, '9223372036854775807: a\n', { value: { '9223372036854775807': 'a' } }, true);
  check(t, '"yes": a\n', { value: { yes: 'a' } }, true);
  check(t, '~: a\n', { error: 'unsupported map key of type null (~)', line: 1, column: 1 }, false);
  check(t, 'null: a\n', { error: 'unsupported map key of type null (null)' }, false);
  check(t, '18446744073709551615: a\n', { error: 'unsupported map key 18446744073709551615: integer does not fit in int64' }, false);
  check(t, '9223372036854775808: a\n', { error: 'unsupported map key 9223372036854775808: integer does not fit in int64' }, false); // 2^63, one past int64
  check(t, '? [a, b]\n: c\n', { error: 'invalid map key: a key must be a scalar, not a sequence', line: 1, column: 3 }, false);
});

t.test('duplicate keys are errors, compared after key conversion', async (t) => {
  check(t, 'a: 1\nb: 2\na: 3\n', { error: 'key "a" already set in map', line: 3, column: 1 }, false);
  check(t, 'm:\n  x: 1\n  x: 1\n', { error: 'key "x" already set in map', line: 3, column: 3 }, false);
  check(t, 'true: a\nyes: b\n', { error: 'key "true" already set in map', line: 2, column: 1 }, false);
  check(t, '1: a\n"1": b\n', { error: 'key "1" already set in map', line: 2, column: 1 }, false);
  check(t, '0x1: a\n1: b\n', { error: 'key "1" already set in map' }, false);
  check(t, 'm: {a: 1, a: 2}\n', { error: 'key "a" already set in map', line: 1, column: 11 }, false);
  check(t, 'a: 1\nA: 2\n', { value: { a: 1, A: 2 } }, true);
  // Go's map keys 0.0 and -0.0 compare equal: one key written twice.
  check(t, '-0.0: a\n0.0: b\n', { error: 'key "0" already set in map (as "-0")', line: 2, column: 1 }, false);
  check(t, 'm: {0.0: a, -.0: b}\n', { error: 'key "-0" already set in map (as "0")', line: 1, column: 13 }, false);
});

t.test('float zero keys: 0.0 and -0.0 are one key, the later spelling and value win', async (t) => {
  // Observed with kubectl 1.32 (Go updates a float map key on assignment, so the later spelling stays).
  const last = (src: string, path?: 'full') => parseManifests(src, 'm.yaml', { path, duplicateKeys: 'last' });
  const cases: [string, unknown][] = [
    ['-0.0: 1\n0.0: 2\n', { 0: 2 }],
    ['0.0: 1\nb: 3\n-0.0: 2\n', { b: 3, '-0': 2 }],
    ['a: {0.0: 1, -0.0: 2}\n', { a: { '-0': 2 } }],
    ['-.0: 1\n+0e5: 2\n', { 0: 2 }],
    ['b: &x {0.0: 1}\nc:\n  <<: *x\n  -0.0: 2\n', { b: { 0: 1 }, c: { '-0': 2 } }],
    ['b: &x {-0.0: 1}\nc:\n  0.0: 2\n  <<: *x\n', { b: { '-0': 1 }, c: { '-0': 1 } }],
    ['-0.0: .inf\n0.0: 1\n', { 0: 1 }],
    ['1e-50: 1\n-0.0: 2\n', { 0: 1, '-0': 2 }], // 1e-50 is no zero to Go, only its key text is "0"
  ];
  for (const [src, want] of cases) {
    for (const path of [undefined, 'full'] as const) {
      const r = last(src, path);
      t.same(r.errors, [], `${JSON.stringify(src)} (${path ?? 'auto'}): no error`);
      t.strictSame(r.documents[0]?.value, want, `${JSON.stringify(src)} (${path ?? 'auto'})`);
    }
  }
  const r = last('a: x\n0.0: 1\n-0.0: 2\n');
  t.same(r.documents[0].locate(['-0']), { line: 3, column: 1 }, 'the entry is where the later key is');
  t.same(r.documents[0].locate(['0']), { line: 1, column: 1 }, 'the earlier spelling is gone');
});

t.test('merge keys <<', async (t) => {
  const base = 'base: &b\n  p: 1\n  q: 2\n';
  check(t, `${base}m:\n  <<: *b\n  r: 3\n`, { value: { base: { p: 1, q: 2 }, m: { p: 1, q: 2, r: 3 } } }, false);
  check(t, 'a: &a {p: 1}\nb: &b {q: 2}\nm:\n  <<: [*a, *b]\n', { value: { a: { p: 1 }, b: { q: 2 }, m: { p: 1, q: 2 } } }, false);
  check(t, 'm:\n  <<: {p: 1}\n  q: 2\n', { value: { m: { p: 1, q: 2 } } }, false);
  // Entries are assigned in source order, merged ones too; the first map of a merge list wins.
  check(t, `${base}m:\n  <<: *b\n  p: 9\n`, { value: { base: { p: 1, q: 2 }, m: { p: 9, q: 2 } } }, false);
  check(t, `${base}m:\n  p: 9\n  <<: *b\n`, { value: { base: { p: 1, q: 2 }, m: { p: 1, q: 2 } } }, false);
  check(t, 'a: &a {p: 1}\nb: &b {p: 2}\nm:\n  <<: [*a, *b]\n', { value: { a: { p: 1 }, b: { p: 2 }, m: { p: 1 } } }, false);
  check(t, 'a: &a {p: 1}\nb: &b {p: 2}\nm:\n  <<: *a\n  <<: *b\n', { value: { a: { p: 1 }, b: { p: 2 }, m: { p: 2 } } }, false);
  // A key written twice in one mapping is still a duplicate, merge or not.
  check(t, `${base}m:\n  p: 0\n  <<: *b\n  p: 9\n`, { error: 'key "p" already set in map', line: 7, column: 3 }, false);
  check(t, 'm:\n  <<: {p: 1, p: 2}\n', { error: 'key "p" already set in map', line: 2, column: 14 }, false);
  check(t, 'a: &a [1]\nm:\n  <<: *a\n', { error: 'map merge requires map or sequence of maps as the value' }, false);
  check(t, 'm:\n  "<<": 1\n', { value: { m: { '<<': 1 } } }, true);
  check(t, 'a: <<\n', { value: { a: '<<' } }, true);
  // go-yaml reads a node tagged with the non-specific `!` as implicit, so `! <<` merges, quoted too.
  check(t, 'a: &a {p: 1}\nm:\n  ! <<: *a\n', { value: { a: { p: 1 }, m: { p: 1 } } }, false);
  check(t, 'a: &a {p: 1}\nm:\n  ! "<<": *a\n  q: 2\n', { value: { a: { p: 1 }, m: { p: 1, q: 2 } } }, false);
  check(t, "m: {! '<<': {p: 1}}\n", { value: { m: { p: 1 } } }, false);
  check(t, 'm:\n  ! <<: 5\n', { error: 'map merge requires map or sequence of maps as the value' }, false);
  check(t, 'm:\n  !foo <<: {p: 1}\n', { value: { m: { '<<': { p: 1 } } } }, false);
  // An anchor on the `<<` key is defined: its alias is the string "<<".
  check(t, 'a: &a {p: 1}\nm:\n  &k <<: *a\nr: *k\n', { value: { a: { p: 1 }, m: { p: 1 }, r: '<<' } }, false);
  check(t, 'm: {&k <<: {p: 1}, q: *k}\n', { value: { m: { p: 1, q: '<<' } } }, false);
  // The verbatim tags `!<!>` and `!<!!>` are go-yaml's `!` (implicit: `<<` merges) and `!!` (unknown).
  check(t, 'a: !<!> x\nb: !<!!> 1\nc: !<!> [1]\n', { value: { a: 'x', b: '1', c: [1] } }, false);
  check(t, 'a: &a {p: 1}\nm:\n  !<!> <<: *a\nr:\n  !<!!> <<: *a\n', { value: { a: { p: 1 }, m: { p: 1 }, r: { '<<': { p: 1 } } } }, false);
  check(t, 'a: [!<!> yes, !<!>\n  1]\n', { value: { a: ['yes', '1'] } }, false);
  check(t, 'a: "!<!>"\n', { value: { a: '!<!>' } }, true);
});

t.test('anchors and aliases are expanded', async (t) => {
  check(t, 'a: &x 1\nb: *x\n', { value: { a: 1, b: 1 } }, false);
  check(t, 'a: &x {p: [1, 2]}\nb: *x\n', { value: { a: { p: [1, 2] }, b: { p: [1, 2] } } }, false);
  check(t, 'a: &x 1\nb: &x 2\nc: *x\n', { value: { a: 1, b: 2, c: 2 } }, false);
  check(t, 'k: &k key\n*k : v\n', { value: { k: 'key', key: 'v' } }, false);
  check(t, 'a: *nope\n', { error: "unknown anchor 'nope' referenced", line: 1, column: 4 }, false);
  check(t, 'a: &a [*a]\n', { error: "anchor 'a' value contains itself" }, false);
  // Observed with kubectl 1.32: go-yaml's names are ASCII letters, digits, - and _ ("did not find
  // expected alphabetic or numeric character" for others).
  check(t, 'a: &x-1_Z [1]\nb: *x-1_Z\n', { value: { a: [1], b: [1] } }, false);
  check(t, 'a: &a.b x\n', { error: 'anchor name "a.b" contains ".": kubectl accepts only letters, digits, - and _ there', line: 1, column: 6 }, false);
  check(t, 'a: &é x\n', { error: 'anchor name "é" contains "é": kubectl accepts only letters, digits, - and _ there', line: 1, column: 5 }, false);
  check(t, 'a: [&a x]\nb: *a/b\n', { error: 'alias name "a/b" contains "/": kubectl accepts only letters, digits, - and _ there', line: 2, column: 6 }, false);
  // Observed with kubectl 1.32: a name ends at `:` or `?`, which then start the next token.
  check(t, 'a: &a x\n*a: 1\n', { value: { a: 'x', x: 1 } }, false);
  check(t, 'a: &a x\nb:\n  *a: 1\n', { value: { a: 'x', b: { x: 1 } } }, false);
  check(t, 'a: &a:b x\nc: &c?d y\n', { value: { a: ':b x', c: '?d y' } }, false);
  check(t, 'a: &a x\nb: {*a:1}\nc: [*a:]\nd: [*a: 1, *a:, e]\n', { value: { a: 'x', b: { x: 1 }, c: [{ x: null }], d: [{ x: 1 }, { x: null }, 'e'] } }, false);
  check(t, 'a: &a:\n  b: 1\n', { error: 'a value on its key\'s line holds ": ", which would make it another key' }, false);
  check(t, 'a: &a%x\n', { error: 'anchor name "a%x" contains "%": kubectl accepts only letters, digits, - and _ there', line: 1, column: 6 }, false);
  // Inside quotes such text is text, also on a line indented less than the key (go-yaml 2.4).
  check(t, 'metadata:\n  annotations:\n    description: "Line one\n*Note: see docs"\n', { value: { metadata: { annotations: { description: 'Line one *Note: see docs' } } } }, false);
  check(t, "a: 'x\n*b: y'\nc: \"x\n&b?y\"\n", { value: { a: 'x *b: y', c: 'x &b?y' } }, false);
  check(t, 'a: ["x\n*b: y", "1\n!t, z"]\nb: {x: "1\n*b:2"}\n', { value: { a: ['x *b: y', '1 !t, z'], b: { x: '1 *b:2' } } }, false);
  const keyed = read('a: &a x\nb: {c: 1, *a:2}\n').documents[0];
  t.same(keyed.locate(['b', 'x']), { line: 2, column: 11 }, 'an alias key ended by ":" is located where it is written');
  const r = read('a: &x {p: 1}\nb: *x\n').documents[0].value as { a: object; b: object };
  t.not(r.a, r.b, 'each alias gets its own copy, as after a JSON round trip');
});

t.test('tags', async (t) => {
  check(t, 'a: !!binary aGVsbG8=\n', { value: { a: 'hello' } }, false);
  check(t, 'a: !!binary |\n  aGVs\n  bG8=\n', { value: { a: 'hello' } }, false);
  check(t, 'a: !!binary "not base64!"\n', { error: '!!binary value contains invalid base64 data' }, false);
  // Bytes that are not UTF-8 go out as Go's JSON encoder writes them: each byte where no valid
  // sequence starts is one U+FFFD; a leading U+FEFF stays. Observed with kubectl 1.32.
  check(t, 'a: !!binary 8J+YQQ==\nb: !!binary 7aCA\nc: !!binary 8J+YgA==\nd: !!binary 77u/eA==\n!!binary 8J+Y: x\n',
    { value: { a: '\ufffd\ufffd\ufffdA', b: '\ufffd\ufffd\ufffd', c: '\u{1f600}', d: '\ufeffx', '\ufffd\ufffd\ufffd': 'x' } }, false);
  check(t, 'a: !!str 12\nb: !!str true\n', { value: { a: '12', b: 'true' } }, false);
  check(t, 'a: !!int "12"\nb: !!float 1\nc: !!bool "yes"\nd: !!null ""\n', { value: { a: 12, b: 1, c: true, d: null } }, false);
  check(t, 'a: !!int abc\n', { error: 'cannot decode !!str `abc` as a !!int', line: 1, column: 10 }, false);
  check(t, 'a: !!bool 1\n', { error: 'cannot decode !!int `1` as a !!bool' }, false);
  check(t, 'a: !foo 12\nb: ! yes\nc: !!map x\n', { value: { a: '12', b: 'yes', c: 'x' } }, false);
  check(t, 'a: !custom {x: 1}\n', { value: { a: { x: 1 } } }, false);
});

t.test("a tag's %-escapes must be UTF-8 bytes, as go-yaml decodes them", async (t) => {
  // Observed with kubectl 1.32: go-yaml checks each escaped character's first byte and the
  // continuation bytes after it, nothing more.
  check(t, 'a: !!%73tr 12\nb: !%C3%A9 x\nc: !%F0%9F%98%80 x\nd: !%C0%80 x\ne: !%F7%BF%BF%BF x\n', { value: { a: '12', b: 'x', c: 'x', d: 'x', e: 'x' } }, false);
  // Not UTF-8 to JavaScript (overlong, a surrogate, past U+10FFFF), yet unknown tags to go-yaml.
  check(t, 'a: !!%C0%80 1\nb: !!%C0%80 [1]\nc: !!%ED%A0%80 {x: 1}\nd: !!%F4%90%80%80 true\n', { value: { a: '1', b: [1], c: { x: 1 }, d: 'true' } }, false);
  const why = 'kubectl reads a tag\'s %-escapes as the UTF-8 bytes of a character';
  check(t, 'a: !%FF x\n', { error: `tag "!%FF" has "%FF", which cannot start a UTF-8 character: ${why}`, line: 1, column: 5 }, false);
  check(t, 'a: !x%80 x\n', { error: `tag "!x%80" has "%80", which cannot start a UTF-8 character: ${why}`, line: 1, column: 6 }, false);
  check(t, 'a: [!<%F8%88%80%80%80> x]\n', { error: `tag "!<%F8%88%80%80%80>" has "%F8", which cannot start a UTF-8 character: ${why}`, line: 1, column: 7 }, false);
  check(t, 'a: !%C3%41 x\n', { error: `tag "!%C3%41" has "%C3%41", which is not a UTF-8 character: ${why}`, line: 1, column: 5 }, false);
  check(t, 'a: !%C3\n', { error: `tag "!%C3" has "%C3", which is cut short: ${why}`, line: 1, column: 5 }, false);
  check(t, 'b: 1\na: !!x%FF x\n', { error: `tag "!!x%FF" has "%FF", which cannot start a UTF-8 character: ${why}`, line: 2, column: 7 }, false);
});

t.test('",", "[" and "]" right after a tag are part of it, as in go-yaml', async (t) => {
  // Observed with kubectl 1.32; a tag that takes in a bracket mostly leaves the collection unclosed
  // ("did not find expected ',' or ']'").
  check(t, 'a: [!x, a]\nb: [!!str, 12]\nc: [!x,\n  1]\n', { value: { a: ['a'], b: ['12'], c: ['1'] } }, false);
  check(t, 'a: !x,y z\nb: !x[y] 1\nc: {!x, d: 1}\ne: [!x] ]\n', { value: { a: 'z', b: '1', c: { d: 1 }, e: [''] } }, false);
  check(t, 'a: [!x]\n', { error: 'tag "!x]" takes in the "]" after it: kubectl reads ",", "[" and "]" right after a tag as part of the tag', line: 1, column: 7 }, false);
  check(t, 'a: [!x,]\n', { error: 'tag "!x,]" takes in the "]" after it: kubectl reads ",", "[" and "]" right after a tag as part of the tag', line: 1, column: 8 }, false);
  check(t, 'a: {b: !x, c: 1}\n', { error: 'tag "!x," takes in the "," after it: kubectl reads ",", "[" and "]" right after a tag as part of the tag', line: 1, column: 10 }, false);
  // Where the document is broken anyway, its own error is reported.
  check(t, 'a: [!x, a]\nb: [\n', { error: '"[" is not closed: the list opened here has no "]" before the end of the document', line: 2, column: 4 }, false);
  check(t, 'a: [!<x,y> a]\n', { value: { a: ['a'] } }, false);
});

t.test('"?" in a flow collection is a key indicator, also right before a scalar, as in go-yaml', async (t) => {
  // Observed with kubectl 1.32 (go-yaml reads `?` as an indicator in flow context whatever follows).
  check(t, 'a: {?k}\nb: [?x]\nc: {?k: v, ?"q": 1}\n', { value: { a: { k: null }, b: [{ x: null }], c: { k: 'v', q: 1 } } }, false);
  check(t, 'a: [x, ?y: c, ?-z]\nb: [\n  ?x #c\n]\n', { value: { a: ['x', { true: 'c' }, { '-z': null }], b: [{ x: null }] } }, false);
  check(t, 'a: {?: x}\n', { error: 'unsupported map key of type null (empty key)' }, false);
  // `:` starting a token there is a value indicator: `[:a]` has a null key.
  check(t, 'a: [:a]\n', { error: 'unsupported map key of type null (empty key)' }, false);
  check(t, 'a: ["x" :y]\n', { value: { a: [{ x: true }] } }, false);
  // Also on a line indented less than the key, which the full parser reads again indented.
  check(t, 's:\n  b: [\n     1,\n  ?a,\n   -1\n    ]\n  c: &a x\n  d: {\n *a:1}\n', { value: { s: { b: [1, { a: null }, -1], c: 'x', d: { x: 1 } } } }, false);
  // Outside flow collections `?` starts a plain scalar when no blank follows.
  check(t, 'a: ?x\n?y: 1\n', { value: { a: '?x', '?y': 1 } }, false);
  const r = read('a: [b, ?c]\n').documents[0];
  t.same(r.locate(['a', 1, 'c']), { line: 1, column: 9 }, 'the key is located where it is written');
});

t.test('the ":" of an explicit key must be in the column of its "?", as go-yaml reads it', async (t) => {
  // Observed with kubectl 1.32: elsewhere go-yaml starts a block mapping at the ":".
  check(t, '? a\n: b\nz:\n  ? c\n\n  : d\n  ? |\n    x\n    : y\ns:\n- ? e\n  : f\n', { value: { a: 'b', z: { c: 'd', 'x\n: y\n': null }, s: [{ e: 'f' }] } }, false);
  const error = 'the ":" of an explicit key is not in the column of its "?": kubectl reads a ":" there as the start of another mapping';
  check(t, '? a\n : b\n', { error, line: 2, column: 2 }, false);
  check(t, 'z:\n  ? a\n   :\n', { error, line: 3, column: 4 }, false);
  check(t, 's:\n- ? a\n   : b\n', { error, line: 3, column: 4 }, false);
  // Lines indented under `? key` with no ":" before them: go-yaml "did not find expected key".
  const noColon = 'these lines follow an explicit key ("?") with no ":" before them: kubectl refuses them';
  check(t, '? "a"\n  b: 1\n', { error: noColon, line: 2, column: 3 }, false);
  check(t, 'x:\n  ? "q"\n      on: 1\n  y: 2\n', { error: noColon, line: 3, column: 7 }, false);
  check(t, '? a\n # c\n- 1\n', { error: noColon, line: 3, column: 1 }, false);
});

t.test('a block scalar header alone on the line after its key, in the key\'s column, starts the key\'s value, as in go-yaml', async (t) => {
  check(t, 'b:\n|\n x\nc: # c\n\n# d\n>-   # e\n  y\n  z\n', { value: { b: 'x\n', c: 'y z' } }, false);
  check(t, '- a:\n  |2\n     x\n', { value: [{ a: ' x\n' }] }, false);
  check(t, 'a:\n  b:\n  >-\n    folded\n  c: 1\n', { value: { a: { b: 'folded', c: 1 } } }, false);
  // Left of the key's column it is no value of the key (go-yaml: "did not find expected key").
  check(t, 'a:\n  b:\n |\n  x\n', { error: 'implicit keys need to be on a single line', line: 3, column: 2 }, false);
});

t.test('a key without "?" must have its ":" on its own line, as go-yaml reads it', async (t) => {
  const error = 'this ":" is not on the line of its key: kubectl wants a key and its ":" on one line';
  check(t, 'a: 1\nx\n    : v\n', { error, line: 3, column: 5 }, false);
  check(t, 'a: |\n...x\n    : v\n', { error, line: 3, column: 5 }, false);
  // A value on the lines after the ":" is fine.
  check(t, 'a:\n  # c\n  b: 1\nc: &x\n  d: 1\n', { value: { a: { b: 1 }, c: { d: 1 } } }, false);
});

t.test('U+0085, U+2028 and U+2029: line breaks to go-yaml, refused where kubectl would read one', async (t) => {
  // Observed with kubectl 1.32: in a comment the text after one is the next line (a key there is
  // applied), a plain or block scalar ends there, and in quotes one folds with the blanks next to it.
  const outside = (name: string) => `${name} is a line break to kubectl: it reads the text after it as the next line`;
  const inQuotes = (name: string) => `${name} in a quoted string is a line break to kubectl, which folds it with the blanks next to it`;
  const ls = 'U+2028 (line separator)';
  check(t, 'a:\n  # note\u2028  privileged: true\n  b: 1\n', { error: outside(ls), line: 2, column: 9 }, false);
  check(t, 'a: x\u2028\n', { error: outside(ls), line: 1, column: 5 }, false);
  check(t, 'a: |\n  x\u2029  y\n', { error: outside('U+2029 (paragraph separator)'), line: 2, column: 4 }, false);
  check(t, 'b: 1\na: x\u0085y\n', { error: outside('U+0085 (next line)'), line: 2, column: 5 }, false);
  check(t, 'a: "x\u0085y"\n', { error: inQuotes('U+0085 (next line)'), line: 1, column: 6 }, false);
  check(t, "a: 'x\u2028  y'\n", { error: inQuotes(ls), line: 1, column: 6 }, false);
  check(t, 'a: "x  \u2028y"\n', { error: inQuotes(ls), line: 1, column: 8 }, false);
  check(t, 'a:\n  "x\u2028y": 1\n', { error: `${ls} in a quoted key is a line break to kubectl, and a key must be on one line`, line: 2, column: 5 }, false);
  check(t, 'a: {"x\u2028y" : 1}\n', { error: `${ls} in a quoted key is a line break to kubectl, and a key must be on one line`, line: 1, column: 7 }, false);
  // Between other characters in quotes, go-yaml keeps them as they are.
  check(t, 'a: "x\u2028y"\nb: [\'\u2029\u2028z\']\n', { value: { a: 'x\u2028y', b: ['\u2029\u2028z'] } }, false);
  check(t, 'a: "x\\u2028y"\n', { value: { a: 'x\u2028y' } }, true);
  // JSON input is read by a JSON decoder, for which they are ordinary characters.
  const json = read('{"a": "x\u2028 y\u0085"}\n');
  t.same([json.errors, json.documents.map((d) => d.value)], [[], [{ a: 'x\u2028 y\u0085' }]], 'JSON input');
});

t.test('plain scalars that stay strings', async (t) => {
  check(t, 'a: http://x:8080/p?q=1#frag\nb: a#b\nc: x # comment\nd: -x\ne: ab:cd\n', {
    value: { a: 'http://x:8080/p?q=1#frag', b: 'a#b', c: 'x', d: '-x', e: 'ab:cd' },
  }, true);
  check(t, 'a: 100m\nb: 1Gi\nc: v1\nd: 1.2.3\ne: 12:30\n', { value: { a: '100m', b: '1Gi', c: 'v1', d: '1.2.3', e: '12:30' } }, true);
  check(t, 'a: multi\n  line\n', { value: { a: 'multi line' } }, true);
  check(t, 'a: :x:y\nb: ?x\nc: x\n  "q", [b] {c} &d *e !f |g >h\n', { value: { a: ':x:y', b: '?x', c: 'x "q", [b] {c} &d *e !f |g >h' } }, true);
});

t.test('flow collections: `-` and `:` before , ] or } are text, as in go-yaml', async (t) => {
  check(t, 'a: [tar, -xf, -]\nb: {k: -}\n', { value: { a: ['tar', '-xf', '-'], b: { k: '-' } } }, true);
  check(t, 'a: [-, x]\n', { value: { a: ['-', 'x'] } }, true);
  check(t, 'a: [a:]\nb: {a:}\nc: [a :]\n', { value: { a: ['a:'], b: { 'a:': null }, c: ['a :'] } }, false);
  check(t, 'a: [a: ]\nb: ["a":]\n', { value: { a: [{ a: null }], b: [{ a: null }] } }, false);
});

t.test('text after the top-level value ends, which go-yaml and so kubectl drop silently, is an error that says so', async (t) => {
  const left = (line: number): string => `this line starts further left than the document's first line (column 3): kubectl reads the document only up to line ${line} and silently drops the rest`;
  check(t, '  apiVersion: v1\n  kind: Pod\nmetadata:\n  name: x\n', { error: left(2), line: 3, column: 1 }, false);
  check(t, '# c\n  - a\n\nb: 1\n', { error: left(2), line: 4, column: 1 }, false);
  const ends = "the document's top-level value ends before this: kubectl reads the document only up to here and silently drops the rest";
  check(t, '# c\n{"kind": "Pod"}\n{"kind": "Pod"}\n', { error: ends, line: 3, column: 1 }, false);
  check(t, '"a":1\n', { error: ends, line: 1, column: 4 }, false);
  // Line numbers count from the start of the file.
  const r = parseManifests('a: 1\n---\n  b: 1\nc: 2\n', 'm.yaml');
  t.same(r.errors.map((e) => [e.index, e.line, e.column, e.message]), [[1, 4, 1, left(3)]]);
  t.match(r.errors[0]?.hint, /column 1/);
  t.match(parseManifests('"a":1\n', 'm.yaml').errors[0]?.hint, /a space after the ":"/);
  t.match(parseManifests('# c\n{"a": 1}\n{"b": 2}\n', 'm.yaml').errors[0]?.hint, /---/);
  t.same(r.documents.map((d) => d.value), [{ a: 1 }], 'the neighbour is read');
});
