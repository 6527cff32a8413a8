// JSON values (one document or a stream of concatenated values), parsed without recursion and
// with key/item offsets, duplicate-key detection and the same nesting limit as YAML documents.

import { DocError, apartFromInt64 } from './resolve.js';
import { MAX_DEPTH, hasOwn, setKey, type PosRecord } from './positions.js';

export interface JsonResult {
  value: unknown;
  root: number;
  end: number;
}

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const SYNTAX_HINT = 'fix the JSON syntax at this position (a missing comma, quote or bracket?)';

export function skipJsonSpace(src: string, p: number): number {
  for (;;) {
    const c = src.charCodeAt(p);
    if (c === 32 || c === 10 || c === 9 || c === 13) p++;
    else return p;
  }
}

function describe(src: string, p: number): string {
  if (p >= src.length) return 'unexpected end of JSON input';
  const ch = src.codePointAt(p)!;
  const shown = ch < 32 || ch === 127 ? `\\u${ch.toString(16).padStart(4, '0')}` : String.fromCodePoint(ch);
  return `invalid character '${shown}'`;
}

function parseString(src: string, p: number): [string, number] {
  let q = p + 1;
  let seg = q;
  let out = '';
  for (;;) {
    if (q >= src.length) throw new DocError('unexpected end of JSON input inside a string', 'close the string with "', p);
    const c = src.charCodeAt(q);
    if (c === 34) return [out + src.slice(seg, q), q + 1];
    if (c < 32) throw new DocError(`${describe(src, q)} in string literal`, 'escape control characters in strings (\\n, \\t, \\u0000)', q);
    if (c === 92) {
      out += src.slice(seg, q);
      const e = src.charCodeAt(q + 1);
      let adv = 2;
      switch (e) {
        case 34: out += '"'; break;
        case 92: out += '\\'; break;
        case 47: out += '/'; break;
        case 98: out += '\b'; break;
        case 102: out += '\f'; break;
        case 110: out += '\n'; break;
        case 114: out += '\r'; break;
        case 116: out += '\t'; break;
        case 117: {
          const hex = src.slice(q + 2, q + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            throw new DocError('invalid \\u escape in string literal', 'write \\u followed by four hex digits', q);
          }
          let cu = parseInt(hex, 16);
          adv = 6;
          if (cu >= 0xd800 && cu <= 0xdbff) {
            const lo = /^\\u[dD][c-fC-F][0-9a-fA-F]{2}$/.test(src.slice(q + 6, q + 12)) ? parseInt(src.slice(q + 8, q + 12), 16) : -1;
            if (lo >= 0) {
              out += String.fromCharCode(cu, lo);
              adv = 12;
              break;
            }
            cu = 0xfffd;
          } else if (cu >= 0xdc00 && cu <= 0xdfff) {
            cu = 0xfffd;
          }
          out += String.fromCharCode(cu);
          break;
        }
        default:
          throw new DocError(`invalid escape ${src.slice(q, q + 2)} in string literal`, 'valid JSON escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX', q);
      }
      q += adv;
      seg = q;
      continue;
    }
    q++;
  }
}

/**
 * Parses the JSON value starting at p (after white space). Throws DocError. With `onDuplicate`,
 * a key given twice keeps its last value (as Go's JSON decoder) and is reported there. With
 * `rec`, offsets are recorded in collections nested at most `recordDepth` deep (the value is 1).
 * Collections nested deeper than `maxDepth` are refused.
 */
