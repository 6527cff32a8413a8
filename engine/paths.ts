import { describeValue, PodsecArgumentError } from './errors.js';
/**
 * A parsed field path. Segments are property names, `*` (every array item or object value),
 * or templates containing `{name}` (the current subject's name), resolved per subject.
 */
export interface ParsedPath {
  text: string;
  segments: Segment[];
  hasWildcard: boolean;
}

export type Segment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'template'; parts: string[] }; // parts alternate literal / placeholder name

/** What a path may contain, for hints. */
const PATH_SYNTAX = `"$" followed by .key, ['quoted.key'] (or ["quoted.key"]), [N] (an index), [*] or .* (every item), where {name} in a key stands for the subject's name`;

export class PathSyntaxError extends Error {
  constructor(
    message: string,
    readonly hint = `write ${PATH_SYNTAX}, such as "$.securityContext.privileged"`,
  ) {
    super(message);
  }
}

export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const DOTTED_KEY = /^[A-Za-z0-9_\-{}]+/;

/**
 * Parses a JSONPath subset: `$`, `.name`, `['quoted name']`, `[N]`, `[*]`, `.*`. Strict: a path
 * that does not read back exactly (`$.a[`, `$.a[0:2]`, `$.a `) would name a key that never exists.
 */
export function parsePath(text: string): ParsedPath {
  if (typeof text !== 'string' || !text.startsWith('$')) {
    throw new PathSyntaxError('path must start with "$"');
  }
  if (text.includes('..')) throw new PathSyntaxError('recursive descent ("..") is not supported; spell the path out');
  if (/[?()@]/.test(text.replace(/\['[^']*'\]|\["[^"]*"\]/g, ''))) {
    throw new PathSyntaxError('filters and script expressions are not supported; use a condition instead');
  }
  const segments: Segment[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') {
      if (text[i + 1] === '*') {
        segments.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const key = DOTTED_KEY.exec(text.slice(i + 1))?.[0];
      if (key === undefined) {
        if (i + 1 === text.length) throw new PathSyntaxError('the path ends with "."', 'write a key after the ".", or remove it');
        throw unexpected(text, i + 1);
      }
      segments.push(/^[0-9]+$/.test(key) ? indexSegment(key) : keySegment(key));
      i += 1 + key.length;
    } else if (c === '[') {
      const quote = text[i + 1];
      if (quote === "'" || quote === '"') {
        const close = text.indexOf(quote, i + 2);
        if (close < 0) throw new PathSyntaxError(`unclosed quote in "${text.slice(i)}"`, `close the key with ${quote}]`);
        if (text[close + 1] !== ']') throw new PathSyntaxError(`expected "]" after the quoted key ${text.slice(i + 1, close + 1)}`, `write [${quote}key${quote}]; a key that holds ${quote} goes in the other quotes`);
        const key = text.slice(i + 2, close);
        if (key === '') throw new PathSyntaxError('empty key [' + quote + quote + ']', 'write the key between the quotes');
        segments.push(keySegment(key));
        i = close + 2;
        continue;
      }
      const close = text.indexOf(']', i);
      if (close < 0) throw new PathSyntaxError(`unclosed "[" in "${text.slice(i)}"`, 'close it: [N], [*] or [\'key\']');
      segments.push(bracketSegment(text.slice(i + 1, close)));
      i = close + 1;
    } else {
      throw unexpected(text, i);
    }
  }
  return { text, segments, hasWildcard: segments.some((s) => s.kind === 'wildcard') };
}

function unexpected(text: string, at: number): PathSyntaxError {
  const c = text[at]!;
  if (/\s/.test(c)) return new PathSyntaxError(`a space after "${text.slice(0, at)}"`, 'remove the space (a key with spaces goes in quotes: [\'a b\'])');
  return new PathSyntaxError(`unexpected "${c}" after "${text.slice(0, at)}"`, `a key with characters other than letters, digits, "_" and "-" goes in quotes (['a.b/c']); a path is ${PATH_SYNTAX}`);
}

function bracketSegment(inner: string): Segment {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^[0-9]+$/.test(inner)) return indexSegment(inner);
  if (/^\s*-?[0-9]*\s*:/.test(inner)) throw new PathSyntaxError(`slices ([${inner}]) are not supported`, 'walk every item with [*], or name one with [N]');
  if (/^-[0-9]+$/.test(inner)) throw new PathSyntaxError(`negative indexes ([${inner}]) are not supported`, 'count from the start ([0] is the first item), or walk every item with [*]');
  if (inner === '') throw new PathSyntaxError('empty brackets "[]"', "write [N], [*] or ['key']");
  if (/\s/.test(inner)) throw new PathSyntaxError(`a space in "[${inner}]"`, 'remove the space');
  throw new PathSyntaxError(`unquoted key in brackets "[${inner}]"`, `write ['${inner}'] or .${inner}`);
}

function indexSegment(digits: string): Segment {
  if (digits.length > 1 && digits.startsWith('0')) throw new PathSyntaxError(`index ${digits} has a leading zero`, `write [${Number(digits)}]`);
  return { kind: 'index', index: Number(digits) };
}

function keySegment(key: string): Segment {
  if (key.includes('{') || key.includes('}')) return { kind: 'template', parts: parseTemplateSegment(key) };
  if (PROTOTYPE_KEYS.has(key)) throw new PathSyntaxError(`"${key}" cannot be used as a field name`);
  return { kind: 'key', key };
}

const PLACEHOLDERS = new Set(['name']);

function parseTemplateSegment(part: string): string[] {
  const parts: string[] = [];
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(part); m; m = re.exec(part)) {
    const name = m[1] ?? '';
    if (!PLACEHOLDERS.has(name)) {
      throw new PathSyntaxError(`unknown placeholder "{${name}}" in path; the only placeholder is {name} (the subject's name)`);
    }
    parts.push(part.slice(last, m.index), name);
    last = m.index + m[0].length;
  }
  const tail = part.slice(last);
  if (tail.includes('{') || tail.includes('}')) throw new PathSyntaxError(`unbalanced "{" or "}" in path segment "${part}"`);
  parts.push(tail);
  return parts;
}

