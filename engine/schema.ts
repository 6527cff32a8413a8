/**
 * JSON Schemas of the rule files. This module is their single source: `schemas/*.json` are
 * generated from it (`npm run schemas`), and a test keeps them identical.
 */
import { RULE_LEVELS } from './api.js';
import { VERSION_PATTERN } from './version.js';
import { OPERATOR_NAMES, OPERATORS } from './operators.js';
import { DEFAULTED_OBJECTS, DEFAULTING_MODES, FACTS } from './model.js';

const SCHEMA_BASE = 'https://podsec.dev/schemas';

/**
 * The newest policy version a rule may name. Every minor version up to the newest named gets its
 * own check table, so a typo such as v1.100000000 would hang every command.
 */
const MAX_RULE_MINOR_DIGITS = 3;
export const MAX_RULE_MINOR = 10 ** MAX_RULE_MINOR_DIGITS - 1;
/** VERSION_PATTERN with at most MAX_RULE_MINOR: editors refuse what the loader refuses. */
const sincePattern = VERSION_PATTERN.source.replace('[1-9][0-9]*', `[1-9][0-9]{0,${MAX_RULE_MINOR_DIGITS - 1}}`);
const identifier = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$' };

/** Whether text has the form of a check id (and so of a rule file's name). */
export function isIdentifier(text: string): boolean {
  return new RegExp(identifier.pattern).test(text);
}

const setReference = {
  type: 'object',
  description: 'A named value set declared under `sets` in this rule.',
  properties: { set: identifier },
  required: ['set'],
  additionalProperties: false,
};

const scalarTypes = ['string', 'number', 'boolean'];

const conditionValue = {
  description: 'The value the fact is compared with: a scalar, a list, or `{ set: NAME }`.',
  type: [...scalarTypes, 'array', 'object'],
  if: { type: 'object' },
  then: setReference,
  else: { if: { type: 'array' }, then: { items: { type: scalarTypes } } },
};

const leafCondition = {
  properties: {
    fact: {
      enum: Object.keys(FACTS),
      description: `${Object.entries(FACTS).map(([fact, what]) => `\`${fact}\`: ${what}`).join('; ')}.`,
    },
    path: { type: 'string', description: 'JSONPath into the fact, without wildcards: `$.securityContext.privileged`.' },
    operator: { enum: OPERATOR_NAMES },
    value: conditionValue,
    default: {
      type: scalarTypes,
      description: 'The value an absent field is read as (Go reads an absent non-pointer field as its zero value).',
    },
  },
  required: ['operator', 'value'],
  additionalProperties: false,
};

// if/then chains instead of oneOf, so that a mistake is reported once, against the form meant.
const condition = {
  description:
    'A condition in json-rules-engine form: `all` / `any` / `not`, or a leaf comparing a fact (optionally at a path) with a value.',
  type: 'object',
  if: { required: ['all'] },
  then: {
    properties: { all: { type: 'array', minItems: 1, items: { $ref: '#/$defs/condition' } } },
    additionalProperties: false,
  },
  else: {
    if: { required: ['any'] },
    then: {
      properties: { any: { type: 'array', minItems: 1, items: { $ref: '#/$defs/condition' } } },
      additionalProperties: false,
    },
    else: {
      if: { required: ['not'] },
      then: { properties: { not: { $ref: '#/$defs/condition' } }, additionalProperties: false },
      else: leafCondition,
    },
  },
};

const SCOPE_REF_PATTERN = '^#[A-Za-z][A-Za-z0-9_]*$';
const URL_PATTERN = '^https?://';

/** What to write, in words, for a value a pattern rejects (error hints; a regular expression helps no one). */
export const PATTERN_HINTS: Readonly<Record<string, string>> = {
  [identifier.pattern]: 'write a name of letters, digits and underscores, starting with a letter (for example noLatestTag)',
  [SCOPE_REF_PATTERN]: 'write "#" and a scope name, for example "#containers"',
  [URL_PATTERN]: 'write a link starting with https://',
};

const scopeRef = {
  type: 'string',
  pattern: SCOPE_REF_PATTERN,
  description: 'A scope from rules/scopes.yaml, for example `#containers`.',
};

