/**
 * Resource quantities as apimachinery holds them, exactly: a decimal value and the format it was
 * written in, compared and printed as Go's Quantity.Cmp and Quantity.String do (the canonical
 * form: `1.5` is `1500m`, `2000m` is `2`, `1024Mi` is `1Gi`, `0.5Gi` is `512Mi`). For validation
 * messages; the checks compare quantities as numbers (engine/quantity.ts).
 */
import { SUFFIXES } from '../engine/quantity.js';

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** `mantissa` × 10^`exponent`, written in `format`. */
export interface ExactQuantity {
  mantissa: bigint;
  exponent: number;
  format: Format;
}

const WRITTEN = /^\s*([+-]?)([0-9]*)(?:\.([0-9]*))?(.*?)\s*$/;
const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

// Past these no resource is counted: such a quantity is taken as it is, not compared.
const MAX_DIGITS = 64;
const MAX_EXPONENT = 64;

/**
 * A quantity as the decoder reads it (a JSON number or a string); undefined for one it refuses,
 * and for one too large or too precise to be a resource anyone counts.
 */
export function exactQuantity(written: unknown): ExactQuantity | undefined {
  const text = typeof written === 'number' ? String(written) : written;
  if (typeof text !== 'string' || text.length > MAX_DIGITS + 8) return undefined;
  const m = WRITTEN.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole, fraction = '', suffix = ''] = m;
  let mantissa = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  let format: Format;
  if (suffix === '') format = 'DecimalSI';
  else if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    format = 'DecimalExponent';
    const power = Number(suffix.slice(1));
    if (Math.abs(power) > MAX_EXPONENT) return undefined;
    exponent += power;
  } else {
    const scale = SUFFIXES[suffix];
    if (!scale) return undefined;
    if (scale[1]) {
      format = 'BinarySI';
      mantissa *= 1n << BigInt(scale[1]);
    } else {
      format = 'DecimalSI';
      exponent += scale[0];
    }
  }
  return { mantissa: sign === '-' ? -mantissa : mantissa, exponent, format };
}

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);

/**
 * The value rounded up to the given decimal scale, away from zero as Quantity.RoundUp does
 * (defaulting rounds requests and limits up to milli: -0.0001 becomes -1m).
 */
export function roundUp(q: ExactQuantity, scale: number): ExactQuantity {
  if (q.exponent >= scale) return q;
  const divisor = pow10(scale - q.exponent);
  let mantissa = q.mantissa / divisor;
  if (q.mantissa % divisor !== 0n) mantissa += q.mantissa > 0n ? 1n : -1n;
  return { ...q, mantissa, exponent: scale };
}

/** -1, 0 or 1, as Quantity.Cmp. */
export function compareQuantities(a: ExactQuantity, b: ExactQuantity): number {
  const e = Math.min(a.exponent, b.exponent);
  const x = a.mantissa * pow10(a.exponent - e);
  const y = b.mantissa * pow10(b.exponent - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const isNegative = (q: ExactQuantity): boolean => q.mantissa < 0n;

/** The sum, in the first one's format (the second's when the first is zero), as Quantity.Add gives it. */
export function addQuantities(a: ExactQuantity, b: ExactQuantity): ExactQuantity {
  const exponent = Math.min(a.exponent, b.exponent);
  const mantissa = a.mantissa * pow10(a.exponent - exponent) + b.mantissa * pow10(b.exponent - exponent);
  return { mantissa, exponent, format: a.mantissa === 0n ? b.format : a.format };
}

/** The value scaled by 10^scale, rounded up (away from zero), as Quantity.ScaledValue: Value() is scale 0, MilliValue() -3. */
export function scaledValue(q: ExactQuantity, scale: number): bigint {
  const shift = q.exponent - scale;
  if (shift >= 0) return q.mantissa * pow10(shift);
  const divisor = pow10(-shift);
  const whole = q.mantissa / divisor;
  return q.mantissa % divisor === 0n ? whole : whole + (q.mantissa > 0n ? 1n : -1n);
}

/** Quantity.String(): the canonical form in the format it was written in. */
export function canonicalQuantity(q: ExactQuantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // Small values and fractions of a byte are shown as decimal ones, not rounded.
    const whole = q.exponent >= 0 || q.mantissa % pow10(-q.exponent) === 0n;
    const value = q.exponent >= 0 ? q.mantissa * pow10(q.exponent) : q.mantissa / pow10(-q.exponent);
    if ((value > -1024n && value < 1024n) || !whole) format = 'DecimalSI';
    else {
      let amount = value;
      let power = 0;
      while (power < BINARY_SUFFIXES.length - 1 && amount % 1024n === 0n) {
        amount /= 1024n;
        power++;
      }
      return `${amount}${BINARY_SUFFIXES[power]}`;
    }
  }
  let mantissa = q.mantissa;
  let exponent = q.exponent;
  while (mantissa % TEN === 0n) {
    mantissa /= TEN;
    exponent++;
  }
  // The exponent down to a multiple of three.
  const over = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(over);
  exponent -= over;
  if (exponent === 0) return `${mantissa}`;
  const suffix = format === 'DecimalSI' ? DECIMAL_SUFFIXES[exponent] : undefined;
  return `${mantissa}${suffix ?? `e${exponent}`}`;
}
