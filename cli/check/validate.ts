/**
 * Type checks for the fields the Pod Security checks read. The engine trusts its input, and a
 * wrongly typed field (`privileged: "true"`) would otherwise be read as "not set" and pass.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { formatFieldPath } from '../../engine/index.js';

export interface FieldTypeError {
  /** Path inside the validated value. */
  path: (string | number)[];
  /** `must be a boolean (true or false), not the string "true"` */
  message: string;
  hint: string;
}

let compiled: ValidateFunction | undefined;

function schemaText(): string {
  // The same relative path works from the sources (tests) and from dist/.
  try {
    return readFileSync(new URL('../../../schemas/pod-fields.schema.json', import.meta.url), 'utf8');
  } catch {
    return readFileSync(new URL('../../schemas/pod-fields.schema.json', import.meta.url), 'utf8');
  }
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The build writes the schema compiled by ajv as a module next to this file (dist/ only). */
const PRECOMPILED = fileURLToPath(new URL('./pod-fields.validate.cjs', import.meta.url));

function compileWithAjv(text: string, standalone: boolean): { validate: ValidateFunction; source?: string } {
  const req = createRequire(import.meta.url);
  // Loaded on demand: a built podsec uses the precompiled module and never loads ajv.
  const { Ajv } = req('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: standalone } });
  const validate = ajv.compile(JSON.parse(text));
  if (!standalone) return { validate };
  const standaloneCode = (req('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
  return { validate, source: standaloneCode(ajv, validate) };
}

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const text = schemaText();
  if (existsSync(PRECOMPILED)) {
    const mod = createRequire(import.meta.url)(PRECOMPILED) as { schemaHash?: string; default?: ValidateFunction };
    // An edited schema makes the module stale: compile the schema as it is now instead.
    if (mod.schemaHash === hashOf(text) && typeof mod.default === 'function') return (compiled = mod.default);
  }
  return (compiled = compileWithAjv(text, false).validate);
}

/** Writes the precompiled validator module (run after a build). */
export function writePrecompiledValidator(): string {
  const text = schemaText();
  const { source } = compileWithAjv(text, true);
  writeFileSync(PRECOMPILED, `${source}\nmodule.exports.schemaHash = ${JSON.stringify(hashOf(text))};\n`);
  return PRECOMPILED;
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
