/**
 * The condition operators rule files may use. Each is generic: it compares one fact with a
 * value from the rule. A fact that is absent (or null) is `undefined`; the negative operators
 * are the exact negation of their positive twin, so they hold for an absent fact.
 */

import { quantityValue } from './quantity.js';

export type Predicate = (fact: unknown) => boolean;

/** What a comparison needs the fact to be to hold: of a field of another type, it never does. */
export type FactKind = 'scalar' | 'string' | 'list' | 'object' | 'number';

/** What an operator's inline form may use in the generated code. */
export interface InlineTools {
  /** A fresh local variable to assign to. */
  temp(): string;
  /** The name the generated code knows a value by. */
  constant(value: unknown): string;
  /** The value as a JavaScript literal, or undefined when it has none. */
  literal(value: unknown): string | undefined;
  /** Whether `.key` reads the key itself: an identifier that no primitive's or object's prototype has. */
  plainKey(key: string): boolean;
}

export interface OperatorSpec {
  description: string;
  /** What the rule's `value` must be: JSON Schema for the value after named sets are resolved. */
  valueSchema: object;
  /** For a comparison: what the fact must be, and whether this is the negation of one. */
  compares?: { fact: FactKind; negated: boolean };
  compile(value: unknown): Predicate;
  /** When the schema's type does not say it all: how docs and errors name the value, and what else it must be. */
  valueText?: { kind: string; want: string; example: string };
  /** Why a value of the right type is still wrong (and what to write), or undefined. */
  checkValue?(value: unknown): { problem: string; hint: string } | undefined;
  /** The condition in words after the field's name, for `podsec rules` and `explain`: `is one of ["a"]`. */
  describe(valueText: string, value: unknown): string;
  /**
   * For the generated code: a JavaScript expression that holds exactly when compile(value) holds
   * of the fact `read` evaluates to (`read` is evaluated at most once), or undefined to call the
   * compiled predicate instead. A negation's is its twin's, negated.
   */
  inline?(read: string, value: unknown, tools: InlineTools): string | undefined;
}

/** A comparison worded as `<field> <phrase> <value>`. */
const phrase = (words: string) => (valueText: string): string => `${words} ${valueText}`;

const scalar = { type: ['string', 'number', 'boolean'] };
const scalarList = { type: 'array', items: scalar };
const stringList = { type: 'array', items: { type: 'string' } };

