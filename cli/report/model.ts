/** The result of `podsec check`, as described by schemas/report.schema.json. */

export type Mode = 'enforce' | 'warn' | 'audit';

export interface Source {
  /** As given on the command line (or `<stdin>`), with `/` separators. */
  file: string;
  /** 0-based index of the document in its file's stream. */
  index: number;
  /** 1-based line where the object starts. */
  line: number;
  column: number;
  /** For an object inside a List: its position in `items`, outermost first. */
  items?: number[];
  /** The chart template that rendered the object (`helm template`'s `# Source:` comment). */
  renderedFrom?: string;
}

export interface Location {
  /** Field path inside the whole object, e.g. `spec.template.spec.containers[0].securityContext`. */
  path: string;
  /** Where the field is, or its nearest written ancestor when the field is absent. */
  line: number;
  column: number;
  /** False when the field is not written and the position is that of its nearest ancestor. */
  present: boolean;
}

export interface ReportViolation {
  checkId: string;
  reason: string;
  detail: string;
  locations: Location[];
  /** The modes whose evaluation found it (enforce, warn, audit order); `policy[mode]` says at which level and version. */
  modes: Mode[];
}

/** One mode's evaluation of a resource, as admission would make it. */
export interface ModeEvaluation {
  mode: Mode;
  level: string;
  /** As requested: `latest`, `v1.25`. */
  version: string;
  evaluatedVersion: string;
  allowed: boolean;
  /** The upstream message when not allowed: `violates PodSecurity …` (enforce) or `would violate …`; else empty. */
  message: string;
}

export interface LevelVersionText {
  level: string;
  version: string;
}

export interface ResourcePolicy {
  /** The mode whose evaluation is reported (the first failing one, else the first evaluated). */
  mode: Mode | null;
  level: string;
  /** As requested: `latest`, `v1.25`. */
  version: string;
  /** The minor version whose checks ran, e.g. `v1.37`; empty for privileged. */
  evaluatedVersion: string;
  /** Where the policy came from. */
  source: 'flags' | 'namespace' | 'config' | 'default';
  enforce: LevelVersionText;
  audit: LevelVersionText;
  warn: LevelVersionText;
}

export interface ResourceResult {
  source: Source;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** `pod` for Pods (judged as admission would), `template` for workloads' pod templates. */
  subject: 'pod' | 'template' | 'namespace';
  policy: ResourcePolicy;
  /** Set when a configured exemption applies; the resource is then not judged. */
  exempt?: 'namespace' | 'user' | 'runtimeClass';
  allowed: boolean;
  /** Every failing mode's violations, each once (by check and detail), with the modes that found it. */
  violations: ReportViolation[];
  /** The upstream message of the mode in `policy.mode`: `violates PodSecurity "…": …` or `would violate PodSecurity "…": …`. */
  message: string;
  /**
   * Each mode evaluated, as admission evaluates them: enforce and audit for a Pod (and warn when
   * enforce allows it), warn and audit for a template, and enforce too when it judges at another
   * level or version than both (as it will judge the pods the template makes; a PodTemplate makes none); privileged modes
   * and exempt resources have none.
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

export interface NotEvaluated {
  source: Source;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  reason: string;
}

export interface ReportError {
  file: string;
  index?: number;
  line?: number;
  column?: number;
  kind?: string;
  name?: string;
  message: string;
  hint: string;
  /** The chart template that rendered the document, from helm's `# Source:` comment. */
  renderedFrom?: string;
}

export interface Summary {
  files: number;
  documents: number;
  /** Resources judged (allowed + denied); exempt ones are counted separately. */
  checked: number;
  allowed: number;
  denied: number;
  exempt: number;
  violations: number;
  notEvaluated: number;
  errors: number;
  warnings: number;
}

export interface Report {
  tool: { name: 'podsec'; version: string };
  policy: {
    /** `--level`/`--version` when given, else null. */
    level: string | null;
    version: string | null;
    /** What a resource outside a labelled namespace gets. */
    default: LevelVersionText;
    config: string | null;
    newestVersion: string;
  };
  /** The inputs, in the order read. */
  files: string[];
  resources: ResourceResult[];
  notEvaluated: NotEvaluated[];
  errors: ReportError[];
  /** What is judged all the same but worth fixing: keys given twice, unknown fields under --validate warn, misspelt PodSecurity labels. */
  warnings: ReportError[];
  summary: Summary;
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
