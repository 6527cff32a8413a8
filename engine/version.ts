import { LEVELS, type Level } from './api.js';
import { describeValue, PodsecArgumentError } from './errors.js';

/** A policy version: `latest`, or minor version N of major 1 (`v1.N`). */
export interface PolicyVersion {
  latest: boolean;
  minor: number;
  /** The minor as written when it is past 2^53, where `minor` only approximates it. */
  digits?: string;
}

export const LATEST: PolicyVersion = Object.freeze({ latest: true, minor: Number.POSITIVE_INFINITY });

export const VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)$/;

export const VERSION_ERROR = 'must be "latest" or "v1.x"';
const LEVEL_ERROR = `must be one of ${LEVELS.join(', ')}`;

/** Parses like upstream's api.ParseVersion: an invalid value yields latest plus an error. */
export function parseVersion(text: string): { version: PolicyVersion; error?: string; outOfRange?: true } {
  if (text === 'latest') return { version: LATEST };
  const match = VERSION_PATTERN.exec(text);
  if (!match) return { version: LATEST, error: VERSION_ERROR };
  const digits = match[1]!;
  const minor = Number(digits);
  if (Number.isSafeInteger(minor)) return { version: { latest: false, minor } };
  // Go's strconv.Atoi takes up to 2^63-1 (such a version is evaluated as the newest).
  if (digits.length > 19 || (digits.length === 19 && digits > '9223372036854775807')) return { version: LATEST, error: VERSION_ERROR, outOfRange: true };
  return { version: { latest: false, minor, digits } };
}

/** A version flag's error, saying why a version of the right form is refused (upstream's words alone do not). */
export function versionFlagError(parsed: { error?: string; outOfRange?: true }): string | undefined {
  if (parsed.error === undefined) return undefined;
  return parsed.outOfRange ? `${parsed.error}, with x at most 9223372036854775807 (Go's int64, as Kubernetes reads it)` : parsed.error;
}

/** Parses like upstream's api.ParseLevel: an invalid value yields restricted plus an error. */
export function parseLevel(text: string): { level: Level; error?: string } {
  if ((LEVELS as readonly string[]).includes(text)) return { level: text as Level };
  return { level: 'restricted', error: LEVEL_ERROR };
}

export function formatVersion(version: PolicyVersion): string {
  return version.latest ? 'latest' : `v1.${version.digits ?? version.minor}`;
}

/** Negative when a is older than b, 0 when equal, positive when newer. `latest` is newest. */
export function compareVersions(a: PolicyVersion, b: PolicyVersion): number {
  if (a.latest || b.latest) return (a.latest ? 1 : 0) - (b.latest ? 1 : 0);
  if (a.digits === undefined && b.digits === undefined) return a.minor - b.minor;
  // Past 2^53 `minor` only approximates the version: compare exactly, as Go compares its ints.
  const x = BigInt(a.digits ?? a.minor);
  const y = BigInt(b.digits ?? b.minor);
  return x < y ? -1 : x > y ? 1 : 0;
}

function rank(level: Level): number {
  // LEVELS lists them from the least strict. An unknown level would compare as NaN: neither stricter nor not.
  const rank = typeof level === 'string' ? LEVELS.indexOf(level) : -1;
  if (rank < 0) throw new PodsecArgumentError(`invalid level ${describeValue(level)}: ${LEVEL_ERROR}`);
  return rank;
}

/** Like upstream's api.CompareLevels: positive when a is stricter than b. */
export function compareLevels(a: Level, b: Level): number {
  return rank(a) - rank(b);
}