const finding = {
  type: 'object',
  description: 'A set of subjects (and the values they set) that break the rule.',
  properties: {
    in: {
      description: 'The scope(s) whose subjects are examined, in order, each once.',
      type: ['string', 'array'],
      if: { type: 'string' },
      then: scopeRef,
      else: { minItems: 1, items: scopeRef },
    },
    when: { $ref: '#/$defs/condition', description: 'The condition under which a subject (or, with `values`, a value) breaks the rule.' },
    values: {
      type: 'array',
      minItems: 1,
      items: { type: 'string' },
      description: 'Paths (relative to the subject, wildcards allowed) of values to check one by one with `when` (fact `value`).',
    },
    valueDefault: {
      type: scalarTypes,
      description: 'With `values`: what a list item that lacks the final field counts as.',
    },
    record: {
      type: 'object',
      description:
        'The one value each breaking subject contributes to the message, shown by `{{values}}`, `{{sorted}}` and `{{list}}` (findings with `values` record the values they find instead). For example `{ path: "$.image" }`; in `#annotations`, `{ path: "$", format: keyEqualsQuotedValue }` records `key="value"`. (To name annotation keys alone, use a scope with `name: key` and `label.names: true`, and `{{setters}}`.)',
      properties: {
        fact: { enum: ['element', 'pod'], description: 'Where `path` is read: `element` (default), the subject; `pod`, the whole pod.' },
        path: { type: 'string', description: "The field to record, without wildcards: `$.image`; `$` is the subject itself (an annotation's value). `{name}` stands for the subject's name." },
        default: { type: scalarTypes, description: 'What is recorded when the field is absent or null (without it, the empty string).' },
        firstKeyOf: {
          type: ['array', 'object'],
          if: { type: 'array' },
          then: { items: { type: 'string' } },
          else: setReference,
          description: 'Key names (or `{ set: NAME }`): record the first of them that the object at `path` has (not null), instead of a value.',
        },
        otherwise: { type: 'string', description: 'With `firstKeyOf`: what is recorded when the object has none of the keys (default: the empty string).' },
        format: {
          enum: ['plain', 'keyEqualsQuotedValue'],
          description:
            "`plain` (default): the value as text. `keyEqualsQuotedValue`: `key=\"value\"` (the value Go-quoted), where key is the last key of `path`, or with `path: \"$\"` the subject's key in its parent (an annotation's key).",
        },
      },
      required: ['path'],
      additionalProperties: false,
    },
    at: { type: 'string', description: 'The field to point at in reports (relative to the subject; one field, no wildcards); defaults to the first path in `when`.' },
    sortSubjects: { type: 'boolean', description: 'List subject names sorted and de-duplicated instead of in visit order.' },
    messageOnly: { type: 'boolean', description: 'Used only to build the message; does not decide the verdict, and adds no locations to reports.' },
  },
  required: ['in', 'when'],
  additionalProperties: false,
};

const textNode: object = {
  description:
    'A message template (string), or parts joined by `join` (each shown only `when` one of the named findings is non-empty), or `oneOf`: the first alternative whose `when` holds (one without `when` is the fallback, and must come last).',
  type: ['string', 'object'],
  if: { type: 'object' },
  then: {
    properties: {
      when: { type: 'array', minItems: 1, items: identifier },
      text: { type: 'string' },
      join: { type: 'string' },
      parts: { type: 'array', minItems: 1, items: { $ref: '#/$defs/textNode' } },
      oneOf: { type: 'array', minItems: 1, items: { $ref: '#/$defs/textNode' } },
    },
    additionalProperties: false,
  },
};

