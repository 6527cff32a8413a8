/**
 * The condition operators rule files may use. Each is generic: it compares one fact with a
 * value from the rule. A fact that is absent (or null) is `undefined`; the negative operators
 * are the exact negation of their positive twin, so they hold for an absent fact.
 */

export type Predicate = (fact: unknown) => boolean;

/** What a comparison needs the fact to be to hold: of a field of another type, it never does. */
export type FactKind = 'scalar' | 'string' | 'list' | 'object';

export interface OperatorSpec {
  description: string;
  /** What the rule's `value` must be: JSON Schema for the value after named sets are resolved. */
  valueSchema: object;
  /** For a comparison: what the fact must be, and whether this is the negation of one. */
  compares?: { fact: FactKind; negated: boolean };
  compile(value: unknown): Predicate;
  /** The condition in words after the field's name, for `podsec rules` and `explain`: `is one of ["a"]`. */
  describe(valueText: string, value: unknown): string;
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
    description: 'The fact is exactly the value (same type; case-sensitive).',
    valueSchema: scalar,
    compile: (value) => (fact) => fact === value,
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
  },
  hasAnyKey: {
    describe: phrase('sets one of'),
    compares: { fact: 'object', negated: false },
    description: 'The fact is an object that sets (to a non-null value) at least one of the listed keys.',
    valueSchema: stringList,
    compile: keySet,
  },
};

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
  };
}

export const OPERATOR_NAMES = Object.keys(OPERATORS).sort();
