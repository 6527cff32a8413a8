/**
 * Type checks of every field (with the text of quantities and times and integers' range), as the API server
 * decodes objects. The engine trusts its input, and a wrongly typed field (`privileged: "true"`)
 * would otherwise be read as "not set" and pass.
 */
import { decoderFieldPath, INTEGER_RANGES, objectFieldTypeErrors } from '../../admission/field-types.js';
import { numberAsSent } from '../manifest/resolve.js';

export interface FieldTypeError {
  /** Path inside the validated value. */
  path: (string | number)[];
  /** A key the object's type does not have (reported when validating strictly). */
  unknown?: boolean;
  /** For an unknown key: the likeliest intended one. */
  suggestion?: string;
  /** `must be a boolean (true or false), not the string "true"` */
  message: string;
  hint: string;
}

const NO_ERRORS: readonly FieldTypeError[] = Object.freeze([]);

/** A value's type for a message, with the value when it is a scalar: `the string "x"`, `a list`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return `the number ${numberAsSent(v)}`;
  return `the ${typeof v} ${String(v)}`;
}

/** For a string field given a boolean or a number: how YAML, as kubectl reads it, made it one. */
export function quoteHint(value: boolean | number): string {
  return typeof value === 'boolean'
    ? 'quote the value to make it a string: unquoted, kubectl reads y, n, yes, no, on, off, true and false (in lower case, capitalised or upper case) as booleans'
    : 'quote the value to make it a string: unquoted, it is read as a number (1.10 as 1.1, 0777 as 511)';
}

/**
 * Characters that take no room and make a key another key to kubectl: most often a byte order
 * mark left inside a file where files were joined (at the start of a line, it makes the line's
 * indentation part of the key too).
 */
const INVISIBLE = /[\u200b\u2060\ufeff]/;
const EVERY_INVISIBLE = new RegExp(INVISIBLE.source, 'g');
const INVISIBLE_NAMES: Record<string, string> = { '\ufeff': 'U+FEFF, a byte order mark', '\u200b': 'U+200B, a zero width space', '\u2060': 'U+2060, a word joiner' };

/** What to do about a key that holds an invisible character, or undefined when it holds none. */
export function invisibleKeyHint(key: string): string | undefined {
  // Pasted from a web page or a document: indentation of no-break spaces is text to YAML.
  if (/^[ \u00a0]*\u00a0/.test(key)) return 'the line is indented with no-break spaces (U+00A0), which YAML reads as part of the key: indent it with ordinary spaces';
  const found = key.match(INVISIBLE);
  if (!found) return undefined;
  return `the key holds an invisible character (${INVISIBLE_NAMES[found[0]!]}), which kubectl reads as part of its name: delete it`;
}

/** The key of `obj` that is `name` once its invisible characters and spaces are taken out, if any. */
export function invisiblySpelt(obj: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(obj).find((k) => k !== name && INVISIBLE.test(k) && k.replace(EVERY_INVISIBLE, '').trim() === name);
}

const TYPE_WORDS: Record<string, string> = {
  boolean: 'a boolean (true or false)',
  integer: 'an integer',
  string: 'a string',
  object: 'a mapping',
  array: 'a list',
};

function wanted(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).filter((t) => t !== 'null') as string[];
  return list.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

function isOneEntryMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1;
}

function hintFor(types: string[], value: unknown): string {
  if (types.includes('boolean') && typeof value === 'string') return 'write true or false without quotes';
  if (types.includes('integer') && typeof value === 'string' && /^-?\d+$/.test(value)) return 'write the number without quotes';
  if (types.includes('array') && value !== null && typeof value === 'object') return 'write a list: one "- " item per entry';
  if (types.includes('array') && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return `write a list, even of one item: [${String(value)}], or a "- ${String(value)}" line below the key`;
  // `- echo a: b` or `[sh, -c, echo a: b]`: the ": " in the text made a mapping of it.
  if (types.includes('string') && isOneEntryMapping(value)) {
    const [k, v] = Object.entries(value)[0]!;
    if (typeof v !== 'object' || v === null) return `": " in the text made a mapping of it: quote the whole text ("${k}: ${String(v ?? '')}")`;
  }
  if (types.includes('object') && Array.isArray(value)) return 'write a mapping (key: value), not a list';
  if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) return quoteHint(value);
  return 'the API server would reject this object: fix the field\'s type';
}

const QUANTITY_HINT = 'write a number with an optional suffix: m (thousandths), k, M, G, T, P, E, or Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), for example 250m, 512Mi or 2Gi';
const TIME_HINT = 'write a date and time with its zone, for example 2024-01-31T12:00:00Z, or null (the API server sets creationTimestamp itself)';

/** A key the kind does not have, in kubectl's words: an error under strict validation, a warning under --validate warn. */
export function unknownFieldMessage(kind: string, path: readonly (string | number)[], validation: 'strict' | 'warn'): string {
  const said = validation === 'strict' ? 'strict decoding error: unknown field' : 'Warning: unknown field';
  return `is not a field of ${kind} (kubectl: ${said} "${decoderFieldPath(path)}")`;
}

/** For a field written beside the key it belongs under. */
function underHint(key: string, under: { key: string; items: boolean }): string {
  return under.items
    ? `"${key}" is a field of the items of ${under.key}: indent it to line up with the other keys of its item (under the "- ")`
    : `"${key}" is a field of ${under.key}: indent it under ${under.key}`;
}

/**
 * Validates an object of a pod-bearing kind (or a Namespace); returns at most `limit` errors.
 * `strict` also reports keys the type does not have (`unknown` set on those).
 */
export function validateObjectFields(kind: string, obj: unknown, limit = 10, strict = false): readonly FieldTypeError[] {
  const problems = objectFieldTypeErrors(kind, obj, limit, strict);
  // Almost every object: nothing to word (and no new empty list made for it).
  if (problems.length === 0) return NO_ERRORS;
  return problems.map((e) => {
    if (e.unknown) {
      return {
        path: e.path,
        unknown: true,
        message: unknownFieldMessage(kind, e.path, 'strict'),
        hint: invisibleKeyHint(String(e.path[e.path.length - 1]))
          ?? (e.unknown.under ? underHint(String(e.path[e.path.length - 1]), e.unknown.under)
            : e.unknown.suggestion ? `did you mean "${e.unknown.suggestion}"?` : 'remove it, or check with --validate warn to judge the object without it'),
        ...(e.unknown.suggestion ? { suggestion: e.unknown.suggestion } : {}),
      };
    }
    if (!e.problem) return { path: e.path, message: `must be ${wanted(e.types)}, not ${describeValue(e.value)}`, hint: hintFor(e.types, e.value) };
    const range = e.format ? INTEGER_RANGES[e.format] : undefined;
    if (range) {
      return {
        path: e.path,
        message: `must be an integer from ${range.text} (Go's ${range.type}), not ${describeValue(e.value)} (the API server says: ${e.problem})`,
        hint: 'the field cannot hold this number: use a smaller one',
      };
    }
    if (e.format === 'time') {
      return { path: e.path, message: `is not an RFC 3339 time: ${describeValue(e.value)} (the API server says: ${e.problem})`, hint: TIME_HINT };
    }
    return { path: e.path, message: `is not a quantity: ${describeValue(e.value)} (the API server says: ${e.problem})`, hint: QUANTITY_HINT };
  });
}