export function parseJsonValue(src: string, p: number, rec: PosRecord | null, onDuplicate?: (key: string, offset: number) => void, recordDepth = MAX_DEPTH, maxDepth = MAX_DEPTH): JsonResult {
  const stack: any[] = [];
  const stores: any[] = [];
  const keys: string[] = [];
  let result: unknown;
  const root = p;

  const attach = (v: unknown): void => {
    const d = stack.length;
    if (d === 0) { result = v; return; }
    const top = stack[d - 1];
    if (Array.isArray(top)) top.push(v);
    else setKey(top, keys[d - 1], v);
  };
  const readKey = (): void => {
    if (src.charCodeAt(p) !== 34) {
      throw new DocError(`${describe(src, p)} looking for beginning of object key string`, SYNTAX_HINT, p);
    }
    const keyOff = p;
    const [key, e] = parseString(src, p);
    const d = stack.length - 1;
    if (hasOwn.call(stack[d], key)) {
      if (!onDuplicate) throw new DocError(`key "${key}" already set in map`, 'remove one of the two entries (Go\'s JSON decoder keeps the last)', keyOff);
      onDuplicate(key, keyOff);
    }
    keys[d] = key;
    if (rec !== null) stores[d]?.set(key, keyOff);
    p = skipJsonSpace(src, e);
    if (src.charCodeAt(p) !== 58) throw new DocError(`${describe(src, p)} after object key`, SYNTAX_HINT, p);
    p = skipJsonSpace(src, p + 1);
  };

  for (;;) {
    // A value starts at p.
    const c = src.charCodeAt(p);
    if (c === 123 || c === 91) {
      if (stack.length >= maxDepth) {
        throw new DocError(`document nests collections more than ${maxDepth} levels deep`,
          'no Kubernetes object is nested this deeply; check the input', p);
      }
      const coll: any = c === 123 ? {} : [];
      attach(coll);
      stack.push(coll);
      if (rec !== null) {
        let store: Map<string, number> | number[] | undefined;
        if (stack.length <= recordDepth) {
          store = c === 123 ? new Map<string, number>() : [];
          rec.set(coll, store);
        }
        stores[stack.length - 1] = store;
      }
      p = skipJsonSpace(src, p + 1);
      const close = c === 123 ? 125 : 93;
      if (src.charCodeAt(p) !== close) {
        if (c === 123) readKey();
        else if (rec !== null) stores[stack.length - 1]?.push(p);
        continue;
      }
      p++;
      stack.pop();
    } else if (c === 34) {
      const [s, e] = parseString(src, p);
      attach(s);
      p = e;
    } else if (c === 116 && src.startsWith('true', p)) {
      attach(true); p += 4;
    } else if (c === 102 && src.startsWith('false', p)) {
      attach(false); p += 5;
    } else if (c === 110 && src.startsWith('null', p)) {
      attach(null); p += 4;
    } else {
      NUMBER_RE.lastIndex = p;
      const m = (c === 45 || (c >= 48 && c <= 57)) ? NUMBER_RE.exec(src) : null;
      if (m === null) throw new DocError(`${describe(src, p)} looking for beginning of value`, SYNTAX_HINT, p);
      let n = Number(m[0]);
      // kubectl sends a literal that is not an int64 on as a float64.
      if (n === 2 ** 63 || n === -(2 ** 63)) n = apartFromInt64(n, /[.eE]/.test(m[0]) ? undefined : BigInt(m[0]));
      if (!Number.isFinite(n)) {
        throw new DocError(`number ${m[0]} is out of range`, 'use a smaller number, or quote it', p);
      }
      attach(n);
      p += m[0].length;
    }
    // After a value: close containers or move to the next item.
    for (;;) {
      if (stack.length === 0) return { value: result, root, end: p };
      p = skipJsonSpace(src, p);
      const top = stack[stack.length - 1];
      const isArr = Array.isArray(top);
      const ch = src.charCodeAt(p);
      if (ch === 44) {
        p = skipJsonSpace(src, p + 1);
        if (isArr) {
          if (rec !== null) stores[stack.length - 1]?.push(p);
        } else {
          readKey();
        }
        break;
      }
      if (ch === (isArr ? 93 : 125)) {
        p++;
        stack.pop();
        continue;
      }
      throw new DocError(`${describe(src, p)} after ${isArr ? 'array element' : 'object key:value pair'}`, SYNTAX_HINT, p);
    }
  }
}

/** Where the value of a map entry starts, from the offset of its key (the entry's recorded offset). */
export function entryValueStart(src: string, keyOffset: number): number {
  const [, afterKey] = parseString(src, keyOffset);
  return skipJsonSpace(src, skipJsonSpace(src, afterKey) + 1);
}
