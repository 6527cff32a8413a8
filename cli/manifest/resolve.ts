// Scalar resolution as gopkg.in/yaml.v2 (the copy vendored by sigs.k8s.io/yaml) does it,
// followed by the conversion sigs.k8s.io/yaml applies before producing JSON.

export const TAG_PREFIX = 'tag:yaml.org,2002:';
export const STR_TAG = TAG_PREFIX + 'str';
export const INT_TAG = TAG_PREFIX + 'int';
export const FLOAT_TAG = TAG_PREFIX + 'float';
export const BOOL_TAG = TAG_PREFIX + 'bool';
export const NULL_TAG = TAG_PREFIX + 'null';
export const TIMESTAMP_TAG = TAG_PREFIX + 'timestamp';
export const BINARY_TAG = TAG_PREFIX + 'binary';
export const MERGE_TAG = TAG_PREFIX + 'merge';

/** Problem found in one document; `offset` is an index into the whole input text. */
export class DocError extends Error {
  /**
   * Set where only the conversion to JSON fails (infinity, NaN, a null key): go-yaml has read the
   * value, so a later entry that replaces it (a key given twice, a merge overridden) saves the
   * document.
   */
  replaceable = false;
  /** Set where the input is no text (binary data, compressed): `{{` in it is no template. */
  notText = false;

  constructor(message: string, public hint: string, public offset: number) {
    super(message);
  }
}

function replaceable(e: DocError): DocError {
  e.replaceable = true;
  return e;
}

export const K_STR = 0;
export const K_NULL = 1;
export const K_BOOL = 2;
export const K_INT = 3;
export const K_FLOAT = 4;
export const K_MERGE = 5;

export interface Resolved {
  k: number;
  v: unknown;
  /** For K_INT: exact value when it is not a safe JS integer. */
  big?: bigint;
  /** For K_INT: Go would hold it as uint64 (beyond int64). */
  wide?: boolean;
}

// First-character hints, as in go-yaml's resolveTable.
const H_NONE = 0;
const H_SIGN = 1;
const H_DIGIT = 2;
const H_MAP = 3;
const H_DOT = 4;
const HINT = new Uint8Array(128);
HINT[43] = H_SIGN;
HINT[45] = H_SIGN;
for (let c = 48; c <= 57; c++) HINT[c] = H_DIGIT;
for (const ch of 'yYnNtTfFoO~') HINT[ch.charCodeAt(0)] = H_MAP;
HINT[46] = H_DOT;

/** True when a plain scalar starting with this character code can only be a string. */
export function alwaysString(code: number): boolean {
  return code >= 128 || HINT[code] === H_NONE;
}

