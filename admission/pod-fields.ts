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

/** The schemas compiled at build time, with the definitions each module exports. */
const SCHEMAS = {
  'pod-fields': null,
  decode: 'roots',
} as const;
type SchemaName = keyof typeof SCHEMAS;

const compiled = new Map<SchemaName, Record<string, ValidateFunction>>();

function schemaText(name: SchemaName): string {
  // The same relative path works from the sources (tests) and from dist/.
  try {
    return readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8');
  } catch {
    return readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), 'utf8');
  }
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The build writes each schema compiled by ajv as a module next to this file (dist/ only). */
const precompiledFile = (name: SchemaName): string => fileURLToPath(new URL(`./${name}.validate.cjs`, import.meta.url));

/** Validators by export name: `default` for the schema's root, or one per entry of its `roots`. */
function compileWithAjv(name: SchemaName, text: string, standalone: boolean): { validators: Record<string, ValidateFunction>; source?: string } {
  const req = createRequire(import.meta.url);
  // Loaded on demand: a built podsec uses the precompiled modules and never loads ajv.
  const { Ajv } = req('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: standalone } });
  const schema = JSON.parse(text) as { $id: string; roots?: Record<string, string> };
  const validators: Record<string, ValidateFunction> = {};
  let refs: Record<string, string> | undefined;
  if (SCHEMAS[name] === 'roots') {
    ajv.addSchema(schema);
    refs = Object.fromEntries(Object.entries(schema.roots ?? {}).map(([k, r]) => [k, schema.$id + r]));
    for (const [k, r] of Object.entries(refs)) validators[k] = ajv.getSchema(r)!;
  } else {
    validators.default = ajv.compile(schema);
  }
  if (!standalone) return { validators };
  const standaloneCode = (req('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
  return { validators, source: refs ? standaloneCode(ajv, refs) : standaloneCode(ajv, validators.default) };
}

/** The compiled validators of a schema under schemas/. */
export function schemaValidators(name: SchemaName): Record<string, ValidateFunction> {
  let v = compiled.get(name);
  if (v) return v;
  const text = schemaText(name);
  const file = precompiledFile(name);
  if (existsSync(file)) {
    const mod = createRequire(import.meta.url)(file) as Record<string, unknown> & { schemaHash?: string };
    // An edited schema makes the module stale: compile the schema as it is now instead.
    if (mod.schemaHash === hashOf(text)) {
      v = Object.fromEntries(Object.entries(mod).filter(([, f]) => typeof f === 'function')) as Record<string, ValidateFunction>;
    }
  }
  v ??= compileWithAjv(name, text, false).validators;
  compiled.set(name, v);
  return v;
}

/** Writes the precompiled validator modules (run after a build). */
export function writePrecompiledValidators(): string[] {
  return (Object.keys(SCHEMAS) as SchemaName[]).map((name) => {
    const text = schemaText(name);
    const { source } = compileWithAjv(name, text, true);
    const file = precompiledFile(name);
    writeFileSync(file, `${source}\nmodule.exports.schemaHash = ${JSON.stringify(hashOf(text))};\n`);
    return file;
  });
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
  return typeErrors(schemaValidators('pod-fields').default!, value, limit);
}

/** The first fields whose JSON type does not fit a validator's schema, one per field, at most `limit`. */
export function typeErrors(validate: ValidateFunction, value: unknown, limit: number): PodFieldTypeError[] {
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
