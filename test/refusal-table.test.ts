// The refusal tables' language (admission/refusal-table.ts), on small tables of its own: each
// test and placeholder, shared rules under their base, printed paths, and the errors a
// malformed table gets.
import t from 'tap';
import { intOrPercentValue, refusalTable, type TableSource } from '../admission/refusal-table.js';

const table = (source: TableSource, phases = ['checks']) => refusalTable('test-table.json', phases, source);
const run = (source: TableSource, spec: Record<string, unknown>) => table(source).refusals(spec, undefined, 'template');
const rule = (extra: Record<string, unknown>) => ({ at: ['x'], body: 'Invalid value: {value}: bad', hint: 'fix x', ...extra });

t.test('numbers: below, above, no greater than another field (with its default)', async (t) => {
  const source = { checks: [{ rules: [
    rule({ when: [{ path: ['x'], lessThan: 0 }] }),
    rule({ when: [{ path: ['x'], greaterThan: 10 }], body: 'Invalid value: {value}: too big' }),
    rule({ at: ['deadline'], zero: 600, when: [{ path: ['deadline'], default: 600, notAbove: { path: ['ready'], default: 0 } }], body: 'Invalid value: {value}: must be greater than ready' }),
    rule({ at: ['failed'], when: [{ path: ['failed'], exceeds: { path: ['total'] } }], body: 'Invalid value: {value}: more than total' }),
  ] }] };
  t.same(run(source, {}).map((e) => e.body), [], 'defaults: 600 > 0');
  t.same(run(source, { x: -1 }).map((e) => e.body), ['Invalid value: -1: bad']);
  t.same(run(source, { x: 11 }).map((e) => e.body), ['Invalid value: 11: too big']);
  t.same(run(source, { ready: 600 }).map((e) => [e.path, e.body]), [[['deadline'], 'Invalid value: 600: must be greater than ready']], 'the default printed');
  t.same(run(source, { failed: 3 }), [], 'never where the other is unset');
  t.same(run(source, { failed: 3, total: 2 }).map((e) => e.body), ['Invalid value: 3: more than total']);
  t.same(run(source, { x: '-1' }), [], 'a string is no number');
});

t.test('decimal texts read as their numbers, anything else as unset', async (t) => {
  const source = { checks: [{ rules: [rule({ when: [{ path: ['x'], decimal: true, outside: [0, 10] }], body: 'Invalid value: {value}: out of range' }), rule({ at: ['y'], when: [{ path: ['y'], decimal: true, set: false }], body: 'Invalid value: {value}: no number' })] }] };
  t.same(run(source, { x: '11', y: '-3' }).map((e) => e.body), ['Invalid value: "11": out of range'], 'the text printed, the number compared; a sign taken');
  t.same(run(source, { x: '+0010', y: '7' }), [], 'a sign and leading zeros are digits still');
  t.same(run(source, { x: 'abc', y: '1e3' }).map((e) => e.body), ['Invalid value: "1e3": no number'], 'no digits, an exponent: unset');
  t.same(run(source, { x: 5, y: 5 }).map((e) => e.body), ['Invalid value: 5: no number'], 'a number is no text of one');
});

t.test('int-or-percent values are counted as upstream counts them', async (t) => {
  t.same([5, '25%', '007%', 'abc', '5', '+3', '-5%', ''].map(intOrPercentValue), [5, 25, 7, 0, 5, 3, 0, 0]);
  const source = { checks: [{ rules: [rule({ when: [{ path: ['x'], default: '25%', intOrPercent: true, is: 0 }], body: 'Invalid value: {value}: is zero' })] }] };
  t.same(run(source, {}), [], 'the default is 25%');
  t.same(run(source, { x: '0%' }).map((e) => e.body), ['Invalid value: "0%": is zero'], 'the value printed is the one written');
  t.same(run(source, { x: 'abc' }).map((e) => e.body), ['Invalid value: "abc": is zero']);
});

