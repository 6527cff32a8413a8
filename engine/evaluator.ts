import { LEVELS, type EvaluateOptions, type EvaluationResult, type Level, type Violation } from './api.js';
import type { CompiledCheck } from './compile.js';
import { compileDefaulting, type CompiledDefaulting } from './defaulting.js';
import { DEFAULTING_MODES, type DefaultingMode } from './model.js';
import { describeValue, PodsecArgumentError, type RuleProblem } from './errors.js';
import { fuseChecks, MAX_FUSED_CHECKS } from './fuse.js';
import { loadRuleTable, type LoadOptions, type RuleTable } from './load.js';
import { precompiledFused } from './precompiled.js';
import { buildLevelTables, type LevelTables } from './registry.js';
import { parseLevel, parseVersion } from './version.js';

export interface EvaluatorOptions extends LoadOptions {}

/** One (level, version) as requested, resolved once and cached (frozen). */
export interface ResolvedPolicy {
  readonly level: Level;
  /** As requested: `latest`, `v1.25`, `v1.99`. */
  readonly version: string;
  /** The version whose checks run (`v1.37` for `latest`); empty for privileged. */
  readonly evaluatedVersion: string;
  /** The checks that run, in upstream order. */
  readonly checks: readonly CompiledCheck[];
  /** @internal The minor version whose checks run; -1 for privileged. */
  minor: number;
  /** @internal Each check's verdict, in the order of `checks`; empty when `failMask` gives them all. */
  verdicts: readonly ((pod: unknown) => boolean)[];
  /** @internal All verdicts in one generated pass: bit i set when checks[i] fails (up to MAX_FUSED_CHECKS checks). */
  failMask?: (pod: unknown) => number;
  /** @internal The result of every allowed pod, shared. */
  allowed: EvaluationResult;
}

export interface Evaluator {
  /** Judges a v1 Pod (`metadata`, `spec`) at a level and version. Synchronous. */
  evaluate(pod: unknown, options: EvaluateOptions): EvaluationResult;
  /** The checks that run for a level and version (default, or null: latest), in upstream order. */
  resolvePolicy(level: Level | (string & {}), version?: string | null): ResolvedPolicy;
  /**
   * Whether the API server's defaulting differs for this pod between two modes: with `'pod'` and
   * `'template'`, whether the pods a workload creates can be judged otherwise than its template.
   */
  defaultsDiffer(pod: unknown, a: DefaultingMode, b: DefaultingMode): boolean;
  /** The newest policy version the rules know (`latest` means this one). */
  readonly newestVersion: string;
  /** The rules loaded: `table.rules`. */
  readonly table: RuleTable;
  /** What is wrong in `rulesDirs` but does not stop them loading: paths naming no Pod field, comparisons with a value of another type. */
  readonly warnings: readonly RuleProblem[];
}

const DEFAULTING_MODE_SET: ReadonlySet<unknown> = new Set(DEFAULTING_MODES);
// EvaluateOptions spells the modes out for the library's users: it must name exactly these.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const optionNamesTheModes: Same<NonNullable<EvaluateOptions['defaulting']>, DefaultingMode> = true;
void optionNamesTheModes;

function joinReasons(violations: Violation[]): { forbiddenReason: string; forbiddenDetail: string } {
  // Joined, not concatenated: reports keep these, and a rope costs several times its text.
  const reasons: string[] = new Array(violations.length);
  const details: string[] = new Array(violations.length);
  for (let i = 0; i < violations.length; i++) {
    const v = violations[i]!;
    const r = v.reason || 'unknown forbidden reason';
    reasons[i] = r;
    details[i] = v.detail ? `${r} (${v.detail})` : r;
  }
  return { forbiddenReason: reasons.join(', '), forbiddenDetail: details.join(', ') };
}

/** The pod template a workload holds, by where it is; undefined for anything else. */
function templatePath(obj: Record<string, unknown>): string | undefined {
  const spec = obj.spec as Record<string, unknown> | null | undefined;
  if (typeof spec === 'object' && spec !== null) {
    if (spec.template !== undefined && spec.template !== null) return 'spec.template';
    if (spec.jobTemplate !== undefined && spec.jobTemplate !== null) return 'spec.jobTemplate.spec.template';
  }
  return obj.template !== undefined && obj.template !== null ? 'template' : undefined;
}

/**
 * An object without a kind that holds a pod template and no containers of its own: a workload
 * (or its spec), which judged as a pod would always pass. A pod with a stray `template` field
 * (kept by --validate warn) is still a pod.
 */
