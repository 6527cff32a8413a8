// Quantities as apimachinery's ParseQuantity reads them: what it accepts, and which of its
// errors it gives for what it does not.
import t from 'tap';
import { QUANTITY_PATTERN, quantityProblem } from '../admission/quantity.js';

const FORMAT = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;
const SUFFIX = "unable to parse quantity's suffix";

t.test('accepted as the API server accepts them', async (t) => {
  const accepted = [
    '0', '1', '250m', '0.5', '1.5', '.5', '1.', '128Mi', '2Gi', '1Ei', '100u', '5n', '2k', '3M', '4G', '5T', '6P', '7E',
    '1e3', '1E3', '1e-3', '1E+3', '-1', '+1', '-0.5Gi', '000', '-', '+', '.', 'Gi', 'm', '1.G', ' 2Gi ', '\t3\n',
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
  ];
  for (const [text, problem] of rejected) t.equal(quantityProblem(text), problem, JSON.stringify(text));
});
