/**
 * Whether a string decodes as a Kubernetes timestamp (metav1.Time: `creationTimestamp`,
 * `lastTransitionTime`, …), with the decoder's own error when it does not. metav1.Time reads
 * its JSON string with Go's `time.Parse(time.RFC3339, s)`, which is looser than RFC 3339 in
 * places (an hour of one digit, a comma before the fraction, a zone offset up to 24:60) and
 * strict in others (the `T`, a capital `Z`, a real day of the month). Only null and such
 * strings decode; a date alone (`2024-01-01`) makes the API server refuse the object.
 */

const LAYOUT = '2006-01-02T15:04:05Z07:00';

/** Go's time.quote: printable ASCII as it is (with `"` and `\` escaped), other bytes as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
    }
  }
  return out + '"';
}

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

const isLeap = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** One or two digits (`fixed`: exactly two), as Go's time parser reads a field. */
function num(s: string, fixed: boolean): [value: number, rest: string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [s.charCodeAt(0) - 48, s.slice(1)];
  return [(s.charCodeAt(0) - 48) * 10 + s.charCodeAt(1) - 48, s.slice(2)];
}

/** undefined when `text` is a time metav1.Time decodes; otherwise Go's error. */
export function timeProblem(text: string): string | undefined {
  // Go works on UTF-8 bytes: a character past ASCII is never a digit or a separator, and
  // counts as its bytes where lengths are compared. Latin-1 stands for those bytes here.
  const value = Buffer.from(text, 'utf8').toString('latin1');
  const shown = (s: string): string => timeQuote(Buffer.from(s, 'latin1').toString('utf8'));
  const cannot = (rest: string, elem: string): string =>
    `parsing time ${shown(value)} as ${timeQuote(LAYOUT)}: cannot parse ${shown(rest)} as ${timeQuote(elem)}`;
  const outOfRange = (what: string): string => `parsing time ${shown(value)}: ${what} out of range`;
  let v = value;
  const literal = (c: string): boolean => {
    if (v[0] !== c) return false;
    v = v.slice(1);
    return true;
  };

  // 2006: four digits.
  if (v.length < 4 || !/^[0-9]{4}/.test(v)) return cannot(v, '2006');
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  if (!literal('-')) return cannot(v, '-');
  // 01: two digits, 1 to 12.
  let got = num(v, true);
  if (!got) return cannot(v, '01');
  const month = got[0];
  if (month < 1 || month > 12) return outOfRange('month');
  v = got[1];
  if (!literal('-')) return cannot(v, '-');
  // 02: two digits, checked against the month at the end.
  got = num(v, true);
  if (!got) return cannot(v, '02');
  const day = got[0];
  v = got[1];
  if (!literal('T')) return cannot(v, 'T');
  // 15: one or two digits, below 24.
  got = num(v, false);
  if (got && got[0] >= 24) return outOfRange('hour');
  if (!got) return cannot(v, '15');
  v = got[1];
  if (!literal(':')) return cannot(v, ':');
  // 04 and 05: two digits, below 60.
  got = num(v, true);
  if (got && got[0] >= 60) return outOfRange('minute');
  if (!got) return cannot(v, '04');
  v = got[1];
  if (!literal(':')) return cannot(v, ':');
  got = num(v, true);
  if (!got) return cannot(v, '05');
  if (got[0] >= 60) return outOfRange('second');
  v = got[1];
  // A fraction of a second after "." or ",", of any length, though the layout has none.
  if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigit(v, 1)) {
    let n = 2;
    while (isDigit(v, n)) n++;
    v = v.slice(n);
  }
  // Z07:00: "Z", or a sign, two digits, ":" and two digits; the range allows 24 and 60.
  if (v[0] === 'Z') {
    v = v.slice(1);
  } else {
    const hold = v;
    if (v.length < 6 || v[3] !== ':') return cannot(hold, 'Z07:00');
    const hour = num(v.slice(1, 3), true);
    const minute = hour ? num(v.slice(4, 6), true) : undefined;
    const [hr, mm] = [hour?.[0] ?? 0, minute?.[0] ?? 0];
    const bad = !hour || !minute || (v[0] !== '+' && v[0] !== '-');
    v = v.slice(6);
    // Go checks the ranges before the digits and the sign, and reports the last range passed.
    if (mm > 60) return outOfRange('time zone offset minute');
    if (hr > 24) return outOfRange('time zone offset hour');
    if (bad) return cannot(hold, 'Z07:00');
  }
  if (v.length !== 0) return `parsing time ${shown(value)}: extra text: ${shown(v)}`;
  if (day < 1 || day > daysIn(month, year)) return outOfRange('day');
  return undefined;
}
