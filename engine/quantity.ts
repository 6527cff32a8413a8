/**
 * Numbers and Kubernetes resource quantities (`500m`, `1.5`, `128Mi`, `1e3`) as numbers, for the
 * comparison operators. Kubernetes stores a quantity as a string or a JSON number.
 */

// Suffix -> [decimal exponent, binary exponent]; the decoder's check (admission/quantity.ts) reads it too.
// No prototype: a suffix such as `toString` is no quantity.
export const SUFFIXES: Record<string, [number, number] | undefined> = Object.assign(Object.create(null) as Record<string, [number, number] | undefined>, {
  n: [-9, 0], u: [-6, 0], m: [-3, 0], k: [3, 0], M: [6, 0], G: [9, 0], T: [12, 0], P: [15, 0], E: [18, 0],
  Ki: [0, 10], Mi: [0, 20], Gi: [0, 30], Ti: [0, 40], Pi: [0, 50], Ei: [0, 60],
});
const QUANTITY = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(?:([numkMGTPE]|[KMGTPE]i)|[eE]([+-]?[0-9]+))?$/;

/**
 * The value of a number or a quantity string; NaN for anything else, so that every comparison
 * with it is false. Decimal scaling is exact where it can be (`2000m` is exactly 2).
 */
export function quantityValue(fact: unknown): number {
  if (typeof fact === 'number') return fact;
  if (typeof fact !== 'string') return NaN;
  return quick(fact) ?? parsed(fact);
}

const POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Up to 15 digits and a suffix, without a regex or a string built: an integer mantissa scaled by
 * an exact power of ten is one correctly rounded operation. Undefined for anything else.
 */
function quick(s: string): number | undefined {
  const end = s.length;
  let i = 0;
  let negative = false;
  if (s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43) negative = s.charCodeAt(i++) === 45;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else break;
  }
  if (digits === 0 || digits > 15) return undefined;
  const suffix = i === end ? '' : s.slice(i);
  const scale = suffix === '' ? ZERO : SUFFIXES[suffix];
  if (scale === undefined) return undefined;
  const exponent = scale[0] - Math.max(fraction, 0);
  if (exponent < -22 || exponent > 22) return undefined;
  const value = (exponent >= 0 ? mantissa * POWERS[exponent]! : mantissa / POWERS[-exponent]!) * 2 ** scale[1];
  return negative ? -value : value;
}
const ZERO: [number, number] = [0, 0];

/** @internal The regex reading, for any quantity; what the quick one must agree with. */
export function parsed(fact: string): number {
  const m = QUANTITY.exec(fact.trim());
  if (!m) return NaN;
  if (m[3] !== undefined) return Number(`${m[1]}e${m[3]}`);
  const [exp, bin] = m[2] === undefined ? ZERO : SUFFIXES[m[2]]!;
  return Number(`${m[1]}e${exp}`) * 2 ** bin;
}
