/** Go-compatible text helpers used by message templates. */
import { GO_PRINTABLE_GAPS_AND_LENGTHS } from './goprint.js';

/** Orders strings by their UTF-8 bytes, as Go's sort.Strings does. */
export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Code-point order equals UTF-8 byte order; UTF-16 order differs only for surrogates.
      return (a.codePointAt(i) ?? x) - (b.codePointAt(i) ?? y);
    }
  }
  return a.length - b.length;
}

export function sortUnique(values: readonly string[]): string[] {
  if (values.length < 2) return values as string[];
  if (values.length === 2) {
    const [a, b] = values as [string, string];
    const c = compareBytewise(a, b);
    return c === 0 ? [a] : c < 0 ? [a, b] : [b, a];
  }
  return [...new Set(values)].sort(compareBytewise);
}

/** `"a", "b"`: plain double quotes, no escaping (upstream's joinQuote). */
export function joinQuote(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += (i ? ', "' : '"') + items[i] + '"';
  return out;
}

// The printable ranges as [start, end] pairs, for a binary search.
const PRINTABLE_STARTS: number[] = [];
const PRINTABLE_ENDS: number[] = [];
for (let i = 0, next = 0; i < GO_PRINTABLE_GAPS_AND_LENGTHS.length; i += 2) {
  const start = next + GO_PRINTABLE_GAPS_AND_LENGTHS[i]!;
  next = start + GO_PRINTABLE_GAPS_AND_LENGTHS[i + 1]!;
  PRINTABLE_STARTS.push(start);
  PRINTABLE_ENDS.push(next - 1);
}

/** Whether Go's strconv.IsPrint holds for the code point (other than ASCII space, which it also allows). */
function isGoPrintable(cp: number): boolean {
  let lo = 0;
  let hi = PRINTABLE_STARTS.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < PRINTABLE_STARTS[mid]!) hi = mid - 1;
    else if (cp > PRINTABLE_ENDS[mid]!) lo = mid + 1;
    else return true;
  }
  return false;
}

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SHORT_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/**
 * Go's strconv.Quote (the `%q` verb) for a string. What is printable comes from Go's Unicode
 * tables, not the running Node's: a character Unicode assigned after Go's version is escaped.
 */
export function goQuote(text: string): string {
  // Printable ASCII but the quote and the backslash, as almost every name is: written as it is.
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x80) out += SHORT_ESCAPES[cp] ?? '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (isGoPrintable(cp)) out += ch;
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** Text for a recorded value, as Go would print it with %s / strconv.Itoa. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    // A cycle, or a toJSON that throws: no JSON, but still a message.
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}