t.test('lists: more items than allowed, out of order, their length and JSON printed', async (t) => {
  const source = { checks: [{ rules: [
    rule({ when: [{ path: ['x'], itemsMoreThan: 2 }], body: 'Too many: {length:x}: must have at most 2 items' }),
    rule({ when: [{ path: ['x'], unordered: true }], body: 'Invalid value: {json:x=null}: must be ordered' }),
    rule({ at: ['y'], when: [{ path: ['y'], empty: true }], body: 'Invalid value: {json:y=null}: empty' }),
  ] }] };
  t.same(run(source, { x: [3, 1, 2], y: [] }).map((e) => e.body), ['Too many: 3: must have at most 2 items', 'Invalid value: [3,1,2]: must be ordered', 'Invalid value: []: empty']);
  t.same(run(source, { x: [1, 2], y: ['<a&b>'] }), []);
  t.same(run(source, { x: [1, 1] }).map((e) => e.body), ['Invalid value: null: empty'], 'equal neighbours are in order; unset prints UNSET');
  const json = { checks: [{ rules: [rule({ when: [{ path: ['x'], set: true }], body: 'Invalid value: {json:x=null}: as Go writes it' })] }] };
  t.same(run(json, { x: { a: '<&>\u2028' } }).map((e) => e.body), ['Invalid value: {"a":"\\u003c\\u0026\\u003e\\u2028"}: as Go writes it'], '<, >, & and U+2028 escaped');
});

t.test('internal Go structs: Go names, unset pointers null, zero values of the rest', async (t) => {
  const source = {
    structs: {
      Outer: [{ go: 'Name', field: 'name', zero: '' }, { go: 'Count', field: 'count' }, { go: 'Inner', field: 'inner', struct: 'Inner' }],
      Inner: [{ go: 'Flag', field: 'flag' }, { go: 'Items', field: 'items' }],
    },
    checks: [{ rules: [rule({ at: ['o'], when: [{ path: ['o'], set: true }], body: 'Invalid value: {go:Outer:o}: bad' })] }],
  };
  t.same(run(source, { o: {} }).map((e) => e.body), ['Invalid value: {"Name":"","Count":null,"Inner":null}: bad']);
  t.same(run(source, { o: { count: 2, inner: { items: ['a'] }, extra: 1 } }).map((e) => e.body), ['Invalid value: {"Name":"","Count":2,"Inner":{"Flag":null,"Items":["a"]}}: bad']);
  t.throws(() => run({ checks: [{ rules: [rule({ body: '{go:Missing:x}' })] }] }, {}), /test-table\.json: no struct named Missing/);
  t.throws(() => run({ structs: { A: [{ go: 'B', field: 'b', struct: 'Nope' }] }, checks: [] }, {}), /no struct named Nope/);
});

t.test('shared rules: their paths, printed values and JSON under the base', async (t) => {
  const source = {
    shared: { positive: [{ at: [], when: [{ path: [], lessThan: 0 }], body: 'Invalid value: {value} in {json:=null}: negative', hint: 'h' }] },
    checks: [{ rules: [{ use: 'positive', base: ['a', 'b'] }, { use: 'positive', base: ['c'] }] }],
  };
  t.same(run(source, { a: { b: -2 }, c: -1 }).map((e) => [e.path, e.body]), [[['a', 'b'], 'Invalid value: -2 in -2: negative'], [['c'], 'Invalid value: -1 in -1: negative']]);
  t.same(run(source, {}), [], 'tested only where the base is set');
  // A value of the spec, not of the rule's subject: an inserted rule's base does not move it.
  const limit = {
    shared: { within: [{ at: ['s'], when: [{ path: ['s'], default: 0, exceeds: { from: 'spec' as const, path: ['limit'], default: 30 } }], body: 'Invalid value: {value}: above {spec:limit=30}', hint: 'h' }] },
    checks: [{ each: ['items'], rules: [{ use: 'within', base: ['hook'] }] }],
  };
  t.same(run(limit, { items: [{ hook: { s: 31 } }, { hook: { s: 30 } }] }).map((e) => [e.path, e.body]), [[['items', 0, 'hook', 's'], 'Invalid value: 31: above 30']], 'unset: the default printed');
  t.same(run(limit, { limit: 10, items: [{ hook: { s: 11 } }] }).map((e) => e.body), ['Invalid value: 11: above 10']);
  t.throws(() => run({ checks: [{ rules: [{ use: 'nope', base: [] }] }] }, {}), /test-table\.json: no shared rules named nope/);
});