function looksLikeWorkload(obj: Record<string, unknown>): boolean {
  const spec = obj.spec as { containers?: unknown } | null | undefined;
  return templatePath(obj) !== undefined && (typeof spec !== 'object' || spec === null || spec.containers === undefined || spec.containers === null);
}

/** Why an object is not a pod or a pod template; a workload judged as one would always pass. */
function notAPod(obj: Record<string, unknown>): string {
  const spec = obj.spec;
  if (spec !== undefined && spec !== null && (typeof spec !== 'object' || Array.isArray(spec) || spec instanceof Map)) {
    return `pod.spec must be an object (the pod's spec), not ${Array.isArray(spec) ? 'an array' : spec instanceof Map ? 'a Map' : describeValue(spec)}`;
  }
  if (obj.kind !== undefined && obj.kind !== null && typeof obj.kind !== 'string') return `pod.kind must be "Pod" or absent, not ${describeValue(obj.kind)}`;
  if (typeof obj.kind === 'string' && obj.kind.trim().toLowerCase() === 'pod') return `pod.kind must be "Pod" (exactly: kinds are case-sensitive) or absent, not ${JSON.stringify(obj.kind)}`;
  const what = typeof obj.kind === 'string' && obj.kind ? `a ${obj.kind}` : 'an object with a pod template';
  const inner = templatePath(obj);
  return inner
    ? `evaluate() judges a Pod or a pod template, not ${what}: pass its ${inner}, with defaulting: 'template'`
    : `evaluate() judges a Pod or a pod template, not ${what}`;
}

/** A pod as the evaluator takes it: a plain object, a Pod (not a workload or its template's owner). */
function checkPodArgument(pod: unknown): void {
  if (typeof pod !== 'object' || pod === null || Array.isArray(pod)) {
    throw new PodsecArgumentError(`pod must be an object (a v1 Pod with metadata and spec), not ${pod === null ? 'null' : Array.isArray(pod) ? 'an array' : typeof pod}`);
  }
  // Fields are read as properties: a Map has none, and would pass every check.
  if (pod instanceof Map) throw new PodsecArgumentError(`pod must be a plain object, not a Map: convert it (Object.fromEntries, or a YAML parser's plain-object output)`);
  const { kind, spec } = pod as { kind?: unknown; spec?: unknown };
  if ((kind !== undefined && kind !== null && kind !== 'Pod' && kind !== '') || (spec !== undefined && spec !== null && (typeof spec !== 'object' || Array.isArray(spec) || spec instanceof Map))
      || ((kind === undefined || kind === null || kind === '') && looksLikeWorkload(pod as Record<string, unknown>))) {
    throw new PodsecArgumentError(notAPod(pod as Record<string, unknown>));
  }
}

