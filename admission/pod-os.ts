/**
 * What the API server's validation refuses in a pod spec by its `os.name` (a Windows pod setting
 * Linux-only fields, a Linux pod setting windowsOptions, an unknown OS), from the table in
 * pod-os-fields.json. `podsec check` reports these instead of judging the object; admission never
 * sees such an object, so the webhook needs none of this.
 */
import { readFileSync } from 'node:fs';
import { goQuote } from './gostrings.js';
import { CONTAINER_LISTS } from './extract.js';

type When = 'set' | 'true' | 'nonEmpty';

interface FieldRule {
  path: string[];
  when?: When;
}

interface OsRules {
  detail: string;
  hint: string;
  pod: FieldRule[];
  container: FieldRule[];
}

export interface PodOsError {
  /** Path from the pod spec. */
  path: (string | number)[];
  /** The error as the API server words it after the path (field.Error's body). */
  body: string;
  /** What to do about it. */
  hint: string;
}

// Next to this module in the sources and in dist/ (tsconfig includes admission/*.json).
const TABLE = JSON.parse(readFileSync(new URL('./pod-os-fields.json', import.meta.url), 'utf8')) as { systems: Record<string, OsRules> };

/** The supported os.name values, sorted as upstream lists them. */
export const POD_OS_NAMES: readonly string[] = Object.keys(TABLE.systems).sort();

const NONE: readonly PodOsError[] = Object.freeze([]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function holds(node: unknown, rule: FieldRule): boolean {
  for (const key of rule.path) {
    if (!isObject(node)) return false;
    node = node[key];
  }
  switch (rule.when ?? 'set') {
    case 'true':
      return node === true;
    case 'nonEmpty':
      return Array.isArray(node) && node.length > 0;
    default:
      return node !== undefined && node !== null;
  }
}

/**
 * The errors validation gives a decoded pod spec for its OS, in upstream's order: none without
 * `os`; only the OS name's error when it is empty or unknown.
 */
export function podOsErrors(spec: Record<string, unknown>): readonly PodOsError[] {
  const os = spec.os;
  // Most pods: one shared empty list, as every pod and template is checked.
  if (!isObject(os)) return NONE;
  const name = typeof os.name === 'string' ? os.name : '';
  if (name === '') return [{ path: ['os', 'name'], body: 'Required value: cannot be empty', hint: `set os.name to ${POD_OS_NAMES.join(' or ')}, or remove os` }];
  const rules = Object.hasOwn(TABLE.systems, name) ? TABLE.systems[name]! : undefined;
  if (!rules) {
    return [{
      path: ['os'],
      body: `Unsupported value: ${goQuote(name)}: supported values: ${POD_OS_NAMES.map(goQuote).join(', ')}`,
      hint: POD_OS_NAMES.includes(name.toLowerCase()) ? `write os.name in lower case (${name.toLowerCase()})` : `set os.name to ${POD_OS_NAMES.join(' or ')}, or remove os`,
    }];
  }
  const errors: PodOsError[] = [];
  const forbid = (path: (string | number)[], rule: FieldRule): void => {
    errors.push({ path: [...path, ...rule.path], body: `Forbidden: ${rules.detail}`, hint: rules.hint.replace('{field}', rule.path.join('.')) });
  };
  for (const rule of rules.pod) if (holds(spec, rule)) forbid([], rule);
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      for (const rule of rules.container) if (holds(items[i], rule)) forbid([list, i], rule);
    }
  }
  return errors;
}
