/** Public types of the podsec engine. */

export type Level = 'privileged' | 'baseline' | 'restricted';
// Frozen: parseLevel validates against it, so a caller's edit would change which levels are accepted.
/** The levels, least strict first. */
export const LEVELS: readonly Level[] = Object.freeze(['privileged', 'baseline', 'restricted']);
/** The levels that have checks, a folder of rule files each; privileged allows every pod. */
export type RuleLevel = Exclude<Level, 'privileged'>;
export const RULE_LEVELS: readonly RuleLevel[] = LEVELS.filter((l): l is RuleLevel => l !== 'privileged');

/** A path into the evaluated object: property names and array indexes. */
export type FieldPath = (string | number)[];

export interface Violation {
  /** Upstream check id, e.g. `allowPrivilegeEscalation`. */
  checkId: string;
  /** Upstream ForbiddenReason, e.g. `allowPrivilegeEscalation != false`. */
  reason: string;
  /** Upstream ForbiddenDetail (may be empty). */
  detail: string;
  /**
   * The offending fields, relative to the evaluated pod (`metadata`/`spec`). Where a required
   * field is absent, the path names that field; callers locate its nearest existing ancestor.
   */
  fields: FieldPath[];
}

/** Read-only: the result of an allowed pod is shared by every call (and frozen). */
export interface EvaluationResult {
  readonly allowed: boolean;
  /** Failed checks, in upstream order. Empty when allowed. */
  readonly violations: readonly Violation[];
  /** Upstream aggregate: reasons joined with ", ". Empty when allowed. */
  readonly forbiddenReason: string;
  /** Upstream aggregate: `reason (detail), …`. Empty when allowed. */
  readonly forbiddenDetail: string;
  /** The policy version as requested (`latest`, `v1.99`). */
  readonly version: string;
  /** The version whose checks ran (`v1.37` for `latest`). Empty for privileged. */
  readonly evaluatedVersion: string;
  readonly level: Level;
}

export interface EvaluateOptions {
  /** One of the levels; a string from elsewhere (a namespace label) is checked when called: an unknown level throws PodsecArgumentError. */
  level: Level | (string & {});
  /** `latest` or `v1.N`; `latest` when left out or null. */
  version?: string | null;
  /**
   * API-server defaulting applied before evaluation: `pod` (a Pod object as created),
   * `template` (a workload's pod template), or `none` (the object is already defaulted,
   * as in an admission request). Default `pod`.
   */
  defaulting?: 'pod' | 'template' | 'none';
}