const setDefinition = {
  description: 'A list of values, or `{ add, remove }`: a change to the set inherited from the previous version.',
  type: ['array', 'object'],
  if: { type: 'array' },
  then: { items: { type: scalarTypes } },
  else: {
    properties: {
      add: { type: 'array', items: { type: scalarTypes } },
      remove: { type: 'array', items: { type: scalarTypes } },
    },
    additionalProperties: false,
    minProperties: 1,
  },
};

export const ruleSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `${SCHEMA_BASE}/rule.schema.json`,
  title: 'podsec rule file',
  description: 'One Pod Security check. Every version entry changes what the previous one said; what it omits is inherited.',
  type: 'object',
  properties: {
    schemaVersion: { const: 1, description: 'The rule-file format version: 1.' },
    id: { ...identifier, description: 'The upstream check id; must equal the file name.' },
    level: { enum: [...RULE_LEVELS], description: 'Must equal the folder name.' },
    title: { type: 'string', minLength: 1, description: 'Short name, as the standard titles the control.' },
    summary: { type: 'string', minLength: 1, description: 'What the check requires, for people.' },
    standard: { type: 'string', pattern: URL_PATTERN, description: 'Link to the standard (help URI in reports).' },
    fix: { type: 'string', minLength: 1, description: 'How to make a pod pass, for people: shown by `podsec explain` and as the help of SARIF results (code scanning). Optional.' },
    versions: {
      type: 'array',
      minItems: 1,
      description: 'What the check does from each policy version on, oldest first.',
      items: {
        type: 'object',
        properties: {
          since: { type: 'string', pattern: sincePattern, description: `First policy version this entry applies to: v1.N (N at most ${MAX_RULE_MINOR}).` },
          note: { type: 'string', description: 'What changed at this version and why, for people (shown by `podsec explain`).' },
          overrides: { type: 'array', items: identifier, description: 'Baseline checks this restricted check replaces.' },
          exemptWhen: {
            description: 'A condition on the pod under which the check passes (each leaf says `fact: pod`, the only fact here); `null` removes an inherited one.',
            type: ['object', 'null'],
            if: { type: 'object' },
            then: { $ref: '#/$defs/condition' },
          },
          sets: { type: 'object', additionalProperties: setDefinition, propertyNames: identifier, description: 'Named value sets, referenced as `{ set: NAME }`; a list replaces, `{ add, remove }` changes the inherited set (removing a value it does not hold is an error).' },
          findings: { type: 'object', minProperties: 1, additionalProperties: finding, propertyNames: identifier, description: 'Named findings (replace the inherited ones as a whole).' },
          message: {
            type: 'object',
            description: 'The upstream ForbiddenReason (`reason`) and ForbiddenDetail (`detail`) templates. Replaces the inherited message as a whole: a `message` without `detail` has none.',
            properties: { reason: { type: 'string', minLength: 1 }, detail: { $ref: '#/$defs/textNode' } },
            required: ['reason'],
            additionalProperties: false,
          },
        },
        required: ['since'],
        additionalProperties: false,
      },
    },
  },
  required: ['schemaVersion', 'id', 'level', 'title', 'summary', 'standard', 'versions'],
  additionalProperties: false,
  $defs: { condition, textNode },
};

export const scopesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `${SCHEMA_BASE}/scopes.schema.json`,
  title: 'podsec scopes file',
  type: 'object',
  properties: {
    schemaVersion: { const: 1 },
    scopes: {
      type: 'object',
      propertyNames: identifier,
      additionalProperties: {
        type: 'object',
        properties: {
          description: { type: 'string', description: 'What the scope walks, for people.' },
          paths: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Paths into the pod, with wildcards, of its subjects, visited in this order (`$.spec.volumes[*]`).' },
          name: { type: 'string', description: '`key` (the key in the parent) or a path into the subject naming one field (no wildcards); absent: no name.' },
          label: {
            type: 'object',
            description: 'How messages name its subjects (`{{setters}}`), all three required: `singular` for one, `plural` for several, and `names`: `true` puts the quoted names after the noun (`containers "a", "b"`; the scope needs a `name`), `false` the noun alone.',
            properties: {
              singular: { type: 'string', minLength: 1 },
              plural: { type: 'string', minLength: 1 },
              names: { type: 'boolean', description: 'Follow the noun with the quoted subject names.' },
            },
            required: ['singular', 'plural', 'names'],
            additionalProperties: false,
          },
        },
        required: ['paths', 'label'],
        additionalProperties: false,
      },
    },
  },
  required: ['schemaVersion', 'scopes'],
  additionalProperties: false,
};

