// Times as metav1.Time decodes them (Go's time.Parse with time.RFC3339): what it accepts, and
// which of its errors it gives for what it does not.
import t from 'tap';
import { timeProblem } from '../admission/gotime.js';

const as = (value: string, rest: string, elem: string): string =>
  `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`;
const range = (value: string, what: string): string => `parsing time ${JSON.stringify(value)}: ${what} out of range`;

t.test('accepted as the API server accepts them', async (t) => {
  const accepted = [
    '2024-01-31T12:00:00Z', '2024-01-31T12:00:00+01:00', '2024-01-31T12:00:00-05:30', '9999-12-31T23:59:59Z',
    // A fraction of any length, after a comma too; an hour of one digit.
    '2024-01-31T12:00:00.5Z', '2024-01-31T12:00:00.123456789Z', '2024-01-31T12:00:00.1234567890123+02:00', '2024-01-31T12:00:00,5Z',
    '2024-01-31T1:00:00Z',
    // Leap days (year 0 is a leap year to Go), and zone offsets up to 24 hours and 60 minutes.
    '2024-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '0000-02-29T00:00:00Z', '2024-01-31T12:00:00+24:00', '2024-01-31T12:00:00-00:60',
  ];
  t.same(accepted.filter((s) => timeProblem(s) !== undefined), [], `${accepted.length} times, none rejected`);
});

t.test("rejected with the decoder's words", async (t) => {
  const rejected: [string, string][] = [
    ['', as('', '', '2006')],
    ['yesterday', as('yesterday', 'yesterday', '2006')],
    ['+2024-01-01T00:00:00Z', as('+2024-01-01T00:00:00Z', '+2024-01-01T00:00:00Z', '2006')],
    ['12345-01-01T00:00:00Z', as('12345-01-01T00:00:00Z', '5-01-01T00:00:00Z', '-')],
    // A date alone, or a time without its zone.
    ['2024-01-01', as('2024-01-01', '', 'T')],
    ['2024-01-01T00:00:00', as('2024-01-01T00:00:00', '', 'Z07:00')],
    ['2024-01-01 00:00:00Z', as('2024-01-01 00:00:00Z', ' 00:00:00Z', 'T')],
    ['2024-01-01t00:00:00Z', as('2024-01-01t00:00:00Z', 't00:00:00Z', 'T')],
    ['2024-01-01T00:00:00z', as('2024-01-01T00:00:00z', 'z', 'Z07:00')],
    ['2024-1-01T00:00:00Z', as('2024-1-01T00:00:00Z', '1-01T00:00:00Z', '01')],
    ['2024-01-01T00:0:00Z', as('2024-01-01T00:0:00Z', '0:00Z', '04')],
    ['2024-01-01T00:00:00+0100', as('2024-01-01T00:00:00+0100', '+0100', 'Z07:00')],
    ['2024-01-01T00:00:00*01:00', as('2024-01-01T00:00:00*01:00', '*01:00', 'Z07:00')],
    ['2024-01-01T00:00:00.Z', as('2024-01-01T00:00:00.Z', '.Z', 'Z07:00')],
    ['2024-13-01T00:00:00Z', range('2024-13-01T00:00:00Z', 'month')],
    ['2024-01-01T24:00:00Z', range('2024-01-01T24:00:00Z', 'hour')],
    ['2024-01-01T00:60:00Z', range('2024-01-01T00:60:00Z', 'minute')],
    ['2024-01-01T23:59:60Z', range('2024-01-01T23:59:60Z', 'second')],
    ['2024-01-01T00:00:00+25:00', range('2024-01-01T00:00:00+25:00', 'time zone offset hour')],
    ['2024-01-01T00:00:00+01:61', range('2024-01-01T00:00:00+01:61', 'time zone offset minute')],
    ['2024-02-30T00:00:00Z', range('2024-02-30T00:00:00Z', 'day')],
    ['2023-02-29T00:00:00Z', range('2023-02-29T00:00:00Z', 'day')],
    ['1900-02-29T00:00:00Z', range('1900-02-29T00:00:00Z', 'day')],
    ['2024-04-31T00:00:00Z', range('2024-04-31T00:00:00Z', 'day')],
    ['2024-01-00T00:00:00Z', range('2024-01-00T00:00:00Z', 'day')],
    ['2024-01-01T00:00:00Z junk', 'parsing time "2024-01-01T00:00:00Z junk": extra text: " junk"'],
    // Go quotes bytes past ASCII as \x escapes.
    ['2024-01-01T00:00:00Zé', 'parsing time "2024-01-01T00:00:00Z\\xc3\\xa9": extra text: "\\xc3\\xa9"'],
  ];
  for (const [text, problem] of rejected) t.equal(timeProblem(text), problem, JSON.stringify(text));
});
