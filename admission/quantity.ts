/**
 * Whether a string decodes as a Kubernetes resource quantity (`500m`, `1.5`, `128Mi`, `1e3`), with
 * the decoder's own error when it does not. Follows apimachinery's ParseQuantity: its scanner is
 * looser than the pattern in its error message (`Gi` alone and `1.G` are quantities), a
 * well-formed number with an unknown suffix (`1K`, `100mi`) fails differently, and a number
 * without digits passes only where its fast path handles it (`Gi` does, `Pi` and `e-10` do not).
 */

import { SUFFIXES as QUANTITY_SUFFIXES } from '../engine/quantity.js';

export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;
const SUFFIX_WRONG = "unable to parse quantity's suffix";
const NUMERIC_WRONG = 'unable to parse numeric part of quantity';

/** Suffix -> [base, exponent], from the engine's table of them. */
const SUFFIXES = new Map<string, [number, number]>([
  ['', [10, 0]],
  ...Object.entries(QUANTITY_SUFFIXES).map(([suffix, scale]): [string, [number, number]] => [suffix, scale![1] ? [2, scale![1]] : [10, scale![0]]]),
]);
const SUFFIX_CHARS = 'eEinumkKMGTP';
const INT64_MAX = 9223372036854775807n;
// What Go's strings.TrimSpace removes from the quantity's JSON text: Unicode white space that
// JSON leaves unescaped (tab, newline, U+2028 and the like arrive as escapes, and stay).
const GO_SPACE = /^[ \u0085\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+|[ \u0085\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+$/g;
// Go's maxInt64Factors: decimal digits an int64 always holds.
const MAX_INT64_FACTORS = 18;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** strconv.ParseInt(s, 10, 64), or undefined when it fails. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  // Leading zeros are allowed; past 19 significant digits no int64 fits (and BigInt stays small).
  if (s.replace(/^[+-]?0*/, '').length > 19) return undefined;
  const n = BigInt(s);
  return n <= INT64_MAX && n >= -INT64_MAX - 1n ? n : undefined;
}

/** The suffix's base and exponent (exponents as Go's int32), or undefined. */
function interpret(suffix: string): [number, number] | undefined {
  const known = SUFFIXES.get(suffix);
  if (known) return known;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const n = parseInt64(suffix.slice(1));
    if (n !== undefined) return [10, Number(BigInt.asIntN(32, n))];
  }
  return undefined;
}

// Requests and limits repeat across a manifest's objects (100m, 128Mi): each text is decoded
// once ("" for a valid one). Bounded: emptied when full, so that thousands of distinct texts
// cost no more than before.
const KNOWN = new Map<string, string>();
const KNOWN_MAX = 512;

/** undefined when `text` is a quantity the API server accepts; otherwise the decoder's error. */
export function quantityProblem(text: string): string | undefined {
  let problem = KNOWN.get(text);
  if (problem === undefined) {
    problem = decode(text) ?? '';
    if (KNOWN.size >= KNOWN_MAX) KNOWN.clear();
    KNOWN.set(text, problem);
  }
  return problem === '' ? undefined : problem;
}

function decode(text: string): string | undefined {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const s = first > 32 && first < 127 && last > 32 && last < 127 ? text : text.replace(GO_SPACE, '');
  if (s.length === 0) return FORMAT_WRONG;
  if (s === '0') return undefined;
  const end = s.length;
  let pos = s[0] === '-' || s[0] === '+' ? 1 : 0;
  while (pos < end && s[pos] === '0') pos++;
  // Only zeros (or a sign): zero, without looking further.
  if (pos >= end) return undefined;
  const numStart = pos;
  while (pos < end && isDigit(s[pos])) pos++;
  const numLength = Math.max(1, pos - numStart);
  let denomLength = 0;
  if (pos < end && s[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && isDigit(s[pos])) pos++;
    denomLength = pos - denomStart;
  }
  const valueEnd = pos;
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(s[pos]!)) pos++;
  if (pos < end && (s[pos] === '-' || s[pos] === '+')) pos++;
  while (pos < end && isDigit(s[pos])) pos++;
  if (pos < end) return FORMAT_WRONG;
  const interpreted = interpret(s.slice(suffixStart));
  if (!interpreted) return SUFFIX_WRONG;
  // ParseQuantity's fast path takes what fits an int64 at nano scale; the rest goes through a
  // decimal parser that needs at least one digit.
  const [base, exponent] = interpreted;
  let precision: number;
  let scale: number;
  if (base === 10) {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (numLength + denomLength);
  } else {
    scale = 0;
    precision = exponent >= 0 && denomLength === 0 ? 15 - numLength - Math.trunc((exponent * 3) / 10) - 1 : -1;
  }
  const fastPath = precision >= 0 && scale - denomLength >= -9;
  if (!fastPath && !/[0-9]/.test(s.slice(0, valueEnd))) return NUMERIC_WRONG;
  return undefined;
}
