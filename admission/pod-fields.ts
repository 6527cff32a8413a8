/**
 * The types of the pod fields the Pod Security checks read, from schemas/pod-fields.schema.json:
 * one source for `podsec check` (which reports a wrongly typed field instead of judging the
 * object) and for the webhook (whose objects must decode as their resource, as upstream's do).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';

export interface PodFieldTypeError {
  /** Path inside the validated pod or template. */
  path: (string | number)[];
  /** The JSON types the field may have, without null (which always fits: it is the zero value). */
  types: string[];
  /** The value found there. */
  value: unknown;
}

let compiled: ValidateFunction | undefined;

function schemaText(): string {
  // The same relative path works from the sources (tests) and from dist/.
  try {
    return readFileSync(new URL('../../schemas/pod-fields.schema.json', import.meta.url), 'utf8');
  } catch {
    return readFileSync(new URL('../schemas/pod-fields.schema.json', import.meta.url), 'utf8');
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

/**
 * The fields of a pod or pod template (`{metadata, spec}`) whose type does not fit, in the
 * schema's order, one per field, at most `limit`; [] when all fit.
 */
export function podFieldTypeErrors(value: unknown, limit = 10): PodFieldTypeError[] {
  const validate = validator();
  if (validate(value)) return [];
  const out: PodFieldTypeError[] = [];
  const seen = new Set<string>();
  for (const e of (validate.errors ?? []) as ErrorObject[]) {
    if (out.length >= limit) break;
    if (e.keyword !== 'type' || seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    const path = pointerToPath(e.instancePath, value);
    let found: unknown = value;
    for (const seg of path) found = (found as Record<string | number, unknown>)[seg];
    const types = (Array.isArray(e.params.type) ? e.params.type : String(e.params.type).split(',')) as string[];
    out.push({ path, types: types.filter((t) => t !== 'null'), value: found });
  }
  return out;
}
