import type { Level } from '../engine/api.js';
import {
  LATEST,
  compareLevels,
  compareVersions,
  formatVersion,
  parseLevel,
  parseVersion,
  type PolicyVersion,
} from '../engine/version.js';
import type { FieldError } from './gostrings.js';

/** A policy's settings: the keys of a configuration's `defaults`, and the labels' names after the prefix. */
export const POLICY_KEYS = ['enforce', 'enforce-version', 'audit', 'audit-version', 'warn', 'warn-version'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const ENFORCE_LEVEL_LABEL = `${LABEL_PREFIX}enforce`;
export const ENFORCE_VERSION_LABEL = `${LABEL_PREFIX}enforce-version`;
export const AUDIT_LEVEL_LABEL = `${LABEL_PREFIX}audit`;
export const AUDIT_VERSION_LABEL = `${LABEL_PREFIX}audit-version`;
export const WARN_LEVEL_LABEL = `${LABEL_PREFIX}warn`;
export const WARN_VERSION_LABEL = `${LABEL_PREFIX}warn-version`;
/** The labels PodSecurity admission reads; others under the prefix set nothing. */
export const POLICY_LABELS: readonly string[] = POLICY_KEYS.map((key) => LABEL_PREFIX + key);

export interface LevelVersion {
  level: Level;
  version: PolicyVersion;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

export const PRIVILEGED_LATEST: LevelVersion = Object.freeze({ level: 'privileged', version: LATEST });

export const DEFAULT_POLICY: Policy = Object.freeze({
  enforce: PRIVILEGED_LATEST,
  audit: PRIVILEGED_LATEST,
  warn: PRIVILEGED_LATEST,
});

/** `level:version`, as upstream's LevelVersion.String(). */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${formatVersion(lv.version)}`;
}

/** Struct equality, as Go's `==` on LevelVersion: latest and v1.37 differ. */
export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && a.version.latest === b.version.latest && a.version.minor === b.version.minor && a.version.digits === b.version.digits;
}

/**
 * Whether a Namespace update makes admission look at the namespace again (its pods, or its
 * exemption): enforce changed, is not privileged, and was not only relaxed at the same version.
 */
export function enforceTightened(oldEnforce: LevelVersion, newEnforce: LevelVersion): boolean {
  if (sameLevelVersion(newEnforce, oldEnforce) || newEnforce.level === 'privileged') return false;
  const sameVersion = compareVersions(newEnforce.version, oldEnforce.version) === 0 && newEnforce.version.latest === oldEnforce.version.latest;
  return !(sameVersion && compareLevels(newEnforce.level, oldEnforce.level) < 1);
}

/** LevelVersion.Equivalent: privileged ignores the version. */
export function equivalentLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && (a.level === 'privileged' || sameLevelVersion(a, b));
}

export function fullyPrivileged(p: Policy): boolean {
  return p.enforce.level === 'privileged' && p.audit.level === 'privileged' && p.warn.level === 'privileged';
}

export function equivalentPolicy(a: Policy, b: Policy): boolean {
  return (
    equivalentLevelVersion(a.enforce, b.enforce) &&
    equivalentLevelVersion(a.audit, b.audit) &&
    equivalentLevelVersion(a.warn, b.warn)
  );
}

export type Labels = Readonly<Record<string, string | undefined>> | null | undefined;

function labelError(label: string, value: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: `metadata.labels[${label}]`, value, detail };
}

function has(labels: Labels, key: string): labels is Record<string, string> {
  return labels != null && Object.prototype.hasOwnProperty.call(labels, key) && typeof labels[key] === 'string';
}

/**
 * Upstream api.PolicyToEvaluate: the namespace policy from its labels on top of the defaults.
 * Invalid enforce fails closed (restricted), invalid audit/warn fail open (privileged), an
 * invalid version means latest; each invalid label yields one field error.
 */
export function policyToEvaluate(labels: Labels, defaults: Policy = DEFAULT_POLICY): { policy: Policy; errors: FieldError[] } {
  const enforce: LevelVersion = { ...defaults.enforce };
  const audit: LevelVersion = { ...defaults.audit };
  const warn: LevelVersion = { ...defaults.warn };
  const errors: FieldError[] = [];
  if (labels == null) return { policy: { enforce, audit, warn }, errors };

  let hasEnforceLevel = false;
  let hasWarnLevel = false;
  let hasWarnVersion = false;

  if (has(labels, ENFORCE_LEVEL_LABEL)) {
    const v = labels[ENFORCE_LEVEL_LABEL];
    const r = parseLevel(v);
    enforce.level = r.level;
    hasEnforceLevel = r.error === undefined;
    if (r.error) errors.push(labelError(ENFORCE_LEVEL_LABEL, v, r.error));
  }
  if (has(labels, ENFORCE_VERSION_LABEL)) {
    const v = labels[ENFORCE_VERSION_LABEL];
    const r = parseVersion(v);
    enforce.version = r.version;
    if (r.error) errors.push(labelError(ENFORCE_VERSION_LABEL, v, r.error));
  }
  if (has(labels, AUDIT_LEVEL_LABEL)) {
    const v = labels[AUDIT_LEVEL_LABEL];
    const r = parseLevel(v);
    audit.level = r.error ? 'privileged' : r.level;
    if (r.error) errors.push(labelError(AUDIT_LEVEL_LABEL, v, r.error));
  }
  if (has(labels, AUDIT_VERSION_LABEL)) {
    const v = labels[AUDIT_VERSION_LABEL];
    const r = parseVersion(v);
    audit.version = r.version;
    if (r.error) errors.push(labelError(AUDIT_VERSION_LABEL, v, r.error));
  }
  if (has(labels, WARN_LEVEL_LABEL)) {
    hasWarnLevel = true;
    const v = labels[WARN_LEVEL_LABEL];
    const r = parseLevel(v);
    warn.level = r.error ? 'privileged' : r.level;
    if (r.error) errors.push(labelError(WARN_LEVEL_LABEL, v, r.error));
  }
  if (has(labels, WARN_VERSION_LABEL)) {
    hasWarnVersion = true;
    const v = labels[WARN_VERSION_LABEL];
    const r = parseVersion(v);
    warn.version = r.version;
    if (r.error) errors.push(labelError(WARN_VERSION_LABEL, v, r.error));
  }

  // Warn defaults to an explicitly set, stricter enforce level, so users see what would be denied.
  if (!hasWarnLevel && hasEnforceLevel && compareLevels(enforce.level, warn.level) > 0) {
    warn.level = enforce.level;
    if (!hasWarnVersion) warn.version = enforce.version;
  }
  return { policy: { enforce, audit, warn }, errors };
}

/** The `defaults` block of a PodSecurityConfiguration. */
export type PolicyDefaults = Record<PolicyKey, string>;

/** Upstream admissionapi.ToPolicy for configured defaults; errors name the config field. */
export function policyFromDefaults(d: PolicyDefaults): { policy: Policy; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lv = (mode: 'enforce' | 'audit' | 'warn'): LevelVersion => {
    const l = parseLevel(d[mode]);
    if (l.error) errors.push({ type: 'FieldValueInvalid', field: `defaults.${mode}`, value: d[mode], detail: l.error });
    const key = `${mode}-version` as const;
    const v = parseVersion(d[key]);
    if (v.error) errors.push({ type: 'FieldValueInvalid', field: `defaults.${key}`, value: d[key], detail: v.error });
    return { level: l.level, version: v.version };
  };
  const enforce = lv('enforce');
  const audit = lv('audit');
  const warn = lv('warn');
  return { policy: { enforce, audit, warn }, errors };
}
