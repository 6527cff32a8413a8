/**
 * Whether a string decodes as a Kubernetes resource quantity (`500m`, `1.5`, `128Mi`, `1e3`), with
 * the decoder's own error when it does not. Follows apimachinery's ParseQuantity: its scanner is
 * looser than the pattern in its error message (`Gi` alone and `1.G` are quantities), and a
 * well-formed number with an unknown suffix (`1K`, `100mi`) fails differently. (Its third error,
 * for the numeric part, needs a string without digits that its scanner never lets through.)
 */

export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;
const SUFFIX_WRONG = "unable to parse quantity's suffix";

const SUFFIXES = new Set(['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);
const SUFFIX_CHARS = 'eEinumkKMGTP';
const INT64_MAX = 9223372036854775807n;
// Go's strings.TrimSpace: Unicode white space, which (unlike String.prototype.trim) excludes U+FEFF.
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/g;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** strconv.ParseInt(s, 10, 64) succeeds. */
function isInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  // Leading zeros are allowed; past 19 significant digits no int64 fits (and BigInt stays small).
  const digits = s.replace(/^[+-]?0*/, '');
  if (digits.length > 19) return false;
  const n = BigInt(s);
  return n <= INT64_MAX && n >= -INT64_MAX - 1n;
}

function suffixProblem(suffix: string): string | undefined {
  if (SUFFIXES.has(suffix)) return undefined;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && isInt64(suffix.slice(1))) return undefined;
  return SUFFIX_WRONG;
}

/** undefined when `text` is a quantity the API server accepts; otherwise the decoder's error. */
export function quantityProblem(text: string): string | undefined {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const s = first > 32 && first < 127 && last > 32 && last < 127 ? text : text.replace(GO_SPACE, '');
  if (s.length === 0) return FORMAT_WRONG;
  const end = s.length;
  let pos = s[0] === '-' || s[0] === '+' ? 1 : 0;
  while (pos < end && s[pos] === '0') pos++;
  while (pos < end && isDigit(s[pos])) pos++;
  if (pos < end && s[pos] === '.') {
    pos++;
    while (pos < end && isDigit(s[pos])) pos++;
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(s[pos]!)) pos++;
  if (pos < end && (s[pos] === '-' || s[pos] === '+')) pos++;
  while (pos < end && isDigit(s[pos])) pos++;
  if (pos < end) return FORMAT_WRONG;
  return suffixProblem(s.slice(suffixStart));
}
