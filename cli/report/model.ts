/**
 * The result of `podsec check`, and the single source of schemas/report.schema.json
 * (scripts/write-report-schema.mjs): doc comments are its descriptions, tags its constraints.
 */
import type { Level } from '../../engine/api.js';

export type Mode = 'enforce' | 'warn' | 'audit';

/**
 * Where the object starts; items gives its position inside (nested) Lists.
 * @definition source
 */
export interface Source {
  /** As given on the command line (or `<stdin>`), with `/` separators. */
  file: string;
  /**
   * 0-based index of the document in its file's stream.
   * @minimum 0
   */
  index: number;
  /**
   * 1-based line where the object starts.
   * @minimum 1
   */
  line: number;
  /** @minimum 1 */
  column: number;
  /**
   * For an object inside a List: its position in `items`, outermost first.
   * @minimum 0
   */
  items?: number[];
  /** The chart template that rendered the object, from the `# Source:` comment `helm template` writes before each document. */
  renderedFrom?: string;
}

/** @definition location */
export interface Location {
  /** Field path inside the whole object, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  path: string;
  /**
   * Where the field is, or its nearest written ancestor when the field is absent.
   * @minimum 1
   */
  line: number;
  /** @minimum 1 */
  column: number;
  /** False when the field is absent, and line and column are those of its nearest written ancestor. */
  present: boolean;
}

/** @definition violation */
export interface ReportViolation {
  checkId: string;
  reason: string;
  detail: string;
  locations: Location[];
  /**
   * The modes whose evaluation found this violation (enforce, warn, audit order); the resource's policy gives each mode's level and version.
   * @minItems 1
   */
  modes: Mode[];
}

/**
 * One mode's evaluation of the resource, as admission makes it.
 * @definition evaluation
 */
export interface ModeEvaluation {
  mode: Mode;
  level: Level;
  /**
   * As requested: `latest`, `v1.25`.
   * @pattern policyVersion
   */
  version: string;
  /**
   * The minor version whose checks ran, e.g. `v1.37`; empty for a Namespace refused for its labels.
   * @pattern minorVersionOrEmpty
   */
  evaluatedVersion: string;
  allowed: boolean;
  /** The upstream message when not allowed: `violates PodSecurity …` (enforce) or `would violate PodSecurity …` (warn, audit); empty when allowed. */
  message: string;
}

/** @definition levelVersion */
export interface LevelVersionText {
  level: Level;
  /** @pattern policyVersion */
  version: string;
}

/**
 * The policy the resource was judged by, and the mode reported.
 * @definition resourcePolicy
 */
export interface ResourcePolicy {
  /** The mode whose evaluation is reported: the first failing one, else the first evaluated; null when every mode is privileged or the resource is exempt. */
  mode: Mode | null;
  level: Level;
  /**
   * As requested: `latest`, `v1.25`.
   * @pattern policyVersion
   */
  version: string;
  /**
   * The minor version whose checks ran, e.g. `v1.37`; empty when none ran.
   * @pattern minorVersionOrEmpty
   */
  evaluatedVersion: string;
  /** Where the policy came from: `--level`/`--version`, the namespace's labels, `--config`'s defaults, or podsec's default. */
  source: 'flags' | 'namespace' | 'config' | 'default';
  enforce: LevelVersionText;
  audit: LevelVersionText;
  warn: LevelVersionText;
}

/** @definition resource */
export interface ResourceResult {
  source: Source;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** `pod`: a Pod, judged as admission would; `template`: a workload's pod template, judged as warn and audit would, and as enforce will judge the pods it makes; `namespace`: a Namespace with invalid pod-security labels. */
  subject: 'pod' | 'template' | 'namespace';
  policy: ResourcePolicy;
  /** Set when a configured exemption applies; the resource is then not judged. */
  exempt?: 'namespace' | 'user' | 'runtimeClass';
  allowed: boolean;
  /** Every failing mode's violations, each once (by check and detail), with the modes that found it. */
  violations: ReportViolation[];
  /** The upstream message of the mode in `policy.mode`: `violates PodSecurity "level:version": …` (enforce) or `would violate PodSecurity …` (warn, audit); empty when allowed. */
  message: string;
  /**
   * Each mode evaluated, as admission evaluates them: enforce and audit for a Pod (and warn when
   * enforce allows it), warn and audit for a template, and enforce too when it judges at another
   * level or version than both (as it will judge the pods the template makes; a PodTemplate makes
   * none); none for privileged modes or exempt resources.
   */
  evaluations: ModeEvaluation[];
}