const RESOLVE_MAP = new Map<string, Resolved>();
function addAll(k: number, v: unknown, words: string[]) {
  for (const w of words) RESOLVE_MAP.set(w, { k, v });
}
addAll(K_BOOL, true, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
addAll(K_BOOL, false, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
addAll(K_NULL, null, ['', '~', 'null', 'Null', 'NULL']);
addAll(K_FLOAT, NaN, ['.nan', '.NaN', '.NAN']);
addAll(K_FLOAT, Infinity, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
addAll(K_FLOAT, -Infinity, ['-.inf', '-.Inf', '-.INF']);
RESOLVE_MAP.set('<<', { k: K_MERGE, v: '<<' });

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const U64_MAX = (1n << 64n) - 1n;
const I64_LIMIT = 1n << 63n;

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 122) return l - 87;
  return 99;
}

const RANGE = 'range';
type ParsedInt = bigint | null | typeof RANGE;

/** strconv.ParseUint(s, 0, 64) on a string without underscores. */
function parseUintBase0(s: string): ParsedInt {
  if (s === '') return null;
  let base = 10;
  let i = 0;
  if (s.charCodeAt(0) === 48) {
    const c1 = s.length >= 3 ? s.charCodeAt(1) | 0x20 : 0;
    if (c1 === 98) { base = 2; i = 2; }
    else if (c1 === 111) { base = 8; i = 2; }
    else if (c1 === 120) { base = 16; i = 2; }
    else { base = 8; i = 1; }
  }
  for (let j = i; j < s.length; j++) {
    if (digitValue(s.charCodeAt(j)) >= base) return null;
  }
  if (i === s.length) return 0n;
  const digits = s.slice(i);
  let v: bigint;
  if (base === 10 && digits.length <= 15) v = BigInt(Number(digits));
  else v = BigInt((base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '') + digits);
  return v > U64_MAX ? RANGE : v;
}

/** strconv.ParseInt(s, 0, 64) on a string without underscores. */
function parseIntBase0(s: string): ParsedInt {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  const neg = c === 45;
  const u = parseUintBase0(c === 43 || c === 45 ? s.slice(1) : s);
  if (typeof u !== 'bigint') return u;
  if (!neg && u >= I64_LIMIT) return RANGE;
  if (neg && u > I64_LIMIT) return RANGE;
  return neg ? -u : u;
}

/** Go's rule for where underscores may appear in a number literal. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const ch = s[i];
    if ((ch >= '0' && ch <= '9') || (hex && /[a-fA-F]/.test(ch))) { saw = '0'; continue; }
    if (ch === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

function intResult(v: bigint, wide: boolean): Resolved {
  const n = Number(v);
  if (Number.isSafeInteger(n)) return { k: K_INT, v: n, wide };
  return { k: K_INT, v: apartFromInt64(n, v), big: v, wide };
}

const TWO_63 = 2 ** 63;
/** The double next to 2^63, away from zero: what a literal just past int64 is held as. */
const PAST_INT64 = TWO_63 + 2048;

/**
 * 2^63 is the nearest double both to int64's largest values and to the numbers just past them
 * (up to 2^63 + 1024); likewise -2^63 at the other end. Only an integer literal within int64
 * keeps it; the others (`exact` undefined for a float: Go sends it on as a float64, which no
 * int64 field takes) get the next double away from zero, so that an int64 field refuses them as
 * the API server's decoder does.
 */
export function apartFromInt64(n: number, exact?: bigint): number {
  if (n === TWO_63 && (exact === undefined || exact >= I64_LIMIT)) return PAST_INT64;
  if (n === -TWO_63 && (exact === undefined || exact < -I64_LIMIT)) return -PAST_INT64;
  return n;
}

/**
 * A number as the API server's decoder quotes it: kubectl sends a number past int64 on as a
 * float64, which Go prints as JavaScript does; the stand-in of apartFromInt64 is shown as the
 * float64 it stands for.
 */
export function numberAsSent(n: number): string {
  return String(n === PAST_INT64 ? TWO_63 : n === -PAST_INT64 ? -TWO_63 : n);
}

const TIMESTAMP_RE =
  /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?))?$/;

/**
 * go-yaml v2 `resolve(tag, in)`: `tag` is '' for an untagged plain scalar, otherwise the full tag.
 * Returns the resolved kind; throws (as go-yaml fails) when an explicit tag does not fit.
 */
export function resolve(tag: string, s: string, offset: number): Resolved {
  if (tag !== '' && tag !== STR_TAG && tag !== BOOL_TAG && tag !== INT_TAG && tag !== FLOAT_TAG &&
      tag !== NULL_TAG && tag !== TIMESTAMP_TAG) {
    if (tag === BINARY_TAG) return { k: K_STR, v: decodeBinary(s, offset) };
    if (tag === MERGE_TAG) return { k: K_MERGE, v: s };
    return { k: K_STR, v: s };
  }
  const r = resolveUntyped(tag, s);
  if (tag === '' || tag === STR_TAG) return r;
  const want = tag === INT_TAG ? K_INT : tag === FLOAT_TAG ? K_FLOAT : tag === BOOL_TAG ? K_BOOL :
    tag === NULL_TAG ? K_NULL : -1;
  if (tag === TIMESTAMP_TAG) {
    if (r.k === K_STR && TIMESTAMP_RE.test(s)) return r;
  } else if (r.k === want) {
    return r;
  } else if (want === K_FLOAT && r.k === K_INT && !r.wide) {
    return { k: K_FLOAT, v: apartFromInt64(r.v as number) };
  }
  const got = r.k === K_INT ? '!!int' : r.k === K_FLOAT ? '!!float' : r.k === K_BOOL ? '!!bool' :
    r.k === K_NULL ? '!!null' : '!!str';
  throw new DocError(`cannot decode ${got} \`${s}\` as a !!${tag.slice(TAG_PREFIX.length)}`,
    'remove the tag or change the value so it fits the tag', offset);
}

