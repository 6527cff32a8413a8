// Each operator's inline form (what the generated code runs) holds exactly when its compiled
// predicate (what the closures and the reference interpreter run) does.
import t from 'tap';
import { OPERATORS, type InlineTools } from '../engine/operators.js';

const FACTS: unknown[] = [
  undefined, null, '', 'a', 'b', 'ALL', 'localhost/x', 'x:latest', 0, -0, 1, 80, NaN, true, false,
  [], ['a'], ['ALL', 'b'], [1], {}, { a: 1 }, { a: null }, { b: {} }, { a: undefined, b: 0 },
];

/** Values for an operator, by the type its schema wants: short and long lists, literal and not. */
function valuesFor(schema: { type: unknown; items?: unknown }): unknown[] {
  if (schema.type === 'boolean') return [true, false];
  if (schema.type === 'string') return ['', 'a', 'localhost/'];
  if (schema.type === 'array') {
    const long = Array.from({ length: 45 }, (_, i) => `k${i}`);
    return [[], ['a'], ['a', 'b', 'ALL'], ['a*', '*:latest'], ['toString'], ['a', 1, true], long, [...long, 'a']];
  }
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