export const defaultingSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `${SCHEMA_BASE}/defaulting.schema.json`,
  title: 'podsec API-server defaulting file',
  type: 'object',
  properties: {
    schemaVersion: { const: 1 },
    defaults: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { ...identifier, description: 'Unique name of the default; a rules directory replaces a bundled default by giving the same id.' },
          description: { type: 'string', description: 'What the API server does, and where (the Go function).' },
          objects: { type: 'array', minItems: 1, items: { enum: [...DEFAULTED_OBJECTS] }, description: 'Which objects get it: `pod` (a Pod as created), `template` (a workload\'s pod template).' },
          in: { type: ['string', 'array'], if: { type: 'array' }, then: { minItems: 1, items: { type: 'string' } }, description: 'Path or paths, with wildcards, of the elements it may change (`$.spec.volumes[*]`).' },
          name: { type: 'string', description: 'Path, in the element, of its name (one field, no wildcards): what `{name}` stands for in the paths of `when` (`$.name`).' },
          when: { $ref: '#/$defs/condition', description: 'Condition on the element (`element`) and the whole object (`pod`), as in rules.' },
          set: {
            type: 'array',
            minItems: 1,
            description: 'The fields it sets on the element: each names `key` (a key of the element) or `path` (a field path in it, without wildcards; objects on the way are created), and `value` (a constant) or `from` (a path in the element).',
            items: {
              type: 'object',
              properties: { key: { type: 'string', minLength: 1 }, path: { type: 'string' }, value: {}, from: { type: 'string' } },
              allOf: [
                { oneOf: [{ required: ['key'] }, { required: ['path'] }] },
                { oneOf: [{ required: ['value'] }, { required: ['from'] }] },
              ],
              additionalProperties: false,
            },
          },
        },
        required: ['id', 'objects', 'in', 'when', 'set'],
        additionalProperties: false,
      },
    },
  },
  required: ['schemaVersion', 'defaults'],
  additionalProperties: false,
  $defs: { condition },
};

const policyVersion = { type: 'string', pattern: `^latest$|${VERSION_PATTERN.source}` };

export const casesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `${SCHEMA_BASE}/cases.schema.json`,
  title: 'podsec rule test cases',
  description: 'Pods that one check must pass or fail, with the exact message, at the policy versions listed (`podsec test`).',
  type: 'object',
  properties: {
    check: { ...identifier, description: 'The id of the check the cases are about (a bundled check, or one of a rules directory).' },
    cases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, description: 'What the case shows, for people; reports name a failing case by it.' },
          level: { enum: RULE_LEVELS, description: "The level the pod is evaluated at (default: the check's own level)." },
          versions: { type: 'array', minItems: 1, items: policyVersion, description: 'The policy versions (`latest`, `v1.N`) at which the pod is evaluated, each on its own.' },
          defaulting: {
            enum: [...DEFAULTING_MODES],
            description: "The API server's defaulting applied first, as in the library's `evaluate` (default `pod`).",
          },
          pod: {
            type: 'object',
            description: "A v1 Pod: `spec`, and `metadata` where annotations matter; `apiVersion: v1` and `kind: Pod` may be given. Its fields are checked against the Pod's API types when the file is read.",
            properties: { apiVersion: { const: 'v1' }, kind: { const: 'Pod' }, spec: { type: 'object' } },
            required: ['spec'],
          },
          expect: {
            description: '`pass`: the check finds nothing. Otherwise the violation the check must report: its `reason`, and its `detail` and `fields` (each compared when given).',
            type: ['string', 'object'],
            if: { type: 'string' },
            then: { const: 'pass' },
            else: {
              properties: {
                reason: { type: 'string', minLength: 1 },
                detail: { type: 'string' },
                fields: {
                  type: 'array',
                  items: { type: 'string', minLength: 1 },
                  description: 'The offending fields, where reports point, written as reports write them (`spec.containers[0].securityContext.privileged`), in order.',
                },
              },
              required: ['reason'],
              additionalProperties: false,
            },
          },
        },
        required: ['name', 'versions', 'pod', 'expect'],
        additionalProperties: false,
      },
    },
  },
  required: ['check', 'cases'],
  additionalProperties: false,
};