function globToMatcher(patterns: string[]): Predicate {
  const exact = new Set<string>();
  const regexes: RegExp[] = [];
  for (const p of patterns) {
    if (!p.includes('*')) exact.add(p);
    else regexes.push(new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*') + '$'));
  }
  return (fact) => {
    if (typeof fact !== 'string') return false;
    if (exact.has(fact)) return true;
    for (const re of regexes) if (re.test(fact)) return true;
    return false;
  };
}

function keySet(value: unknown): (fact: unknown) => boolean {
  const keys = new Set(value as string[]);
  // Objects here have few keys and the list is long: walk the object's keys, not the list.
  return (fact) => {
    if (typeof fact !== 'object' || fact === null || Array.isArray(fact)) return false;
    const obj = fact as Record<string, unknown>;
    for (const k in obj) if (keys.has(k) && Object.hasOwn(obj, k) && obj[k] !== null && obj[k] !== undefined) return true;
    return false;
  };
}

function not(p: Predicate): Predicate {
  return (fact) => !p(fact);
}

const positive: Record<string, OperatorSpec> = {
  equal: {
    describe: phrase('is'),
    compares: { fact: 'scalar', negated: false },
    description: 'The fact is exactly the value (same type; case-sensitive). A quantity compares as written (`1000m` is not `1`): compare amounts with `greaterThanInclusive` and `lessThanInclusive`.',
    valueSchema: scalar,
    compile: (value) => (fact) => fact === value,
    inline: (read, value, { literal }) => {
      const lit = literal(value);
      return lit === undefined ? undefined : `(${read} === ${lit})`;
    },
  },
  in: {
    describe: phrase('is one of'),
    compares: { fact: 'scalar', negated: false },
    description: 'The fact is exactly one of the listed values.',
    valueSchema: scalarList,
    compile: (value) => {
      const set = new Set(value as unknown[]);
      return (fact) => set.has(fact);
    },
    inline: (read, value, { temp, constant, literal }) => {
      const list = value as unknown[];
      const lits = list.map(literal);
      if (list.length > 8 || lits.some((l) => l === undefined)) return `${constant(new Set(list))}.has(${read})`;
      // Short lists compare faster inline than through Set.has.
      const t = temp();
      return lits.length ? `((${t} = ${read}) === ${lits.join(` || ${t} === `)})` : 'false';
    },
  },
  matchesAny: {
    describe: phrase('matches one of'),
    compares: { fact: 'string', negated: false },
    description: 'The fact is a string matching one of the patterns; `*` matches any run of characters (`localhost/*`).',
    valueSchema: stringList,
    compile: (value) => globToMatcher(value as string[]),
  },
  startsWith: {
    describe: phrase('starts with'),
    compares: { fact: 'string', negated: false },
    description: 'The fact is a string that starts with the value.',
    valueSchema: { type: 'string' },
    compile: (value) => (fact) => typeof fact === 'string' && fact.startsWith(value as string),
  },
  contains: {
    describe: phrase('contains'),
    compares: { fact: 'list', negated: false },
    description: 'The fact is a list that contains the value.',
    valueSchema: scalar,
    compile: (value) => (fact) => Array.isArray(fact) && fact.includes(value),
    inline: (read, value, { temp, literal }) => {
      const lit = literal(value);
      if (lit === undefined) return undefined;
      const t = temp();
      return `(Array.isArray(${t} = ${read}) && ${t}.includes(${lit}))`;
    },
  },
  hasAnyKey: {
    describe: phrase('sets one of'),
    compares: { fact: 'object', negated: false },
    description: 'The fact is an object that sets (to a non-null value) at least one of the listed keys.',
    valueSchema: stringList,
    compile: keySet,
    inline: (read, value, { temp, plainKey }) => {
      const keys = value as string[];
      if (keys.length > 40 || !keys.every(plainKey)) return undefined;
      const t = temp();
      return `((${t} = ${read}) != null && typeof ${t} === 'object' && !Array.isArray(${t}) && (${keys.map((k) => `${t}.${k} != null`).join(' || ') || 'false'}))`;
    },
  },
  hasOnlyKeys: {
    describe: phrase('sets no key but'),
    compares: { fact: 'object', negated: false },
    description: 'The fact is an object that sets (to a non-null value) no key but the listed ones: with `[name]`, a volume that names no source.',
    valueSchema: stringList,
    compile: (value) => {
      const keys = new Set(value as string[]);
      return (fact) => {
        if (typeof fact !== 'object' || fact === null || Array.isArray(fact)) return false;
        const obj = fact as Record<string, unknown>;
        for (const k in obj) if (!keys.has(k) && Object.hasOwn(obj, k) && obj[k] !== null && obj[k] !== undefined) return false;
        return true;
      };
    },
  },
};

/** A numeric comparison: of a number, or a quantity string, with a number or a quantity. */
function numeric(words: string, holds: (fact: number, bound: number) => boolean, js: string, description: string): OperatorSpec {
  return {
    describe: phrase(words),
    compares: { fact: 'number', negated: false },
    description,
    valueSchema: { type: ['number', 'string'] },
    valueText: { kind: 'number or quantity', want: 'a number or a quantity', example: '"500m"' },
    checkValue: (value) =>
      Number.isNaN(quantityValue(value)) ? { problem: `${JSON.stringify(value)} is neither a number nor a Kubernetes quantity`, hint: 'write a number (2, 1.5) or a quantity such as "500m" or "128Mi"' } : undefined,
    compile: (value) => {
      const bound = quantityValue(value);
      return (fact) => holds(quantityValue(fact), bound);
    },
    // Numbers, the common case in YAML (cpu: 2), compare inline; strings are parsed.
    inline: (read, value, { temp, constant, literal }) => {
      const bound = quantityValue(value);
      const t = temp();
      return `((typeof (${t} = ${read}) === 'number' ? ${t} : ${constant(quantityValue)}(${t})) ${js} ${literal(bound) ?? constant(bound)})`;
    },
  };
}
const NUMBERS = 'The fact and the value are numbers or Kubernetes quantity strings (`500m`, `1.5`, `128Mi`), compared as the API server reads them (`2000m` is `2`); a fact that is absent or neither (`true`, `"2 cores"`) never holds.';
positive.greaterThan = numeric('is more than', (f, b) => f > b, '>', `The fact is greater than the value. ${NUMBERS}`);
positive.greaterThanInclusive = numeric('is at least', (f, b) => f >= b, '>=', 'The fact is greater than or equal to the value, compared as by `greaterThan`.');
positive.lessThan = numeric('is less than', (f, b) => f < b, '<', `The fact is less than the value. ${NUMBERS}`);
positive.lessThanInclusive = numeric('is at most', (f, b) => f <= b, '<=', 'The fact is less than or equal to the value, compared as by `greaterThan`.');

const negations: Record<string, { of: string; phrase: string }> = {
  notEqual: { of: 'equal', phrase: 'is not' },
  notIn: { of: 'in', phrase: 'is not one of' },
  matchesNone: { of: 'matchesAny', phrase: 'matches none of' },
  doesNotContain: { of: 'contains', phrase: 'does not contain' },
  hasNoKey: { of: 'hasAnyKey', phrase: 'sets none of' },
};

export const OPERATORS: Record<string, OperatorSpec> = {
  ...positive,
  present: {
    description: 'With `true`: the field is set (not absent, not null). With `false`: it is absent or null.',
    valueSchema: { type: 'boolean' },
    compile: (value) => (value ? (fact) => fact !== undefined && fact !== null : (fact) => fact === undefined || fact === null),
    describe: (_text, value) => (value ? 'is set' : 'is not set'),
    inline: (read, value) => (value ? `(${read} != null)` : `(${read} == null)`),
  },
};
for (const [name, { of: base, phrase: words }] of Object.entries(negations)) {
  const spec = positive[base]!;
  OPERATORS[name] = {
    describe: phrase(words),
    description: `Negation of \`${base}\`: true when \`${base}\` is false (so also when the fact is absent).`,
    valueSchema: spec.valueSchema,
    compares: { fact: spec.compares!.fact, negated: true },
    compile: (value) => not(spec.compile(value)),
    inline: (read, value, tools) => {
      const positive = spec.inline?.(read, value, tools);
      return positive === undefined ? undefined : `!${positive}`;
    },
  };
}

export const OPERATOR_NAMES = Object.keys(OPERATORS).sort();
