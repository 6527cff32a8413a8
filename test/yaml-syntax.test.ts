// Syntax errors in the author's words: what is wrong where the error points, and what to do.
import t from 'tap';
import { parseManifests } from '../cli/manifest/read.js';
import { readYamlSource } from '../engine/yaml-source.js';

const pod = (lines: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n${lines}\n`;

t.test('manifests', async (t) => {
  const cases: [string, string, number, number, string, string | RegExp][] = [
    ['a key glued to its value', pod('    image:x'), 8, 5, '"image:x" is no "key: value" pair: YAML needs a space after a key\'s ":"', 'write image: x'],
    ['a key without its colon', pod('    imagePullPolicy Always'), 8, 5, '"imagePullPolicy Always" is no "key: value" line', 'write imagePullPolicy: Always, or start a list item with "- "'],
    ['a lone word', pod('    image: x\n    resources'), 9, 5, '"resources" is no "key: value" line', /^write resources: and its value/],
    ['a list item among keys', 'metadata:\n  name: a\n  - b\n', 3, 1, 'a "- " list item where the entries of a mapping ("key: value") are', /align it with the other "- " items/],
    ['a dash inside [ ]', pod('    args: [a, - b]'), 8, 15, '"- " inside [ ]: the items of such a list are separated by commas', /remove the "- "/],
    ['a } too many', pod('    image: x\n    securityContext: {privileged: true}}'), 9, 40, '"}" closes no "{"', 'remove it, or add the "{" it is meant to close'],
    ['a ] too many', pod('    command: [sh, -c, "echo hi"]]'), 8, 33, '"]" closes no "["', 'remove it, or add the "[" it is meant to close'],
    ['text after a quoted value', pod('    image: "a" b'), 8, 16, '"b" after the end of a value', /^quote the whole value/],
    ['a key: value inside [ ]', pod('    args: [a: b: c]'), 8, 15, 'a "key: value" or "- item" inside [ ] or { }, where items separated by commas go', /quote the item/],
    ['a value with ": "', 'metadata:\n  name: a: b\n', 2, 9, 'the value "a: b" holds ": ", which makes it another key on the same line', /quote the value/],
    ['a reserved first character', 'metadata:\n  , foo\n', 2, 3, 'plain value cannot start with flow indicator character ,', 'quote the value: YAML reserves "," at the start of a value'],
    ['a block scalar header with text', pod('    args: |x'), 8, 12, '"|x" is no block scalar header: after | or > only an indentation digit and - or + may follow', /on the lines below/],
  ];
  for (const [what, text, line, column, message, hint] of cases) {
    const r = parseManifests(text, 'f.yaml');
    t.match(r.errors, [{ line, column, message, hint }], what);
    t.equal(r.errors.length, 1, `${what}: one error`);
    t.notMatch(r.errors[0]?.message, /-(ind|end|start)\b|token/, `${what}: no parser token names`);
  }
});

t.test('rule and test files: the same words, a key given twice named', async (t) => {
  const src = readYamlSource('title: a\ntitle: b\nlist: [1, 2\nx: 1\n');
  t.match(src.syntaxErrors, [{ message: 'key "title" is given twice in this mapping', hint: 'remove one of the two entries', position: { line: 2, column: 1 } }]);
  const unclosed = readYamlSource('title: [unclosed\n');
  t.match(unclosed.syntaxErrors, [{ message: 'a list in [ ] that is not closed, or has a line indented no further than its key', hint: /close it with "\]"/ }]);
});

t.test('a mistyped --- is named, not the error it causes further on', async (t) => {
  const obj = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: a\n    image: a\n`;
  for (const [separator, kubectl] of [['----', true], ['---x', true], ['-- ', false], [' ---', false]] as const) {
    const r = parseManifests(`${obj('first')}${separator}\n${obj('second')}---\n${obj('third')}`, 'f.yaml');
    t.match(r.errors, [{ index: 0, line: 9, column: 1, message: `"${separator}" is no document separator${kubectl ? ' (kubectl: "invalid Yaml document separator")' : ''}, so the objects before and after it read as one broken document`, hint: 'write exactly --- on a line of its own between two objects' }], JSON.stringify(separator));
    t.same(r.documents.map((d) => (d.value as { metadata: { name: string } }).metadata.name), ['third'], 'the next document is read');
  }
  // In a block scalar it is text: an error further on has another cause.
  const text = parseManifests('data:\n  notes: |\n    a\n    ----\n    b\n  list: [1\n', 'f.yaml');
  t.equal(text.errors.length, 1);
  t.notMatch(text.errors[0]?.message ?? '', /separator/);
});