/** Hints in words where a schema refuses a value at a place the generic hint would not help. */
export const PLACE_HINTS: readonly { at: RegExp; keywords: readonly string[]; hint: string }[] = [
  { at: /^$/, keywords: ['type'], hint: 'write a mapping (key: value lines), not a list or a single value' },
  { at: /^\/cases\/\d+\/expect$/, keywords: ['const'], hint: 'write pass, or the violation: { reason: …, detail: … }' },
  { at: /^\/cases\/\d+\/pod\/kind$/, keywords: ['const'], hint: "give the pod itself: a workload's pod template (its spec.template: metadata and spec), with defaulting: template" },
  { at: /^\/cases\/\d+\/versions$/, keywords: ['type'], hint: 'write a list, for example versions: [v1.25, latest]' },
  { at: /^\/cases\/\d+\/versions\/\d+$/, keywords: ['type', 'pattern'], hint: 'write latest, or a policy version like v1.25 (no leading zeros, no patch number)' },
];

/** The generated schema files: name → text. */
/** A path that names one field: `$`, then no wildcard (`[*]`, `.*`), descent (`..`) or filter (`[?`). */
const ONE_FIELD_PATH = '^\\$(?!.*(\\[\\*\\]|\\.\\*|\\.\\.|\\[\\?))';

/**
 * The rule schema as editors get it (schemas/rule.schema.json): besides the form the loader
 * validates first, what it checks when it compiles a rule and can say in JSON Schema (each
 * operator's value, paths without wildcards), so that an editor marks the mistake as it is typed.
 * The loader keeps to ruleSchema, and its compile step words these problems better.
 */
export function editorRuleSchema(): object {
  const schema = JSON.parse(JSON.stringify(ruleSchema));
  const leaf = schema.$defs.condition.else.else.else;
  leaf.properties.path.pattern = ONE_FIELD_PATH;
  leaf.allOf = OPERATOR_NAMES.map((op) => {
    const value = OPERATORS[op]!.valueSchema as { type?: unknown };
    // A named set stands for a list.
    const then = value.type === 'array' ? { if: { type: 'object' }, then: setReference, else: value } : value;
    return { if: { properties: { operator: { const: op } }, required: ['operator'] }, then: { properties: { value: then } } };
  });
  const finding = schema.properties.versions.items.properties.findings.additionalProperties;
  finding.properties.record.properties.path.pattern = ONE_FIELD_PATH;
  finding.properties.at.pattern = ONE_FIELD_PATH;
  finding.properties.values.items.pattern = '^\\$';
  finding.dependencies = { valueDefault: ['values'] };
  return schema;
}

export function schemaFiles(): Record<string, string> {
  const text = (schema: object) => JSON.stringify(schema, null, 2) + '\n';
  return {
    'rule.schema.json': text(editorRuleSchema()),
    'scopes.schema.json': text(scopesSchema),
    'defaulting.schema.json': text(defaultingSchema),
    'cases.schema.json': text(casesSchema),
  };
}