export function createEvaluator(options: EvaluatorOptions = {}): Evaluator {
  const table = loadRuleTable(options);
  const levels: LevelTables = buildLevelTables(table);
  const defaulting: CompiledDefaulting = compileDefaulting(table.defaulting);
  const newest = table.newestMinor;
  // By level, then version: no key string to build per call.
  const cache = new Map<string, Map<string, ResolvedPolicy>>();
  let cached = 0;
  // One generated function per check list: "latest", "v1.37" and "v1.99" share theirs, and many
  // distinct version labels cost no compilation each.
  const fused = new WeakMap<readonly CompiledCheck[], (pod: unknown) => number>();
  const built = precompiledFused(table);

  // A version of null is the default, as evaluate()'s options take it.
  const resolvePolicy = (levelText: string, versionGiven?: string | null): ResolvedPolicy => {
    const versionText = versionGiven ?? 'latest';
    const hit = cache.get(levelText)?.get(versionText);
    if (hit) return hit;
    if (levelText === undefined || levelText === null) throw new PodsecArgumentError(`level is required: one of ${LEVELS.join(', ')} (there is no default)`);
    if (typeof levelText !== 'string') throw new PodsecArgumentError(`level must be a string: one of ${LEVELS.join(', ')}`);
    if (typeof versionText !== 'string') throw new PodsecArgumentError(`version must be a string: "latest" or "v1.N"`);
    const level = parseLevel(levelText);
    if (level.error) throw new PodsecArgumentError(`invalid level ${JSON.stringify(levelText)}: ${level.error}`);
    const version = parseVersion(versionText);
    if (version.error) throw new PodsecArgumentError(`invalid version ${JSON.stringify(versionText)}: ${version.error} (for example "v1.25")`);
    const minor = level.level === 'privileged' ? -1 : Math.min(version.version.minor, newest);
    const checks = minor < 0 ? [] : level.level === 'baseline' ? levels.baseline[minor]! : levels.restricted[minor]!;
    const evaluatedVersion = minor < 0 ? '' : `v1.${minor}`;
    const allowed: EvaluationResult = Object.freeze({
      allowed: true,
      violations: Object.freeze([]) as unknown as Violation[],
      forbiddenReason: '',
      forbiddenDetail: '',
      version: versionText,
      evaluatedVersion,
      level: level.level,
    });
    let failMask = fused.get(checks);
    if (!failMask && checks.length > 0 && checks.length <= MAX_FUSED_CHECKS) fused.set(checks, (failMask = built(checks) ?? fuseChecks(checks)));
    const verdicts = failMask ? [] : checks.map((c) => c.fails);
    // Shared by every later call with these arguments: a caller's edits must not reach them.
    const policy: ResolvedPolicy = Object.freeze({ level: level.level, version: versionText, minor, evaluatedVersion, checks, verdicts: Object.freeze(verdicts), failMask, allowed });
    if (++cached > 1000) {
      cache.clear();
      cached = 1;
    }
    let byVersion = cache.get(levelText);
    if (!byVersion) cache.set(levelText, (byVersion = new Map()));
    byVersion.set(versionText, policy);
    return policy;
  };

  let lastLevel: unknown;
  let lastVersion: unknown;
  let lastPolicy: ResolvedPolicy | undefined;

  const evaluate = (pod: unknown, opts: EvaluateOptions): EvaluationResult => {
    checkPodArgument(pod);
    if (typeof opts !== 'object' || opts === null) throw new PodsecArgumentError('options must be an object: { level, version }');
    // A misspelt option (verison, default) would silently judge at latest or with pod defaulting.
    for (const key in opts) {
      if (key !== 'level' && key !== 'version' && key !== 'defaulting') throw new PodsecArgumentError(`unknown option ${JSON.stringify(key)}: the options are level, version, defaulting`);
    }
    let policy: ResolvedPolicy;
    if (opts.level === lastLevel && opts.version === lastVersion && lastPolicy) policy = lastPolicy;
    else {
      policy = resolvePolicy(opts.level, opts.version ?? 'latest');
      lastLevel = opts.level;
      lastVersion = opts.version;
      lastPolicy = policy;
    }
    const mode = opts.defaulting === undefined ? 'pod' : opts.defaulting;
    if (mode !== 'pod' && !DEFAULTING_MODE_SET.has(mode)) throw new PodsecArgumentError(`defaulting must be one of ${DEFAULTING_MODES.join(', ')}, not ${describeValue(mode)}`);
    if (policy.checks.length === 0) return policy.allowed;
    const subject = defaulting.apply(pod, mode);
    let failed: CompiledCheck[] | undefined;
    if (policy.failMask) {
      const mask = policy.failMask(subject);
      if (mask === 0) return policy.allowed;
      failed = [];
      for (let i = 0, rest = mask; rest !== 0; i++, rest >>>= 1) if (rest & 1) failed.push(policy.checks[i]!);
    } else {
      const verdicts = policy.verdicts;
      for (let i = 0; i < verdicts.length; i++) {
        if (verdicts[i]!(subject)) (failed ??= []).push(policy.checks[i]!);
      }
    }
    if (!failed) return policy.allowed;
    const violations: Violation[] = new Array(failed.length);
    for (let i = 0; i < failed.length; i++) {
      const check = failed[i]!;
      const { reason, detail, fields } = check.explain(subject);
      violations[i] = { checkId: check.id, reason, detail, fields };
    }
    const { forbiddenReason, forbiddenDetail } = joinReasons(violations);
    return {
      allowed: false,
      violations,
      forbiddenReason,
      forbiddenDetail,
      version: policy.version,
      evaluatedVersion: policy.evaluatedVersion,
      level: policy.level,
    };
  };

  const defaultsDiffer = (pod: unknown, a: DefaultingMode, b: DefaultingMode): boolean => {
    if (!DEFAULTING_MODE_SET.has(a) || !DEFAULTING_MODE_SET.has(b)) {
      throw new PodsecArgumentError(`defaulting must be one of ${DEFAULTING_MODES.join(', ')}, not ${describeValue(DEFAULTING_MODE_SET.has(a) ? b : a)}`);
    }
    checkPodArgument(pod);
    return defaulting.differs(pod as object, a, b);
  };

  return { evaluate, resolvePolicy, defaultsDiffer, newestVersion: `v1.${newest}`, table, warnings: table.warnings };
}
