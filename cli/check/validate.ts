/**
 * Type checks for the fields the Pod Security checks read. The engine trusts its input, and a
 * wrongly typed field (`privileged: "true"`) would otherwise be read as "not set" and pass.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { formatFieldPath } from '../../engine/index.js';

export interface FieldTypeError {
  /** Path inside the validated value. */
  path: (string | number)[];
  /** `must be a boolean (true or false), not the string "true"` */
  message: string;
  hint: string;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const url = new URL('../../../schemas/pod-fields.schema.json', import.meta.url);
  // The same relative path works from the sources (tests) and from dist/.
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch {
    text = readFileSync(new URL('../../schemas/pod-fields.schema.json', import.meta.url), 'utf8');
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  compiled = ajv.compile(JSON.parse(text));
  return compiled;
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

function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(key);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(key);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

/** Validates a pod or pod template (`{metadata, spec}`); returns at most `limit` errors. */
export function validatePodFields(value: unknown, limit = 10): FieldTypeError[] {
  const validate = validator();
  if (validate(value)) return [];
  const out: FieldTypeError[] = [];
  const seen = new Set<string>();
  for (const e of (validate.errors ?? []) as ErrorObject[]) {
    if (out.length >= limit) break;
    if (e.keyword !== 'type') continue;
    const path = pointerToPath(e.instancePath, value);
    const key = formatFieldPath(path);
    if (seen.has(key)) continue;
    seen.add(key);
    const types = (Array.isArray(e.params.type) ? e.params.type : String(e.params.type).split(',')) as string[];
    let data: unknown = value;
    for (const seg of path) data = (data as Record<string | number, unknown>)[seg];
    out.push({
      path,
      message: `must be ${wanted(types)}, not ${describe(data)}`,
      hint: hintFor(types, data),
    });
  }
  return out;
}
