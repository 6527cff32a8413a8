/**
 * Type checks for the fields the Pod Security checks read. The engine trusts its input, and a
 * wrongly typed field (`privileged: "true"`) would otherwise be read as "not set" and pass.
 */
import { podFieldTypeErrors } from '../../admission/pod-fields.js';

export interface FieldTypeError {
  /** Path inside the validated value. */
  path: (string | number)[];
  /** `must be a boolean (true or false), not the string "true"` */
  message: string;
  hint: string;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the number ${v} (not an integer)`;
  return `${typeof v} ${String(v)}`;
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

function hintFor(types: string[], value: unknown): string {
  if (types.includes('boolean') && typeof value === 'string') return 'write true or false without quotes';
  if (types.includes('integer') && typeof value === 'string' && /^-?\d+$/.test(value)) return 'write the number without quotes';
  if (types.includes('array') && value !== null && typeof value === 'object') return 'write a list: one "- " item per entry';
  if (types.includes('object') && Array.isArray(value)) return 'write a mapping (key: value), not a list';
  if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) return 'quote the value to make it a string';
  return 'the API server would reject this object: fix the field\'s type';
}

/** Validates a pod or pod template (`{metadata, spec}`); returns at most `limit` errors. */
export function validatePodFields(value: unknown, limit = 10): FieldTypeError[] {
  return podFieldTypeErrors(value, limit).map((e) => ({
    path: e.path,
    message: `must be ${wanted(e.types)}, not ${describe(e.value)}`,
    hint: hintFor(e.types, e.value),
  }));
}