/** Values with their locations, as produced by walking a wildcard path. */
export interface Located {
  value: unknown;
  key: string | number | undefined;
  path: (string | number)[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function resolveTemplate(parts: string[], subjectName: string): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : subjectName;
  return out;
}

/** Reads a path without wildcards. Absent and null both read as undefined. */
export function compileGetter(path: ParsedPath): (root: unknown, subjectName: string) => unknown {
  const segs = path.segments;
  if (path.hasWildcard) throw new PathSyntaxError('a wildcard is not allowed here');
  const hasTemplate = segs.some((s) => s.kind === 'template');
  if (!hasTemplate) {
    const keys = segs.map((s) => (s.kind === 'key' ? s.key : (s as { index: number }).index));
    switch (keys.length) {
      case 0:
        return (root) => (root == null ? undefined : root);
      case 1: {
        const [a] = keys as [string | number];
        return (root) => readKey(root, a);
      }
      case 2: {
        const [a, b] = keys as [string | number, string | number];
        return (root) => readKey(readKey(root, a), b);
      }
      case 3: {
        const [a, b, c] = keys as [string | number, string | number, string | number];
        return (root) => readKey(readKey(readKey(root, a), b), c);
      }
      default:
        return (root) => {
          let v = root;
          for (let i = 0; i < keys.length && v !== undefined; i++) v = readKey(v, keys[i]!);
          return v;
        };
    }
  }
  return (root, subjectName) => {
    let v = root;
    for (const s of segs) {
      if (v === undefined) return undefined;
      if (s.kind === 'key') v = readKey(v, s.key);
      else if (s.kind === 'index') v = readKey(v, s.index);
      else if (s.kind === 'template') v = readOwn(v, resolveTemplate(s.parts, subjectName));
    }
    return v;
  };
}

/** Property read that treats null as absent and never reads through non-objects. */
export function readKey(v: unknown, k: string | number): unknown {
  if (typeof v !== 'object' || v === null) return undefined;
  const out = (v as Record<string | number, unknown>)[k];
  return out === null ? undefined : out;
}

/** Like readKey, for keys that come from data: only own properties count. */
export function readOwn(v: unknown, k: string): unknown {
  if (!isObject(v) || !Object.hasOwn(v, k)) return undefined;
  const out = v[k];
  return out === null ? undefined : out;
}

/**
 * Walks a path that may contain wildcards, calling `visit` for every value found (null and
 * absent values are skipped, unless `fallback` is given and the parent is an object, in which
 * case the fallback is visited: Go reads an absent scalar field as its zero value).
 * With a base path, `visit` gets the value's location as a stack that it must copy to keep.
 */
export function walk(
  root: unknown,
  path: ParsedPath,
  subjectName: string,
  basePath: (string | number)[] | undefined,
  visit: (value: unknown, key: string | number | undefined, path: (string | number)[] | undefined) => boolean | void,
  fallback?: unknown,
): boolean {
  const segs = path.segments;
  const at = basePath ? [...basePath] : undefined;
  const step = (v: unknown, i: number, key: string | number | undefined): boolean => {
    if (i === segs.length) return visit(v, key, at) === true;
    const s = segs[i]!;
    if (s.kind === 'wildcard') {
      if (Array.isArray(v)) {
        for (let j = 0; j < v.length; j++) {
          const item = v[j];
          if (item === null || item === undefined) continue;
          at?.push(j);
          const stop = step(item, i + 1, j);
          at?.pop();
          if (stop) return true;
        }
      } else if (isObject(v)) {
        for (const k of Object.keys(v)) {
          const item = v[k];
          if (item === null || item === undefined) continue;
          at?.push(k);
          const stop = step(item, i + 1, k);
          at?.pop();
          if (stop) return true;
        }
      }
      return false;
    }
    const k = s.kind === 'key' ? s.key : s.kind === 'index' ? s.index : resolveTemplate(s.parts, subjectName);
    const next = s.kind === 'template' ? readOwn(v, k as string) : readKey(v, k);
    at?.push(k);
    let stop = false;
    if (next !== undefined) stop = step(next, i + 1, k);
    else if (fallback !== undefined && i === segs.length - 1 && isObject(v) && !Array.isArray(v)) stop = visit(fallback, k, at) === true;
    at?.pop();
    return stop;
  };
  return step(root, 0, undefined);
}

/** Appends a path's static segments to a base path (for locating an absent field). */
export function extendPath(base: (string | number)[], path: ParsedPath, subjectName: string): (string | number)[] {
  const out = [...base];
  for (const s of path.segments) {
    if (s.kind === 'key') out.push(s.key);
    else if (s.kind === 'index') out.push(s.index);
    else if (s.kind === 'template') out.push(resolveTemplate(s.parts, subjectName));
    else break;
  }
  return out;
}

/** Formats a field path the way people write it: `spec.containers[0].securityContext`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  // Joined, not concatenated: a report keeps thousands of these, and `+=` leaves each a rope
  // of a dozen pieces (about 600 bytes instead of 100) for the garbage collector to copy.
  // Exported: a string ("spec.x") would be formatted letter by letter.
  if (!Array.isArray(path)) throw new PodsecArgumentError(`path must be an array of keys and indexes, such as ["spec", "containers", 0], not ${describeValue(path)}`);
  const parts: string[] = new Array(path.length);
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    if (typeof p === 'number') parts[i] = `[${p}]`;
    else if (typeof p !== 'string') throw new PodsecArgumentError(`path[${i}] must be a key (a string) or an index (a number), not ${describeValue(p)}`);
    else if (isIdentifier(p)) parts[i] = i > 0 ? `.${p}` : p;
    else parts[i] = `[${JSON.stringify(p)}]`;
  }
  return parts.join('');
}

/** /^[A-Za-z_][A-Za-z0-9_]*$/ without a regular expression: reports format thousands of paths. */
function isIdentifier(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if ((c >= 0x61 && c <= 0x7a) || s.charCodeAt(i) === 0x5f) continue;
    if (i > 0 && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) continue;
    return false;
  }
  return true;
}
