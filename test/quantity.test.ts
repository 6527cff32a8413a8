// Quantities as apimachinery's ParseQuantity reads them: what it accepts, which of its errors it
// gives for what it does not, and how Quantity compares and prints them.
import t from 'tap';
import { QUANTITY_PATTERN, quantityProblem } from '../admission/quantity.js';
import { canonicalQuantity, compareQuantities, exactQuantity, roundUp } from '../admission/quantity-exact.js';

const FORMAT = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;
const SUFFIX = "unable to parse quantity's suffix";
const NUMERIC = 'unable to parse numeric part of quantity';

t.test('accepted as the API server accepts them', async (t) => {
  const accepted = [
    '0', '1', '250m', '0.5', '1.5', '.5', '1.', '128Mi', '2Gi', '1Ei', '100u', '5n', '2k', '3M', '4G', '5T', '6P', '7E',
    '1e3', '1E3', '1e-3', '1E+3', '-1', '+1', '-0.5Gi', '000', '-', '+', '.', 'Gi', 'Ti', 'n', 'm', '1.G', ' 2Gi ', '\u00A02Gi',
    '12345678901234567890', '0.0000000001', '1e9223372036854775807', '1e-9223372036854775808', '1e+0009', '1' + '0'.repeat(1_000_000),
  ];
  t.same(accepted.filter((q) => quantityProblem(q) !== undefined), [], `${accepted.length} quantities, none rejected`);
});

t.test('rejected with the decoder\'s words', async (t) => {
  const rejected: [string, string][] = [
    ['', FORMAT], [' ', FORMAT], ['512MB', FORMAT], ['1 Gi', FORMAT], ['1KiB', FORMAT], ['1Kib', FORMAT], ['abc', FORMAT],
    ['1.2.3', FORMAT], ['1,5', FORMAT], ['1e3.5', FORMAT], ['0x10', FORMAT],
    ['1K', SUFFIX], ['1kk', SUFFIX], ['100mi', SUFFIX], ['1e', SUFFIX], ['1ei', SUFFIX], ['1-', SUFFIX], ['1ee3', SUFFIX], ['--1', SUFFIX],
    ['1e9223372036854775808', SUFFIX], ['1e' + '9'.repeat(1_000_000), SUFFIX], ['1Gii', SUFFIX],
    ['\uFEFF1', FORMAT], // Go's TrimSpace keeps a byte order mark
    // JSON escapes these, and Go trims the quantity's JSON text, not the decoded string.
    ['\t3\n', FORMAT], ['1Gi\t', FORMAT], ['1Gi\n', FORMAT], ['1Gi\u2028', FORMAT],
    // No digits, and past the fast path: the decimal parser finds no number.
    ['Pi', NUMERIC], ['Ei', NUMERIC], ['+Pi', NUMERIC], ['-Ei', NUMERIC], ['.Pi', NUMERIC],
    ['e-10', NUMERIC], ['.e-10', NUMERIC], ['-e-10', NUMERIC], ['E-12', NUMERIC], ['.E-12', NUMERIC],
  ];
  // Names are escaped and cut: a raw U+2028 or a megabyte would break the test report itself.
  const name = (text: string) => JSON.stringify(text.slice(0, 40)).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  for (const [text, problem] of rejected) t.equal(quantityProblem(text), problem, name(text));
});

t.test('compared and printed exactly, in Go\'s canonical form', async (t) => {
  const canonical: [unknown, string][] = [
    ['1.5', '1500m'], ['2000m', '2'], ['1024Mi', '1Gi'], ['0.5Gi', '512Mi'], ['1000M', '1G'], ['1e3', '1e3'], ['12e2', '1200'],
    ['1.5Gi', '1536Mi'], ['0.5Ki', '512'], ['1Ki', '1Ki'], ['1023', '1023'], ['100m', '100m'], ['0.1', '100m'], ['1.5k', '1500'],
    ['129e6', '129e6'], ['0', '0'], ['-1', '-1'], ['0.000001', '1u'], [2, '2'], [0.25, '250m'], ['1e-3', '1e-3'],
  ];
  for (const [written, want] of canonical) t.equal(canonicalQuantity(exactQuantity(written)!), want, `${written}`);
  t.equal(canonicalQuantity(roundUp(exactQuantity('0.0001')!, -3)), '1m', 'rounded up to milli, as defaulting does');
  t.equal(canonicalQuantity(roundUp(exactQuantity('1.0001')!, -3)), '1001m');
  // Away from zero, as Quantity.RoundUp: a tiny negative request stays negative, and is refused.
  t.equal(canonicalQuantity(roundUp(exactQuantity('-0.0001')!, -3)), '-1m');
  t.equal(canonicalQuantity(roundUp(exactQuantity('-1.0001')!, -3)), '-1001m');
  t.equal(canonicalQuantity(roundUp(exactQuantity('-2')!, -3)), '-2');
  t.equal(compareQuantities(exactQuantity('500m')!, exactQuantity('0.5')!), 0);
  t.equal(compareQuantities(exactQuantity('1Gi')!, exactQuantity('1G')!), 1);
  t.equal(compareQuantities(exactQuantity('1e3')!, exactQuantity('1k')!), 0);
  t.equal(compareQuantities(exactQuantity('-1')!, exactQuantity('0')!), -1);
  t.equal(exactQuantity('1e9223372036854775807'), undefined, 'no resource is that large: not compared');
  t.equal(exactQuantity('1' + '0'.repeat(1000)), undefined);
  t.equal(exactQuantity('Gi'), undefined, 'a quantity without digits has no value to compare');
});