function resolveUntyped(tag: string, s: string): Resolved {
  const hint = s.length === 0 ? H_MAP : (s.charCodeAt(0) < 128 ? HINT[s.charCodeAt(0)] : H_NONE);
  if (hint === H_NONE || tag === STR_TAG) return { k: K_STR, v: s };
  const m = RESOLVE_MAP.get(s);
  if (m !== undefined) return m;
  if (hint === H_DOT) {
    let t = s;
    if (t.includes('_')) {
      if (!underscoreOK(t)) return { k: K_STR, v: s };
      t = t.replace(/_/g, '');
    }
    if (DOT_FLOAT.test(t)) {
      const f = Number(t);
      if (Number.isFinite(f)) return { k: K_FLOAT, v: apartFromInt64(f) };
    }
    return { k: K_STR, v: s };
  }
  if (hint === H_DIGIT || hint === H_SIGN) {
    // Timestamps (YYYY-MM-DD...) stay strings when go-yaml decodes into interface{}; they never
    // parse as numbers below, so they need no check here.
    const plain = s.includes('_') ? s.replace(/_/g, '') : s;
    const i = parseIntBase0(plain);
    if (typeof i === 'bigint') return intResult(i, false);
    const c0 = plain.charCodeAt(0);
    const u = c0 === 43 || c0 === 45 ? null : parseUintBase0(plain);
    if (typeof u === 'bigint') return intResult(u, true);
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { k: K_FLOAT, v: apartFromInt64(f) };
    }
    // Beyond 64 bits only what also reads as a float is a number: 0x10000000000000000 stays text.
  }
  return { k: K_STR, v: s };
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBinary(s: string, offset: number): string {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !BASE64_RE.test(clean)) {
    throw new DocError('!!binary value contains invalid base64 data',
      'fix the base64 text, or drop the !!binary tag and give the value as a plain base64 string', offset);
  }
  return goString(Buffer.from(clean, 'base64'));
}

// Keeps a leading U+FEFF: these bytes are a string's, not a file's.
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Bytes as Go's JSON encoder writes them out of a string: where no valid UTF-8 sequence starts,
 * each byte is one U+FFFD (TextDecoder would make one of a sequence cut short).
 */
function goString(b: Uint8Array): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < b.length;) {
    const x = b[i];
    let n = x < 0x80 ? 1 : x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
    const lo = x === 0xe0 ? 0xa0 : x === 0xf0 ? 0x90 : 0x80;
    const hi = x === 0xed ? 0x9f : x === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < n; k++) {
      const y = b[i + k];
      if (y === undefined || y < (k === 1 ? lo : 0x80) || y > (k === 1 ? hi : 0xbf)) n = 0;
    }
    if (n > 0) {
      i += n;
      continue;
    }
    out += UTF8.decode(b.subarray(run, i)) + '\ufffd';
    run = ++i;
  }
  return out + UTF8.decode(b.subarray(run));
}

/** The JSON value of a resolved scalar used as a map value (Kubernetes rejects what JSON cannot hold). */
export function jsonValue(r: Resolved, source: string, offset: number): unknown {
  if (r.k === K_FLOAT) {
    const f = r.v as number;
    if (!Number.isFinite(f)) {
      throw replaceable(new DocError(`value ${source} is ${Number.isNaN(f) ? 'NaN' : 'infinity'}, which JSON (and so Kubernetes) cannot represent`,
        `quote it ("${source}") if you meant the text`, offset));
    }
  }
  return r.v;
}

/** The JSON object key sigs.k8s.io/yaml makes out of a resolved scalar key. */
export function jsonKey(r: Resolved, source: string, offset: number): string {
  switch (r.k) {
    case K_STR:
    case K_MERGE:
      return r.v as string;
    case K_BOOL:
      return r.v ? 'true' : 'false';
    case K_INT:
      if (r.wide) {
        throw replaceable(new DocError(`unsupported map key ${source}: integer does not fit in int64`,
          `quote the key ("${source}")`, offset));
      }
      return r.big !== undefined ? r.big.toString() : String(r.v);
    case K_FLOAT:
      return formatFloat32g(r.v as number);
    default:
      throw replaceable(new DocError(`unsupported map key of type null (${source === '' ? 'empty key' : source})`,
        `quote the key ("${source}") or remove the entry`, offset));
  }
}

/** strconv.FormatFloat(f, 'g', -1, 32), with go-yaml's spellings of infinities and NaN. */
export function formatFloat32g(f: number): string {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let mant = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const e = Math.abs(x).toExponential(p - 1);
    if (Math.fround(Number(e)) === Math.abs(x) || p === 9) {
      const [m, ex] = e.split('e');
      mant = m.replace('.', '');
      exp = Number(ex);
      break;
    }
  }
  mant = mant.replace(/0+$/, '') || '0';
  const neg = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = mant.length > 1 ? '.' + mant.slice(1) : '';
    const es = Math.abs(exp) < 10 ? '0' + Math.abs(exp) : String(Math.abs(exp));
    return `${neg}${mant[0]}${frac}e${exp < 0 ? '-' : '+'}${es}`;
  }
  const dp = exp + 1;
  if (dp <= 0) return `${neg}0.${'0'.repeat(-dp)}${mant}`;
  if (dp >= mant.length) return neg + mant + '0'.repeat(dp - mant.length);
  return `${neg}${mant.slice(0, dp)}.${mant.slice(dp)}`;
}