t.test('lists within lists within lists: every level walked, outer reads the outermost item, paths printed from the parent', async (t) => {
  const source = { checks: [{ each: [['groups', '*', 'parts', '*', 'items']], rules: [
    rule({ at: ['n'], when: [{ path: ['n'], lessThan: 0 }, { from: 'outer' as const, path: ['on'], is: true }], body: 'Invalid value: {value}: negative' }),
    rule({ at: ['m'], shownFrom: 'parent', when: [{ path: ['m'], lessThan: 0 }], body: 'Invalid value: {value}: negative' }),
  ] }] };
  const spec = { groups: [{ on: false, parts: [{ items: [{ n: -1 }] }] }, { on: true, parts: [{ items: [] }, { items: [{ n: 1 }, { n: -2, m: -3 }] }] }] };
  t.same(run(source, spec).map((e) => [e.path, e.shown ?? null, e.body]), [
    [['groups', 1, 'parts', 1, 'items', 1, 'n'], null, 'Invalid value: -2: negative'],
    [['groups', 1, 'parts', 1, 'items', 1, 'm'], ['groups', 1, 'parts', 1, 'm'], 'Invalid value: -3: negative'],
  ]);
});

t.test('among the items of another list: a field of any, of those having a field, of the last of each key', async (t) => {
  const source = { checks: [{ each: [['boxes', '*', 'refs']], rules: [
    rule({ at: ['to'], zero: '', when: [{ path: ['to'], among: { from: 'outer' as const, path: ['slots'], field: 'id' } }], body: 'Invalid value: {value}: taken' }),
    rule({ at: ['to'], zero: '', when: [{ path: ['to'], notAmong: { from: 'spec' as const, path: ['pool'], field: 'id', having: ['big', 'huge'] } }], body: 'Invalid value: {value}: not big' }),
    rule({ at: ['at'], when: [{ path: ['at'], among: { from: 'outer' as const, path: ['slots'], field: 'at', keyedBy: 'id' } }], body: 'Invalid value: {value}: place taken' }),
  ] }] };
  const spec = {
    pool: [{ id: 'a', big: {} }, { id: 'b' }, { id: 'c', huge: 1 }],
    boxes: [{ slots: [{ id: 'a', at: 1 }, { id: 'a', at: 2 }, { at: 3 }], refs: [{ to: 'a', at: 1 }, { to: 'b', at: 2 }, { to: 'c', at: 3 }, { at: 4 }] }],
  };
  t.same(run(source, spec).map((e) => [e.path, e.body]), [
    [['boxes', 0, 'refs', 0, 'to'], 'Invalid value: "a": taken'],
    [['boxes', 0, 'refs', 1, 'to'], 'Invalid value: "b": not big'],
    [['boxes', 0, 'refs', 1, 'at'], 'Invalid value: 2: place taken'],
    [['boxes', 0, 'refs', 2, 'at'], 'Invalid value: 3: place taken'],
    [['boxes', 0, 'refs', 3, 'to'], 'Invalid value: "": taken'],
    [['boxes', 0, 'refs', 3, 'to'], 'Invalid value: "": not big'],
  ], 'a slot without an id is the one of id "" (as is a ref without a target); the first slot of id a is replaced by the second');
});

t.test('printed paths: a Key() element as written; a line printed twice is one error', async (t) => {
  const source = { checks: [
    { rules: [{ at: ['resources', 'requests', 'storage'], shown: ['resources', '[storage]'], when: [{ path: ['resources', 'requests', 'storage'], set: false }], body: 'Required value', hint: 'h' }] },
    { each: [['modes']], rules: [{ at: [], shownFrom: 'list', when: [{ path: [], notIn: ['A', 'B'] }], body: 'Unsupported value: {value}', hint: 'h' }] },
  ] };
  const found = run(source, { modes: ['a', 'B', 'a', 'c'] });
  t.same(found.map((e) => [e.path, e.shownText ?? e.shown, e.body]), [
    [['resources', 'requests', 'storage'], 'spec.resources[storage]', 'Required value'],
    [['modes', 0], ['modes'], 'Unsupported value: "a"'],
    [['modes', 3], ['modes'], 'Unsupported value: "c"'],
  ], 'the second "a" prints the same line as the first');
});

t.test('a malformed table is named in its errors', async (t) => {
  t.throws(() => table({ checks: [] }, ['other']).refusals({}, undefined, 'template'), /test-table\.json: no list of checks named other/);
  t.throws(() => run({ checks: [{ rules: [rule({ for: 'fields' })] }] }, {}), /test-table\.json: no list named fields/);
  t.throws(() => run({ checks: [{ rules: [rule({ when: [{ any: [], path: ['x'] }] })] }] }, {}), /a test with 'any' or 'of' has nothing else/);
  t.throws(() => run({ checks: [{ rules: [rule({ print: { from: 'outer', path: ['x'] } })] }] }, {}), /a value printed cannot be read with from: 'outer'/);
});