/** `warn baseline:latest, audit restricted:latest`: modes with the level and version each has for a resource, alike ones joined (`enforce+audit restricted:latest`). */
export function modesText(r: ResourceResult, modes: readonly Mode[]): string {
  // Invalid PodSecurity labels: the API server refuses the Namespace itself, under any policy.
  if (r.subject === 'namespace') return NAMESPACE_REFUSED;
  const byPolicy = new Map<string, Mode[]>();
  for (const mode of modes) {
    const key = `${r.policy[mode].level}:${r.policy[mode].version}`;
    const list = byPolicy.get(key);
    if (list) list.push(mode);
    else byPolicy.set(key, [mode]);
  }
  return [...byPolicy].map(([lv, list]) => `${list.join('+')} ${lv}`).join(', ');
}

/** @definition notEvaluated */
export interface NotEvaluated {
  source: Source;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  reason: string;
}

/**
 * An input, document or object that could not be evaluated, or (in warnings) a finding about one.
 * @definition error
 */
export interface ReportError {
  file: string;
  /** @minimum 0 */
  index?: number;
  /** @minimum 1 */
  line?: number;
  /** @minimum 1 */
  column?: number;
  kind?: string;
  /** The object's namespace, once known (as resources give it: the default for a pod-bearing kind that names none). */
  namespace?: string;
  name?: string;
  message: string;
  hint: string;
  /** The chart template that rendered the document, from the `# Source:` comment `helm template` writes before each document. */
  renderedFrom?: string;
  /** True for a problem in a rule file (`--rules-dir`): no input was judged. */
  ruleProblem?: boolean;
}

/** @definition summary */
export interface Summary {
  /** @minimum 0 */
  files: number;
  /** @minimum 0 */
  documents: number;
  /**
   * Resources judged (allowed + denied); exempt ones are counted separately.
   * @minimum 0
   */
  checked: number;
  /** @minimum 0 */
  allowed: number;
  /** @minimum 0 */
  denied: number;
  /** @minimum 0 */
  exempt: number;
  /** @minimum 0 */
  violations: number;
  /** @minimum 0 */
  notEvaluated: number;
  /** @minimum 0 */
  errors: number;
  /** @minimum 0 */
  warnings: number;
}

/**
 * The report of `podsec check`: every judged resource with its policy, verdict, violations and their locations; the objects not evaluated; the inputs that could not be evaluated; and a summary.
 * @title podsec check --format json
 */
export interface Report {
  tool: { name: 'podsec'; version: string };
  policy: {
    /** `--level`, or null. */
    level: Level | null;
    /** `--version`, or null. */
    version: string | null;
    /** The policy of objects outside a labelled namespace. */
    default: LevelVersionText;
    /** The `--config` file, or null. */
    config: string | null;
    /**
     * The version `latest` stands for.
     * @pattern minorVersion
     */
    newestVersion: string;
  };
  /** The inputs, in the order read. */
  files: string[];
  resources: ResourceResult[];
  notEvaluated: NotEvaluated[];
  errors: ReportError[];
  /** Judged all the same, but worth fixing: a key given twice, an unknown field under `--validate warn`, a misspelt PodSecurity label. Also printed on stderr. */
  warnings: ReportError[];
  summary: Summary;
  /** 0 nothing denied, 1 something denied, 2 an input could not be evaluated. */
  exitCode: 0 | 1 | 2;
}

export const NAMESPACE_REFUSED = 'refused by the API server, whatever the policy';

/** The finding for a Namespace whose PodSecurity labels are invalid: no check of a level, but reported as one. */
export const NAMESPACE_RULE = {
  id: 'namespaceLabels',
  name: 'NamespaceInvalidPodSecurityLabels',
  title: 'Pod Security namespace labels',
  summary: 'The pod-security.kubernetes.io labels of a Namespace must name a level (privileged, baseline, restricted) and a version ("latest" or "v1.N"); the API server rejects a Namespace whose labels do not.',
  standard: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces',
  fix: 'Give each pod-security.kubernetes.io label a valid value: `enforce`, `audit` and `warn` one of privileged, baseline or restricted (lower case); their `-version` labels `latest` or `v1.N`.',
  level: 'namespace',
};
