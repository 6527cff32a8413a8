/**
 * A CronJob's schedule and time zone as the API server reads them: the schedule with the cron
 * parser it vendors (robfig/cron v3, ParseStandard: five fields or a descriptor), the time zone
 * as validateTimeZone does, with the time zone database Node's Intl has standing for Go's.
 */
import { goQuote } from './gostrings.js';

interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const WEEKDAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** Minute, hour, day of month, month, day of week: ParseStandard's five fields. */
const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: WEEKDAYS },
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

class CronError extends Error {}

/** Go's unicode.IsSpace (strings.Fields, strings.TrimSpace): not JavaScript's \\s, which has U+FEFF and lacks U+0085. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const GO_SPACE_AROUND = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu;

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new CronError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) && (BigInt(s) > 9223372036854775807n || BigInt(s) < -9223372036854775808n)) {
    throw new CronError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  return n;
}

function mustParseInt(expr: string): number {
  let num: number;
  try {
    num = atoi(expr);
  } catch (err) {
    throw new CronError(`failed to parse int from ${expr}: ${(err as Error).message}`);
  }
  if (num < 0) throw new CronError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

function parseIntOrName(expr: string, names: Bounds['names']): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** One comma-separated part of a field: `*`, `N`, `N-M`, each with an optional `/step`. */
function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    // "N/step" is "N-max/step".
    if (lowAndHigh.length === 1) end = r.max;
  } else if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n,
};

/** Go's time.ParseDuration, for its errors only. */
function checkDuration(text: string): void {
  const invalid = (): CronError => new CronError(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const whole = m[1]!;
    const fraction = m[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    s = s.slice(m[0].length);
    const unitLength = s.search(/[0-9.]/);
    const unit = unitLength < 0 ? s : s.slice(0, unitLength);
    if (unit === '') throw new CronError(`time: missing unit in duration ${goQuote(text)}`);
    s = s.slice(unit.length);
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) throw new CronError(`time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}`);
    total += BigInt(whole || '0') * scale + (fraction ? (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length) : 0n);
    if (total > 9223372036854775808n) throw invalid();
  }
  if (!text.startsWith('-') && total > 9223372036854775807n) throw invalid();
}

/** The time zones Go's time.LoadLocation finds: the IANA names (case matters), "UTC", "Local" and "". */
export const knownTimeZone = remembered(lookUpTimeZone);

function lookUpTimeZone(name: string): boolean {
  // Factory is in the tz database Go reads, not in the ICU data Intl has.
  if (name === '' || name === 'UTC' || name === 'Local' || name === 'Factory') return true;
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return false;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // Intl ignores case, Go's lookup of a file does not: "america/new_york" is no zone there.
  return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
}

/** Manifests repeat their schedules and zones: each is parsed, or looked up, once. */
function remembered<T>(compute: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (known.has(key)) return known.get(key)!;
    const value = compute(key);
    if (known.size >= 4096) known.clear();
    known.set(key, value);
    return value;
  };
}

/** Why the schedule does not parse, in the cron parser's words; undefined where it does. */
export const cronScheduleError = remembered(parseSchedule);

function parseSchedule(spec: string): string | undefined {
  try {
    let rest = spec;
    if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
      const space = rest.indexOf(' ');
      // Upstream slices to the first space; without one, its parser panics (reported since 1.35).
      if (space < 0) return 'invalid schedule format: runtime error: slice bounds out of range [:-1]';
      const zone = rest.slice(rest.indexOf('=') + 1, space);
      if (!knownTimeZone(zone)) {
        const why = zone.includes('..') || zone.startsWith('/') || zone.startsWith('\\') ? 'time: invalid location name' : `unknown time zone ${zone}`;
        return `provided bad location ${zone}: ${why}`;
      }
      rest = rest.slice(space).replace(GO_SPACE_AROUND, '');
    }
    if (rest.startsWith('@')) {
      if (DESCRIPTORS.has(rest)) return undefined;
      if (rest.startsWith('@every ')) {
        try {
          checkDuration(rest.slice('@every '.length));
        } catch (err) {
          return `failed to parse duration ${rest}: ${(err as Error).message}`;
        }
        return undefined;
      }
      return `unrecognized descriptor: ${rest}`;
    }
    const fields = rest.split(GO_SPACE).filter((f) => f !== '');
    if (fields.length !== FIELDS.length) return `expected exactly ${FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`;
    fields.forEach((field, i) => {
      for (const expr of field.split(',')) if (expr !== '') checkRange(expr, FIELDS[i]!);
    });
    return undefined;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

/** Why validateTimeZone refuses a CronJob's timeZone (other than ""), in its words, in its order. */
export function timeZoneErrors(tz: string): string[] {
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part)) return [`unknown time zone ${tz}`];
  }
  const errors: string[] = [];
  if (tz.toLowerCase() === 'local') errors.push('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  if (!knownTimeZone(tz)) errors.push(`unknown time zone ${tz}`);
  return errors;
}
