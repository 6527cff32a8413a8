// Each operator's inline form (what the generated code runs) holds exactly when its compiled
// predicate (what the closures and the reference interpreter run) does.
import t from 'tap';
import { OPERATORS, type InlineTools } from '../engine/operators.js';
import { parsed, quantityValue } from '../engine/quantity.js';

const FACTS: unknown[] = [
  undefined, null, '', 'a', 'b', 'ALL', 'localhost/x', 'x:latest', 0, -0, 1, 80, NaN, true, false,
  [], ['a'], ['ALL', 'b'], [1], {}, { a: 1 }, { a: null }, { b: {} }, { a: undefined, b: 0 },
  2, 1.5, -3, '2', '2000m', '2001m', '1.5', '128Mi', '1e3', ' 2 ', '2 cores', 'Gi', Infinity,
];

/** Values for an operator, by the type its schema wants: short and long lists, literal and not. */
function valuesFor(schema: { type: unknown; items?: unknown }): unknown[] {
  if (schema.type === 'boolean') return [true, false];
  if (schema.type === 'string') return ['', 'a', 'localhost/'];
  if (schema.type === 'array') {
    const long = Array.from({ length: 45 }, (_, i) => `k${i}`);
    return [[], ['a'], ['a', 'b', 'ALL'], ['a*', '*:latest'], ['toString'], ['a', 1, true], long, [...long, 'a']];
  }
  if (Array.isArray(schema.type) && !schema.type.includes('boolean')) return [2, 0, -1.5, '2', '500m', '1.5', '128Mi', '1e400'];
  return ['a', 'ALL', 0, 1, true, false, ''];
}

t.test('every inline form agrees with its predicate', async (t) => {
  let inlined = 0;
  for (const [name, spec] of Object.entries(OPERATORS)) {
    for (const value of valuesFor(spec.valueSchema as { type: unknown })) {
      const temps: string[] = [];
      const constants: unknown[] = [];
      const tools: InlineTools = {
        temp: () => `t${temps.push(`t${temps.length}`) - 1}`,
        constant: (v) => `c${constants.push(v) - 1}`,
        literal: (v) => (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? JSON.stringify(v) : undefined),
        plainKey: (k) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) && !(k in Object.prototype),
      };
      const expr = spec.inline?.('read()', value, tools);
      if (expr === undefined) continue;
      inlined++;
      t.ok(expr.split('read()').length - 1 <= 1, `${name} ${JSON.stringify(value)}: reads the fact at most once`);
      const inline = new Function('read', ...constants.map((_, i) => `c${i}`), `let ${['_', ...temps].join(', ')}; return ${expr};`) as (read: () => unknown, ...c: unknown[]) => boolean;
      const predicate = spec.compile(value);
      const wrong = FACTS.filter((fact) => inline(() => fact, ...constants) !== predicate(fact));
      t.same(wrong, [], `${name} ${JSON.stringify(value).slice(0, 40)}`);
    }
  }
  t.ok(inlined > 20, `${inlined} inline forms compared`);
});

t.test('quantities read as the API server reads them', async (t) => {
  const read: [unknown, number][] = [
    [2, 2], ['2', 2], ['2000m', 2], ['1.5', 1.5], ['.5', 0.5], ['1.', 1], ['+1', 1], ['-0.5', -0.5], ['500m', 0.5], ['100u', 0.0001], ['5n', 5e-9],
    ['2k', 2000], ['3M', 3e6], ['4G', 4e9], ['7E', 7e18], ['128Mi', 134217728], ['1Ki', 1024], ['1.5Gi', 1610612736], ['1e3', 1000], ['1E-3', 0.001], [' 2Gi ', 2 * 2 ** 30],
  ];
  t.same(read.map(([q]) => quantityValue(q)), read.map(([, n]) => n));
  // Not quantities: every comparison with them is false.
  for (const q of ['', 'abc', '2 cores', '1K', '100mi', '1e', '512MB', '1.2.3', '0x10', true, null, undefined, {}, [2]]) t.ok(Number.isNaN(quantityValue(q)), JSON.stringify(q) ?? 'undefined');
});

t.test('numeric comparisons: bounds, and what never compares', async (t) => {
  const holds = (op: string, value: unknown, fact: unknown) => OPERATORS[op]!.compile(value)(fact);
  t.same(['1999m', '2', 2, '2000m', '2001m', 3].map((f) => holds('greaterThan', 2, f)), [false, false, false, false, true, true]);
  t.same(['1999m', '2', 2, '2000m', '2001m', 3].map((f) => holds('greaterThanInclusive', '2', f)), [false, true, true, true, true, true]);
  t.same(['1Gi', '1024Mi', '1G', 1073741825].map((f) => holds('lessThan', '1Gi', f)), [false, false, true, false]);
  t.same(['1Gi', '1024Mi', '1G', 1073741825].map((f) => holds('lessThanInclusive', '1Gi', f)), [true, true, true, false]);
  for (const op of ['greaterThan', 'greaterThanInclusive', 'lessThan', 'lessThanInclusive']) {
    t.same([undefined, null, true, 'x', '1K', [1], { a: 1 }].filter((f) => holds(op, 0, f)), [], `${op}: absent and non-numbers never compare`);
  }
});

t.test('the quick reading of a quantity agrees with the full one', async (t) => {
  const suffixes = ['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'K', 'toString', '__proto__', 'e3', 'x'];
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const wrong: string[] = [];
  for (let i = 0; i < 20000; i++) {
    const digits = Array.from({ length: 1 + random(17) }, () => String(random(10))).join('');
    const dot = random(3) === 0 ? random(digits.length + 1) : -1;
    const number = dot < 0 ? digits : `${digits.slice(0, dot)}.${digits.slice(dot)}`;
    const q = ['', '-', '+'][random(3)] + number + suffixes[random(suffixes.length)];
    const a = quantityValue(q);
    const b = parsed(q);
    if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) wrong.push(`${q}: ${a} ${b}`);
  }
  t.same(wrong, []);
});

t.test('hasOnlyKeys: an object that sets no key outside the list', async (t) => {
  const onlyName = OPERATORS.hasOnlyKeys!.compile(['name']);
  const facts: [unknown, boolean][] = [
    [{ name: 'v' }, true],
    [{}, true],
    [{ name: 'v', emptyDir: null }, true],
    [{ name: 'v', emptyDir: undefined }, true],
    [{ name: 'v', emptyDir: {} }, false],
    [{ name: 'v', someNewSource: {} }, false],
    [{ toString: 1 }, false],
    [Object.create({ inherited: 1 }), true],
    [[], false],
    [null, false],
    [undefined, false],
    ['name', false],
  ];
  t.same(facts.map(([f]) => onlyName(f)), facts.map(([, want]) => want));
});
