/** Go formatting helpers, so texts match upstream byte for byte. */

import { goQuote } from '../engine/text.js';

// One strconv.Quote for the whole project, with Go's Unicode tables.
export { goQuote };

/** Go's strings.TrimSpace would change it: unicode.IsSpace counts U+0085 and not U+FEFF, unlike JavaScript's \s. */
export const GO_SPACE_AT_ENDS = /^(?:[^\S\uFEFF]|\u0085)|(?:[^\S\uFEFF]|\u0085)$/;

/** Byte-wise (UTF-8) string order, as Go's sort.Strings. */
export function goCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

/**
 * A value as Go's encoding/json writes it: as JSON.stringify does, with <, >, &, U+2028 and U+2029
 * escaped. An object's keys stay in their order (a struct's fields); see goJsonMap for a map's.
 */
export function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A map[string]string as Go's encoding/json writes it: keys in byte order; null for a nil map. */
export function goJsonMap(m: unknown): string {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'null';
  const entries = Object.keys(m).sort(goCompare).map((k) => `${goJson(k)}:${goJson(String((m as Record<string, unknown>)[k] ?? ''))}`);
  return `{${entries.join(',')}}`;
}

/** A field error as apimachinery's field.Error prints it. */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueDuplicate' | 'FieldValueRequired' | 'FieldValueNotSupported';
  field: string;
  value: unknown;
  detail: string;
}

const TYPE_TEXT: Record<FieldError['type'], string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
};

/**
 * An integer as Go's %v prints it: digits, never an exponent. Past 2^53 a manifest's integer has
 * been rounded to the nearest double on reading, which prints as its exact value; 2^63, which no
 * int64 holds, is what int64's largest values round to, and prints as the largest.
 */
export function goNumber(n: number): string {
  if (n === 2 ** 63) return '9223372036854775807';
  return Number.isInteger(n) && Math.abs(n) >= 2 ** 53 ? BigInt(n).toString() : String(n);
}

function formatBadValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** field.Error.ErrorBody(). */
export function fieldErrorBody(e: FieldError): string {
  let s = e.type === 'FieldValueRequired' ? TYPE_TEXT[e.type] : `${TYPE_TEXT[e.type]}: ${formatBadValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(). */
export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** ErrorList.ToAggregate().Error(): duplicates dropped, several errors bracketed. */
export function aggregateErrors(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  for (const e of errors) seen.add(fieldErrorText(e));
  const msgs = [...seen];
  if (msgs.length === 1) return msgs[0]!;
  return `[${msgs.join(', ')}]`;
}
