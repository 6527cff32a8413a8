/**
 * The core of `podsec check`: manifests in, a Report out. No I/O here, so the benchmark and
 * the tests can run it in-process.
 */
import { posix } from 'node:path';
import {
  DEFAULT_POLICY, enforceTightened, fullyPrivileged, LABEL_PREFIX, POLICY_LABELS, policyToEvaluate, levelVersionString, type LevelVersion, type Policy } from '../../admission/policy.js';
import { enforceMessage, exemptNamespaceWarning, wouldViolateMessage, invalidMessage } from '../../admission/messages.js';
import { CONTAINER_LISTS, groupVersionString, podSpecKind, POD_SPEC_KINDS, type JsonObject } from '../../admission/extract.js';
import { fieldErrorBody } from '../../admission/gostrings.js';
import { isNamespaceName, NAMESPACE_NAME_RULE, type AdmissionConfig, type ConfigProblem } from '../../admission/config.js';
import { formatFieldPath, type EvaluateOptions, type Evaluator, type EvaluationResult, type Level } from '../../engine/index.js';
import { formatVersion, parseVersion } from '../../engine/version.js';
import { parseManifests, templateSyntaxHint, type ManifestDocument } from '../manifest/read.js';
import type {
  LevelVersionText,
  Location,
  Mode,
  ModeEvaluation,
  NotEvaluated,
  Report,
  ReportError,
  ReportViolation,
  ResourcePolicy,
  ResourceResult,
  Source,
  Summary,
} from '../report/model.js';
import { NAMESPACE_RULE } from '../report/model.js';
import type { ProgressEvent } from '../progress.js';
import { describeValue, invisibleKeyHint, invisiblySpelt, quoteHint, unknownFieldMessage, validateObjectFields, type FieldTypeError } from './validate.js';
import { withZeroValues } from '../../admission/field-types.js';
import { refusalField, refusedVolumes, specRefusals, type SpecRefusal } from '../../admission/pod-spec-refusals.js';
import { workloadSpecRefusals } from '../../admission/workload-spec-refusals.js';
import { labelAndAnnotationRefusals, objectMetaRefusals, podSpecAsMade, type MetaRefusal } from '../../admission/object-meta.js';
import { podNameRefusals, type NameRefusal } from '../../admission/pod-names.js';
import { closestKey, editDistance } from '../../engine/nearest.js';
import { nowMs } from '../clock.js';
import { printableGlob } from '../report/text.js';

export interface CheckInput {
  /** Name shown in reports. */
  file: string;
  content?: string | Uint8Array;
  /** Set when the input could not be read; the run reports it and goes on. */
  error?: { message: string; hint: string };
  /** Standard input: an empty one most often means that the command before the pipe failed. */
  stdin?: boolean;
  /** Found in a directory searched (as typed): `--exclude` can leave it out. */
  searched?: string;
}

export interface CheckOptions {
  evaluator: Evaluator;
  /** Explicit --level / --version: they replace any namespace or configured policy. */
  level?: Level;
  version?: string;
  config?: AdmissionConfig;
  configFile?: string;
  /** Namespace of objects that do not name one (kubectl's default is `default`). */
  namespace?: string;
  /** Whether the namespace was asked for (`-n`), as `kubectl apply -n` is: an object naming another one is said to be refused. */
  namespaceGiven?: boolean;
  /** The requesting user, for username exemptions. */
  user?: string;
  toolVersion?: string;
  onProgress?: (event: ProgressEvent) => void;
  /** Filled with each input's decoded text (what report lines and columns refer to). */
  sources?: Map<string, string>;
  /** Filled with milliseconds spent reading and evaluating. */
  timings?: { read: number; evaluate: number };
  /**
   * kubectl's --validate: `strict` (its default) refuses a field the object's type does not
   * have; `warn` judges the object without it and reports it to `onWarning`; `ignore` says nothing.
   */
  fieldValidation?: 'strict' | 'warn' | 'ignore';
  onWarning?: (warning: ReportError) => void;
  /**
   * Warnings about the files the run is set up with (rules from --rules-dir, the --config file):
   * listed first among the report's warnings, and not passed to `onWarning` (told already).
   */
  setupWarnings?: readonly ReportError[];
  /**
   * Problems that kept the run from judging anything (rule files that do not load): the report's
   * first errors, so that a report is still written, saying why, where a stale one would remain.
   */
  setupErrors?: readonly ReportError[];
  /**
   * Called once at the end when two or more files found in the directories searched are no
   * manifests (a chart's, kustomize's, Compose's or another tool's files), with the `--exclude`
   * each one's hint suggests.
   */
  onNotManifests?: (suggestions: ExcludeSuggestion[]) => void;
  /** How the command is typed (default `podsec`; `kubectl podsec` as a plugin), for hints that say what to run. */
  command?: string;
}

/** A file in a directory searched that is no manifest, and the `--exclude` that leaves it out. */
export interface ExcludeSuggestion {
  file: string;
  /** The directory searched, as typed. */
  searched: string;
  pattern: string;
  /** `--exclude PATTERN`, quoted for a shell. */
  option: string;
}

/**
 * The group versions Kubernetes has served each kind in, current first (k8s.io/api's types);
 * the older ones are judged as the current one.
 */
const SERVED_VERSIONS: Record<string, readonly string[]> = {
  Pod: ['v1'],
  ReplicationController: ['v1'],
  PodTemplate: ['v1'],
  Namespace: ['v1'],
  Deployment: ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1'],
  StatefulSet: ['apps/v1', 'apps/v1beta2', 'apps/v1beta1'],
  DaemonSet: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'],
  ReplicaSet: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'],
  Job: ['batch/v1'],
  CronJob: ['batch/v1', 'batch/v1beta1', 'batch/v2alpha1'],
};

/**
 * The Kubernetes minor release that stopped serving the older group versions above: a manifest
 * still in one is judged, with a warning, as kubectl apply fails on newer clusters.
 */
const SERVED_UNTIL: Readonly<Record<string, number>> = {
  'apps/v1beta1': 16,
  'apps/v1beta2': 16,
  'extensions/v1beta1': 16,
  'batch/v2alpha1': 21,
  'batch/v1beta1': 25,
};

/** The API groups of each pod-bearing kind, current first. */
const KIND_GROUPS: Record<string, readonly string[]> = Object.fromEntries(
  POD_SPEC_KINDS.map((kind) => [kind, [...new Set(SERVED_VERSIONS[kind]!.map(groupOf))]]));

/** The built-in groups those kinds are in: a miscased kind in one of them is a misspelling. */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set(Object.values(KIND_GROUPS).flat());

/**
 * Every kind the API server serves in the built-in groups above, in any version (k8s.io/api): a
 * kind not among them is no object kubectl can apply ("no matches for kind"), most often a
 * misspelt one, which listed as not evaluated would let a workload through the check unseen.
 */
const GROUP_KINDS: Readonly<Record<string, readonly string[]>> = {
  '': ['Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume',
    'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'],
  apps: ['ControllerRevision', 'DaemonSet', 'Deployment', 'DeploymentRollback', 'ReplicaSet', 'StatefulSet'],
  batch: ['CronJob', 'Job'],
  extensions: ['DaemonSet', 'Deployment', 'DeploymentRollback', 'Ingress', 'NetworkPolicy', 'PodSecurityPolicy', 'ReplicaSet', 'ReplicationControllerDummy'],
};

/** Whether `kind` is one of `group`'s kinds, or a list of them (`List` is core's). */
function isGroupKind(group: string, kind: string): boolean {
  const kinds = GROUP_KINDS[group]!;
  return kinds.includes(kind) || (kind.endsWith('List') && (kinds.includes(kind.slice(0, -4)) || (group === '' && kind === 'List')));
}

/** A known kind by its lower-case spelling, to name the kind a miscased one meant. */
const KNOWN_KINDS = new Map([...Object.keys(KIND_GROUPS), 'Namespace'].map((k) => [k.toLowerCase(), k]));

const POD_MODES: readonly Mode[] = ['enforce', 'warn', 'audit'];
const TEMPLATE_MODES: readonly Mode[] = ['warn', 'audit'];
/** No built-in controller makes pods from a PodTemplate: there is no enforce verdict to foresee. */
const MAKES_NO_PODS: ReadonlySet<string> = new Set(['PodTemplate']);

/** One evaluation of a policy: the modes to run, with their engine options built once. */
interface Step {
  mode: Mode;
  lv: LevelVersion;
  key: string;
  opts: EvaluateOptions;
  view?: ResourcePolicy;
  viewSource?: ResourcePolicy['source'];
  evaluatedVersion: string;
  passed?: ModeEvaluation;
}

/** A mode an object fails, with its evaluation and upstream's message. */
interface Failed {
  step: Step;
  r: EvaluationResult;
  message: string;
}

interface Plan {
  steps: Step[];
  /** ResourcePolicy views by source, mode and evaluated version */
  views: Map<string, ResourcePolicy>;
  /** The evaluations of an object every step allows */
  passed?: ModeEvaluation[];
  /** Lists of failing modes, shared by the violations that all of them found */
  modes: Map<string, Mode[]>;
  /** For a template: what the pods it creates will be judged at (enforce), unless privileged. */
  enforceForPods?: Step;
  /**
   * enforceForPods where a step already judges the template at its level and version: it runs
   * only for a template the API server would default otherwise as a pod, for the words differ.
   */
  podsApart?: { step: Step; steps: Step[] };
}

const NO_REFUSALS: readonly SpecRefusal[] = Object.freeze([]);
const NO_NAME_REFUSALS: readonly NameRefusal[] = Object.freeze([]);
const NO_META_REFUSALS: readonly MetaRefusal[] = Object.freeze([]);
const NO_EVALUATIONS: ModeEvaluation[] = Object.freeze([]) as unknown as ModeEvaluation[];

const DEFAULT_LV: LevelVersion = { level: 'restricted', version: parseVersion('latest').version };

interface Pending {
  doc: ManifestDocument;
  obj: JsonObject;
  /** Path of the object inside its document (non-empty for List items). */
  at: (string | number)[];
  items: number[];
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
}

interface NamespaceEntry {
  policy: Policy;
  labelled: boolean;
  /** Its PodSecurity labels as written (`enforce=restricted, warn=baseline`), and where. */
  labelText: string;
  file: string;
  index: number;
  /** How the Namespace itself is reported: rejected for invalid labels, or not evaluated. */
  resource?: ResourceResult;
  notEvaluated?: NotEvaluated;
}

interface Chosen {
  policy: Policy;
  src: ResourcePolicy['source'];
  /** Its namespace's labels are invalid: admission then evaluates even a fully privileged policy. */
  invalidLabels?: boolean;
}

/** An object judged while reading, and where to find it again. */
interface Judged extends Chosen {
  /** index in the results */
  result: number;
  input: number;
  /** document index in its input */
  index: number;
  at: (string | number)[];
  namespace: string;
}

function objectKey(index: number, at: readonly (string | number)[]): string {
  return at.length === 0 ? String(index) : `${index}/${at.join('/')}`;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A wrongly typed value for a message: quoted when short, else named by its type. */
function shown(v: unknown): string {
  if (typeof v === 'boolean' || typeof v === 'number') return `the ${typeof v} ${v}`;
  const text = JSON.stringify(v);
  if (text.length <= 60) return text;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40) + '…')}`;
  return Array.isArray(v) ? 'a list' : 'a mapping';
}

/** An object as messages name it: `Pod web`, or `Pod (unnamed)` when it has no name. */
/** Keys given twice that one input lists as warnings; the rest are counted in one more. */
export const MAX_DUPLICATE_WARNINGS = 100;

/** As the report names resources: `Kind namespace/name`. */
function shownObject(kind: string, name: string, namespace = ''): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name || '(unnamed)'}`;
}

/** The part of a path the object has: where to report a field that is missing. */
function presentPart(obj: JsonObject, path: readonly (string | number)[]): (string | number)[] {
  let depth = 0;
  for (let node: unknown = obj; depth < path.length && typeof node === 'object' && node !== null && Object.hasOwn(node, path[depth]!); depth++) {
    node = (node as Record<string | number, unknown>)[path[depth]!];
  }
  return path.slice(0, depth);
}

/** Whether every container of a list (or no list) has a name and an image. */
function allNamed(items: unknown): boolean {
  if (!Array.isArray(items)) return true;
  for (let i = 0; i < items.length; i++) {
    const ctr: unknown = items[i];
    if (!isObject(ctr)) return false;
    const { name, image } = ctr;
    if (typeof name !== 'string' || name === '' || typeof image !== 'string' || image === '') return false;
  }
  return true;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const ADD_KIND = 'add "kind:" (for example kind: Deployment); podsec cannot tell what the object is without it';
const NOT_AN_OBJECT = 'nothing in it says a Kubernetes object (no apiVersion, kind or metadata)';

/** An `--exclude` pattern quoted for a POSIX shell, as it will be pasted: in single quotes nothing is special ($, `, \ and ! included); a ' ends them, so it is written '\''. */
export function shellQuoted(pattern: string): string {
  return /^[\w./-]+$/.test(pattern) ? pattern : `'${pattern.replace(/'/g, "'\\''")}'`;
}

/** The directory kustomize would build for a kustomization file read from `file`, for a command to paste. */
function kustomizeDir(file: string, fromStdin: boolean): string {
  if (fromStdin) return 'DIR';
  const slash = file.lastIndexOf('/');
  return shellQuoted(slash < 0 ? '.' : slash === 0 ? '/' : file.slice(0, slash));
}

/** Where in an object a pod spec is (an object with a containers list), a few levels down at most. */
function podSpecPath(value: unknown, path: string[] = []): string[] | undefined {
  if (!isObject(value) || path.length > 5) return undefined;
  if (path.length > 0 && Array.isArray(value.containers)) return path;
  for (const key of Object.keys(value)) {
    const found = podSpecPath(value[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Why an object of a kind podsec does not judge was not evaluated. A custom resource may hold a
 * pod template (an Argo Rollout's): its controller's pods are judged when they are created.
 */
function customResourceReason(kind: string, group: string, obj: JsonObject): string {
  if (kind === 'PodSecurityPolicy' && (group === 'policy' || group === 'extensions')) {
    return 'PodSecurityPolicy: the admission plugin PodSecurity replaced, removed in Kubernetes 1.25; no pod spec (podsec judges pods by the Pod Security Standards, not by it)';
  }
  // Kubernetes' own groups are the core one, dotless ones (apps, batch) and *.k8s.io.
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `${kind}: no pod spec`;
  const at = podSpecPath(obj.spec, ['spec']);
  const held = at ? `; it holds a pod spec at ${at.join('.')}: admission judges the pods its controller makes from it when they are created, which podsec cannot foresee` : '';
  return `${kind}: a custom resource (${group}), which PodSecurity admission does not judge${held}`;
}

/** A Helm chart's own files, by name. */
const CHART_FILE = /^Chart\.ya?ml$/;
const VALUES_FILE = /^values([-._].*)?\.ya?ml$/;

/**
 * The `--exclude` pattern that leaves a file that is no manifest out of a search of the directory
 * `searched` (as typed; `file` as that search shows it): a chart's folder for its Chart.yaml
 * (undefined when that folder is the one searched), a values file's name at any depth, else the
 * file alone. Glob characters in names match themselves only inside [ ].
 */
export function excludePatternFor(file: string, searched: string): string | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const dir = file.slice(0, Math.max(0, file.lastIndexOf('/')));
  const literal = (path: string) => printableGlob(path.replace(/[*?[\]]/g, (c) => `[${c}]`));
  if (CHART_FILE.test(name)) {
    // The chart's folder is the directory searched: no pattern leaves that out.
    // Its files' paths are normalized (`./chart` shows as chart/Chart.yaml): so is the directory.
    if (dir === '' || dir === '.' || dir === posix.normalize(searched).replace(/(.)\/+$/, '$1')) return undefined;
    return anchoredPattern(dir);
  }
  // A chart's values file by its name at any depth (no glob: values-*.yaml may be manifests).
  if (VALUES_FILE.test(name)) return literal(name);
  return anchoredPattern(file);
}

/** The `--exclude` pattern that leaves out this file and no other of the same name. */
export function anchoredPattern(file: string): string {
  // ./ anchors a name to the directory searched, and keeps a leading ! from reading as a negation.
  const asPath = file.includes('/') && !file.startsWith('!') ? file : `./${file}`;
  return printableGlob(asPath.replace(/[*?[\]]/g, (c) => `[${c}]`));
}

/**
 * What a file without kinds is when its name says so (a chart's, kustomize's, Compose's), or
 * when nothing in it looks like an object, and what to do: check what it makes, and leave it out
 * with an `--exclude` that names it alone, or, when it was named on the command line, stop naming it.
 */
function notAManifest(input: CheckInput, value: JsonObject, documentIndex: number, command: string): { hint: string; exclude?: ExcludeSuggestion } | undefined {
  const file = input.file;
  const name = file.slice(file.lastIndexOf('/') + 1);
  const searched = input.searched;
  let exclude: ExcludeSuggestion | undefined;
  const leaveOut = () => {
    if (searched === undefined) return `do not pass ${file} to ${command} check`;
    const pattern = excludePatternFor(file, searched)!;
    exclude = { file, searched, pattern, option: `--exclude ${shellQuoted(pattern)}` };
    return `leave it out of the check (${exclude.option})`;
  };

  function whatItIs(): string | undefined {
    if (CHART_FILE.test(name)) {
      const render = `${name} describes a Helm chart, not a Kubernetes object: check what the chart renders (helm template CHART | ${command} check -)`;
      if (searched !== undefined && excludePatternFor(file, searched) === undefined) return `${render} instead of the chart's folder`;
      return `${render}, and ${leaveOut()}`;
    }
    if (VALUES_FILE.test(name)) return `${name} looks like a Helm chart's values, not a Kubernetes object: check what the chart renders (helm template CHART${name === 'values.yaml' ? '' : ` -f ${name}`} | ${command} check -), and ${leaveOut()}`;
    if (/^kustomization\.ya?ml$/.test(name)) return `${name} tells kustomize how to build manifests: check what it builds (kubectl kustomize ${kustomizeDir(file, input.stdin === true)} | ${command} check -), and ${leaveOut()}`;
    if (/^(docker-)?compose([-.].*)?\.ya?ml$/.test(name)) return `${name} looks like a Docker Compose file, not a Kubernetes manifest: ${leaveOut()}`;
    // Not even the start of an object (package.json, tsconfig.json, a CI workflow): another kind of file.
    if (documentIndex === 0 && value.apiVersion === undefined && value.metadata === undefined) {
      return `${NOT_AN_OBJECT}: if ${name} is another kind of file, ${leaveOut()}; if it is a manifest, add apiVersion, kind and metadata`;
    }
    return undefined;
  }

  const hint = whatItIs();
  return hint === undefined ? undefined : { hint, ...(exclude !== undefined ? { exclude } : {}) };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function lvText(lv: LevelVersion): LevelVersionText {
  return { level: lv.level, version: formatVersion(lv.version) };
}

function hasValue(root: unknown, path: readonly (string | number)[]): boolean {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string | number, unknown>)[seg];
    if (cur === undefined) return false;
  }
  return true;
}

const LABEL_SUFFIXES = POLICY_LABELS.map((l) => l.slice(LABEL_PREFIX.length));

/** Whether a namespace's labels say anything admission reads (a misspelt label says nothing). */
function podSecurityLabels(labels: Record<string, string>): boolean {
  return POLICY_LABELS.some((k) => Object.hasOwn(labels, k));
}

/** What a `--config` file warns of, as the report's warnings give it. */
export function configWarning(w: ConfigProblem, configFile: string): ReportError {
  return { file: w.file ?? configFile, ...(w.line !== undefined ? { line: w.line, column: w.column ?? 1 } : {}), message: w.message, hint: 'the configuration is used as the API server would use it' };
}

/** What the rules warn of (`--rules-dir`), as the report's warnings give it. */
export function ruleWarnings(evaluator: Evaluator): ReportError[] {
  return evaluator.warnings.map((w) => ({ file: w.file, line: w.line, column: w.column, message: w.message, hint: w.hint }));
}

export function checkManifests(inputs: readonly CheckInput[], options: CheckOptions): Report {
  const { evaluator } = options;
  const command = options.command ?? 'podsec';
  const defaultNamespace = options.namespace ?? 'default';
  const errors: ReportError[] = [];
  const warnings: ReportError[] = [];
  /** The error of the current file that calls it another kind of file, and whether it holds objects. */
  let fileGuess: ReportError | undefined;
  let fileGuessExclude: ExcludeSuggestion | undefined;
  let fileHasObjects = false;
  /** The files in the directories searched that are no manifests, and what leaves each out. */
  const notManifests: ExcludeSuggestion[] = [];
  /** Warnings about one judgement of an object, by its place in `resources`: dropped when it is judged again. */
  const podWarnings = new Map<number, ReportError>();
  const warn = (w: ReportError): void => {
    warnings.push(w);
    options.onWarning?.(w);
  };
  const moreDuplicates = (file: string, count: number): void => {
    if (count <= MAX_DUPLICATE_WARNINGS || again) return;
    warn({ file, message: `${count - MAX_DUPLICATE_WARNINGS} more keys are given twice in one mapping in this file (the first ${MAX_DUPLICATE_WARNINGS} are listed); the last value of each is used`, hint: 'the file is probably generated: fix what writes it' });
  };
  const notEvaluated: NotEvaluated[] = [];
  // Entries set to null were judged again (see `rejudge`).
  const resources: (ResourceResult | null)[] = [];
  const namespaces = new Map<string, NamespaceEntry>();
  // Every Namespace read, in order: one defined twice is reported twice.
  const namespaceReports: NamespaceEntry[] = [];
  // Objects judged before the end of the input, with the policy they got: a Namespace read
  // later may change it.
  const judged: Judged[] = [];
  let documents = 0;
  let objects = 0;
  let lists = 0;
  let files = 0;
  let evaluateMs = 0;
  const timed = options.timings !== undefined;
  let currentInput = 0;
  // While set, the reader is going over documents again to judge these objects once more.
  let again: Set<string> | null = null;

  const config = options.config;
  // --level replaces the whole policy; --version alone pins every mode's version and keeps the levels.
  const flagged = options.level !== undefined;
  const pinnedVersion = !flagged && options.version !== undefined ? parseVersion(options.version).version : undefined;
  const pinnedPolicies = new Map<Policy, Policy>();
  const pin = (policy: Policy): Policy => {
    if (!pinnedVersion) return policy;
    let pinned = pinnedPolicies.get(policy);
    if (!pinned) {
      const at = (lv: LevelVersion): LevelVersion => ({ level: lv.level, version: pinnedVersion });
      pinnedPolicies.set(policy, (pinned = { enforce: at(policy.enforce), audit: at(policy.audit), warn: at(policy.warn) }));
    }
    return pinned;
  };
  const fieldValidation = options.fieldValidation ?? 'strict';
  // kubectl turns YAML into JSON on the client, keeping the last of two equal keys: the API
  // server's strict validation never sees the duplicate. So it is a warning here, never an error.
  const duplicateKeys = 'last' as const;
  const flagLV: LevelVersion = {
    level: options.level ?? 'restricted',
    version: parseVersion(options.version ?? 'latest').version,
  };
  const flagPolicy: Policy = { enforce: flagLV, audit: flagLV, warn: flagLV };
  const defaultPolicy: Policy = { enforce: DEFAULT_LV, audit: DEFAULT_LV, warn: DEFAULT_LV };
  // Thousands of objects share a handful of policies: build each view once.
  const views = new WeakMap<Policy, Map<string, ResourcePolicy>>();
  const plans = new Map<Policy, Map<string, Plan>>();
  let lastPlan: { policy: Policy; subject: 'pod' | 'template'; makesPods: boolean; plan: Plan } | undefined;

  const source = (p: { doc: ManifestDocument; at: (string | number)[]; items: number[] }): Source => {
    const pos = p.at.length ? p.doc.locate(p.at) : { line: p.doc.line, column: 1 };
    const s: Source = { file: p.doc.file, index: p.doc.index, line: pos.line, column: pos.column };
    if (p.items.length) s.items = p.items;
    if (p.doc.renderedFrom !== undefined) s.renderedFrom = p.doc.renderedFrom;
    return s;
  };
  // Thousands of objects share a few namespaces: each name is checked once.
  const goodNamespaces = new Set<string>();
  // Said once: an object judged again under a later Namespace is not warned about again.
  const warnUnknownField = (doc: ManifestDocument, at: (string | number)[], kind: string, name: string, fe: FieldTypeError, namespace = ''): void => {
    if (again) return;
    const pos = doc.locate([...at, ...fe.path]);
    warn({
      file: doc.file, index: doc.index, line: pos.line, column: pos.column, kind, ...(namespace ? { namespace } : {}), name,
      message: `${shownObject(kind, name, namespace)}: ${formatFieldPath(fe.path)} ${unknownFieldMessage(kind, fe.path, 'warn')}`, hint: fe.suggestion ? `did you mean "${fe.suggestion}"?` : '',
    });
  };
  // Only pod-bearing kinds fall back to the default namespace; others show what they declare.
  const namespaceOf = (kind: string, m: JsonObject): string =>
    KIND_GROUPS[kind] ? str(m.namespace) || defaultNamespace : kind === 'Namespace' ? '' : str(m.namespace);
  const objectError = (doc: ManifestDocument, at: (string | number)[], message: string, hint: string, obj?: JsonObject, path: (string | number)[] = []): void => {
    if (again) return; // reported the first time
    const pos = at.length || path.length ? doc.locate([...at, ...path]) : { line: doc.line, column: 1 };
    const e: ReportError = { file: doc.file, index: doc.index, line: pos.line, column: pos.column, message, hint };
    if (obj) {
      if (typeof obj.kind === 'string') {
        e.kind = obj.kind;
        const namespace = namespaceOf(obj.kind, isObject(obj.metadata) ? obj.metadata : {});
        if (namespace) e.namespace = namespace;
      }
      const name = isObject(obj.metadata) ? str(obj.metadata.name) : '';
      if (name) e.name = name;
    }
    errors.push(e);
  };

  /** The end of a hint on a malformed object: what its error costs, for the kinds podsec reads. */
  const whatIsLost = (kind: string): string =>
    KIND_GROUPS[kind] ? '; podsec did not evaluate this object' : kind === 'Namespace' ? '; its labels do not set the policy of its objects' : '';

  // Collects the objects of one document, flattening Lists (as kubectl does).
  const visit = (doc: ManifestDocument, value: unknown, at: (string | number)[], items: number[], inherited?: { kind: string; apiVersion: string }): void => {
    if (!isObject(value)) {
      const what = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
      // `// comment` above a JSON object: YAML reads the lines as one string.
      const comment = at.length === 0 && typeof value === 'string' && /^(\/\/|\/\*)/.test(value);
      objectError(doc, at, `${at.length ? 'list item' : 'document'} is ${what}, not a Kubernetes object`,
        comment ? 'JSON has no comments, and YAML\'s start with #: remove the // or /* */ lines (or write # before them)' : 'each document must be a mapping with apiVersion, kind and metadata');
      return;
    }
    let kind = value.kind;
    let apiVersion = value.apiVersion;
    // A typed list's item that names neither kind nor apiVersion takes them from the list, as kubectl's decoder sets them.
    if (inherited && (kind === undefined || kind === null || kind === '') && (apiVersion === undefined || apiVersion === null || apiVersion === '')) {
      kind = inherited.kind;
      apiVersion = inherited.apiVersion;
    }
    // Empty and null are missing to kubectl; another type is a wrongly typed field.
    if (typeof kind !== 'string' || kind === '') {
      const missing = kind === undefined || kind === null || kind === '';
      const guess = missing && at.length === 0 && !inputs[currentInput]!.stdin ? notAManifest(inputs[currentInput]!, value, doc.index, command) : undefined;
      const before = errors.length;
      const hidden = missing ? invisiblySpelt(value, 'kind') : undefined;
      objectError(doc, at, missing ? "object has no kind (kubectl: Object 'Kind' is missing)" : `kind must be a string, not ${shown(kind)}`,
        hidden !== undefined ? invisibleKeyHint(hidden)! : guess?.hint ?? (missing ? ADD_KIND : 'write kind as a string, for example kind: Deployment'),
        value, hidden !== undefined ? [hidden] : kind === undefined ? [] : ['kind']);
      // Said of the whole file: taken back below if a later document is an object after all.
      if (guess !== undefined && errors.length > before) {
        fileGuess = errors[before];
        fileGuessExclude = guess.exclude;
      }
      return;
    }
    fileHasObjects = true;
    // kubectl's decoder takes any object with an items field for a list, whatever its kind: it
    // applies the items, never the object itself, and asks no apiVersion of the list. An item
    // of a list is one only when its items is a list (Unstructured.IsList): with items: null it
    // is applied itself.
    if (value.items !== undefined && (at.length === 0 || Array.isArray(value.items))) {
      visitList(doc, value, kind, typeof apiVersion === 'string' ? apiVersion : '', at, items);
      return;
    }
    // A list is no object kubectl applies: an input of empty lists has none.
    objects++;
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      const missing = apiVersion === undefined || apiVersion === null || apiVersion === '';
      const hidden = missing ? invisiblySpelt(value, 'apiVersion') : undefined;
      objectError(doc, at, missing ? `${kind} has no apiVersion (kubectl: Object 'apiVersion' is missing)` : `${kind}: apiVersion must be a string, not ${shown(apiVersion)}`,
        hidden !== undefined ? invisibleKeyHint(hidden)! : missing ? 'add "apiVersion:" (for example apiVersion: apps/v1)' : 'write apiVersion as a string, for example apiVersion: apps/v1',
        value, hidden !== undefined ? [hidden] : apiVersion === undefined ? [] : ['apiVersion']);
      return;
    }
    const meta = value.metadata;
    if (meta !== undefined && meta !== null && !isObject(meta)) {
      objectError(doc, at, `${kind}: metadata must be a mapping, not ${describeValue(meta)}`,
        `write metadata as a mapping (name:, namespace:, labels:)${whatIsLost(kind)}`, value, ['metadata']);
      return;
    }
    const m = isObject(meta) ? meta : {};
    for (const key of ['name', 'namespace', 'generateName'] as const) {
      if (m[key] !== undefined && m[key] !== null && typeof m[key] !== 'string') {
        objectError(doc, at, `${kind}: metadata.${key} must be a string, not ${shown(m[key])}`,
          `${typeof m[key] === 'boolean' || typeof m[key] === 'number' ? quoteHint(m[key] as boolean | number) : 'write it as a string'}${whatIsLost(kind)}`, value, ['metadata', key]);
        return;
      }
    }
    const name = str(m.name) || str(m.generateName);
    // The API server refuses a namespace no Namespace could have: its policy would be looked up
    // under that name. A Namespace's own name too, or its labels would seem to set a policy.
    const nsField = kind === 'Namespace' ? 'name' : 'namespace';
    const nsName = str(m[nsField]);
    if ((KIND_GROUPS[kind] || kind === 'Namespace') && nsName !== '' && !goodNamespaces.has(nsName)) {
      if (isNamespaceName(nsName)) goodNamespaces.add(nsName);
      else {
        const near = nsName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
        objectError(doc, at, `${shownObject(kind, name)}: metadata.${nsField} ${JSON.stringify(nsName)} is no namespace name, so the API server refuses the object`,
          `${NAMESPACE_NAME_RULE}, for example ${isNamespaceName(near) ? near : 'team-a'}${whatIsLost(kind)}`, value, ['metadata', nsField]);
        return;
      }
    }
    const effective = namespaceOf(kind, m);
    if (options.namespaceGiven && KIND_GROUPS[kind] && effective !== defaultNamespace && !again) {
      const pos = doc.locate([...at, 'metadata', 'namespace']);
      warn({
        file: doc.file, index: doc.index, line: pos.line, column: pos.column, kind, namespace: effective, ...(name ? { name } : {}),
        message: `${shownObject(kind, name)} names the namespace ${JSON.stringify(effective)}, not --namespace ${defaultNamespace}: kubectl apply -n ${defaultNamespace} refuses it (the namespace from the provided object "${effective}" does not match the namespace "${defaultNamespace}"); it is judged in ${effective}`,
        hint: `give -n ${effective}, leave -n out, or remove metadata.namespace to apply it in ${defaultNamespace}`,
      });
    }
    // Items of a typed List may leave kind and apiVersion to the List, as kubectl allows.
    const obj = value.kind === kind && value.apiVersion === apiVersion ? value : { ...value, kind, apiVersion };
    const p: Pending = { doc, obj, at, items, kind, apiVersion, namespace: effective, name };
    // Kinds are case-sensitive: kubectl and the API server know no `kind: pod`, which, listed as
    // not evaluated, would let a privileged pod through the check unseen.
    const sameLetters = KNOWN_KINDS.get(kind.toLowerCase());
    const meant = sameLetters !== kind ? sameLetters : undefined;
    if (meant && BUILT_IN_GROUPS.has(groupOf(apiVersion))) {
      const message = `${shownObject(kind, name, effective)}: Kubernetes has no kind "${kind}" (kubectl: no matches for kind "${kind}" in version "${apiVersion}"); kinds are case-sensitive`;
      // An item without a kind took it from its typed list (kind: podList): that is what to fix.
      if (value.kind !== kind) objectError(doc, at.slice(0, -2), message, `write kind: ${meant}List on the list, whose items without a kind take theirs from it${whatIsLost(meant)}`, value, ['kind']);
      else {
        // `kind: deployment` with `apiVersion: v1` needs both fixed.
        const groups = KIND_GROUPS[meant] ?? [''];
        const apiToo = groups.includes(groupOf(apiVersion)) ? '' : ` and apiVersion: ${groupVersionString(groups[0]!, 'v1')}`;
        objectError(doc, at, message, `write kind: ${meant}${apiToo}${whatIsLost(meant)}`, value, ['kind']);
      }
      return;
    }
    const group = groupOf(apiVersion);
    // A pod kind in another group is told below, with the versions that served it.
    if (Object.hasOwn(GROUP_KINDS, group) && !isGroupKind(group, kind) && !KIND_GROUPS[kind]) {
      const everyKind = Object.values(GROUP_KINDS).flat();
      const meantKind = closestKey(kind, everyKind);
      const meantGroups = meantKind === undefined ? [] : Object.keys(GROUP_KINDS).filter((g) => GROUP_KINDS[g]!.includes(meantKind));
      const apiToo = meantKind === undefined || meantGroups.includes(group) ? '' : ` and apiVersion: ${groupVersionString(meantGroups[0]!, 'v1')}`;
      objectError(doc, at, `${shownObject(kind, name, effective)}: Kubernetes has no kind "${kind}" in ${group === '' ? 'the core group' : `the group ${group}`} (kubectl: no matches for kind "${kind}" in version "${apiVersion}")`,
        meantKind === kind ? `write apiVersion: ${groupVersionString(meantGroups[0]!, 'v1')}${whatIsLost(kind)}`
          : meantKind !== undefined ? `did you mean kind: ${meantKind}${apiToo}?${whatIsLost(meantKind)}`
          : `write a kind of that group, or the apiVersion of the kind meant${value.metadata === undefined && !inputs[currentInput]!.stdin ? `; if ${doc.file} is no Kubernetes manifest (another tool's configuration), leave it out of the check` : ''}`,
        value, ['kind']);
      return;
    }
    if (kind === 'Namespace' && group === '') {
      // kubectl refuses a Namespace in a version never served (v2): its labels must not set a policy.
      if (!SERVED_VERSIONS.Namespace!.includes(apiVersion)) {
        objectError(doc, at, `${shownObject('Namespace', name)}: Kubernetes has no Namespace in version "${apiVersion}" (kubectl: no matches for kind "Namespace" in version "${apiVersion}")`,
          `write apiVersion: v1${whatIsLost(kind)}`, value, ['apiVersion']);
        return;
      }
      // A misspelt "labels:" would silently leave the namespace's objects under the defaults.
      const fieldErrors = validateObjectFields('Namespace', value, 10, fieldValidation !== 'ignore');
      let refused = false;
      for (const fe of fieldErrors) {
        const message = `${shownObject('Namespace', name)}: ${formatFieldPath(fe.path)} ${fe.message}`;
        if (fe.unknown && fieldValidation === 'warn') {
          warnUnknownField(doc, at, kind, name, fe);
          continue;
        }
        objectError(doc, at, message, `${fe.hint}; its labels do not set the policy of its objects`, value, fe.path);
        refused = true;
      }
      if (refused) return;
      // The types are checked above: labels are a mapping of strings; a null value is "", as Go decodes it.
      const labels = (withZeroValues('Namespace', value) as JsonObject).metadata;
      const strLabels: Record<string, string> = {};
      if (isObject(labels) && isObject(labels.labels)) for (const [k, v] of Object.entries(labels.labels)) if (typeof v === 'string') strLabels[k] = v;
      // Admission ignores a label it does not know: a misspelt one would leave the defaults silently.
      // So would one whose prefix is in other case or a few letters off (keys are case-sensitive).
      for (const k of Object.keys(strLabels)) {
        if (POLICY_LABELS.includes(k) || again) continue;
        const ours = k.startsWith(LABEL_PREFIX);
        const otherCase = !ours && k.slice(0, LABEL_PREFIX.length).toLowerCase() === LABEL_PREFIX;
        const near = !ours && !otherCase && POLICY_LABELS.some((l) => editDistance(k, l) <= 3);
        // The labels under k8s.io, as the configuration's group is (pod-security.k8s.io/enforce).
        const otherPrefix = !ours && !otherCase && !near ? /^pod-?security(?:\.admission(?:\.config)?)?\.k8s\.io\/((?:enforce|audit|warn)(?:-version)?)$/i.exec(k) : null;
        if (!ours && !otherCase && !near && !otherPrefix) continue;
        let hint: string;
        const hidden = invisibleKeyHint(k);
        if (hidden !== undefined) hint = hidden;
        else if (otherPrefix) hint = `the prefix is ${LABEL_PREFIX}: write "${LABEL_PREFIX}${otherPrefix[1]!.toLowerCase()}"`;
        else if (near) hint = `did you mean "${closestKey(k, POLICY_LABELS)}"?`;
        else {
          const suggestion = closestKey(k.slice(LABEL_PREFIX.length), LABEL_SUFFIXES);
          if (otherCase) {
            hint = `label keys are case-sensitive: write ${suggestion ? `"${LABEL_PREFIX}${suggestion}"` : `${LABEL_PREFIX} and one of ${LABEL_SUFFIXES.join(', ')}`}`;
          } else hint = suggestion ? `did you mean "${LABEL_PREFIX}${suggestion}"?` : `use ${LABEL_SUFFIXES.join(', ')}`;
        }
        const pos = doc.locate([...at, 'metadata', 'labels', k]);
        warn({
          file: doc.file, index: doc.index, line: pos.line, column: pos.column, kind, name,
          message: `${shownObject('Namespace', name)}: label "${k}" is not one PodSecurity admission reads, so it sets nothing`,
          hint,
        });
      }
      // Written as annotations they set nothing either: admission reads only labels.
      const annotations = isObject(m.annotations) ? m.annotations : {};
      for (const k of Object.keys(annotations)) {
        if (again || !POLICY_LABELS.includes(k) || Object.hasOwn(strLabels, k)) continue;
        const pos = doc.locate([...at, 'metadata', 'annotations', k]);
        warn({
          file: doc.file, index: doc.index, line: pos.line, column: pos.column, kind, name,
          message: `${shownObject('Namespace', name)}: "${k}" is an annotation, and PodSecurity admission reads only labels, so it sets nothing`,
          hint: 'move it under metadata.labels',
        });
      }
      // Validation refuses a label or an annotation the API server cannot store, before admission
      // reads the labels (one read from a cluster was stored). Told after the warnings above, whose
      // hints say what was meant.
      const stored = str(m.uid) !== '' || str(m.resourceVersion) !== '';
      for (const e of stored ? [] : labelAndAnnotationRefusals(value)) {
        objectError(doc, at, `${shownObject('Namespace', name)}: ${e.shown}: ${e.body} (the API server refuses the object)`,
          `${e.templated ? templateSyntaxHint(formatFieldPath(e.path)) : e.hint}; its labels do not set the policy of its objects`, value, presentPart(value, e.path));
        refused = true;
      }
      if (refused) return;
      // No object can name it: most often metadata.name was misspelt, and the labels protect nothing.
      const named = str(m.name) !== '';
      if (!named && !again && podSecurityLabels(strLabels)) {
        const pos = doc.locate([...at, 'metadata']);
        warn({
          file: doc.file, index: doc.index, line: pos.line, column: pos.column, kind, name,
          message: 'Namespace without a name: its PodSecurity labels set the policy of no object in the input',
          hint: 'give it metadata.name, which kubectl apply requires, and put its objects in that namespace',
        });
      }
      // A later definition of the same namespace replaces an earlier one, as kubectl apply would;
      // the earlier one is still reported (admission refuses one with invalid labels).
      if (!again) {
        const earlier = named ? namespaces.get(name) : undefined;
        // One with invalid labels was never created: this one is a create again.
        const entry = namespaceEntry(p, name, named, strLabels, earlier && !earlier.resource ? earlier : undefined);
        // Applied over a valid definition, invalid labels are refused as an update: the
        // namespace keeps the earlier labels (an earlier invalid one was never created).
        if (earlier && !earlier.resource && entry.resource) {
          namespaceReports.push(entry);
          return;
        }
        if (earlier?.notEvaluated) {
          earlier.notEvaluated.reason = `Namespace: no pod spec; defined again in ${doc.file} document ${doc.index + 1}, which sets the policy of its objects in its place`;
        }
        // Most often two environments' folders checked at once: one of them would be judged wrongly.
        // Compared as its objects get it: unlabelled, without --config, that is podsec's default, not the labels'.
        if (earlier && !flagged && policyText(namespacePolicy(earlier)) !== policyText(namespacePolicy(entry))) {
          const pos = doc.locate([...at, 'metadata', 'labels']);
          warn({
            file: doc.file, index: doc.index, line: pos.line, column: pos.column, kind, name,
            message: `${shownObject('Namespace', name)} is defined again with other PodSecurity labels (${entry.labelText || 'none'}; in ${earlier.file} document ${earlier.index + 1}: ${earlier.labelText || 'none'}); this later definition sets the policy of all its objects, as the last one applied would`,
            hint: 'check each environment\'s manifests in a run of their own, or make the definitions agree',
          });
        }
        if (named) namespaces.set(name, entry);
        namespaceReports.push(entry);
      }
      return;
    }
    if (again) {
      // Each is judged once more; what is left in the set was not reached (see rejudge).
      if (again.delete(objectKey(doc.index, at))) judge(p);
    } else {
      judge(p);
    }
  };

  function visitList(doc: ManifestDocument, value: JsonObject, kind: string, apiVersion: string, at: (string | number)[], items: number[]): void {
    const list = value.items;
    lists++;
    const nested = at.length > 0;
    if (nested) {
      // kubectl cannot flatten a list held by a list (meta.ExtractList of an Unstructured item
      // fails), so it applies none of the outer list's objects.
      const name = isObject(value.metadata) ? str(value.metadata.name) : '';
      objectError(doc, at,
        `a list inside a list (${kind}${name ? ` ${name}` : ''}, which has an items field): kubectl refuses the list that holds it and applies none of its objects (kubectl: *unstructured.Unstructured is not a list: no Items field in this object)`,
        kind.endsWith('List')
          ? 'write the inner list as a document of its own (after a --- line), or move its items into the outer list; podsec judged its objects as if it were a document of its own'
          : 'if items belongs inside the object, indent it there; else write the list as a document of its own (after a --- line)',
        value, ['items']);
    }
    if (!nested && !kind.endsWith('List') && !again && (list === null || Array.isArray(list))) {
      // Most often an indentation slip: the object itself never reaches the cluster.
      const name = isObject(value.metadata) ? str(value.metadata.name) : '';
      const count = Array.isArray(list) ? list.length : 0;
      const pos = doc.locate([...at, 'items']);
      warn({
        file: doc.file, index: doc.index, line: pos.line, column: pos.column, kind, name,
        message: `${kind}${name ? ` ${name}` : ''} has an items field, so kubectl reads it as a list: it applies the ${count} object${count === 1 ? '' : 's'} in items and not the ${kind} itself, and podsec judges what it applies`,
        hint: 'if items belongs inside the object, indent it there; a list of objects is written kind: List',
      });
    }
    if (list === null) return;
    if (!Array.isArray(list)) {
      objectError(doc, at, `${kind}.items must be a list, not ${describeValue(list)}`,
        'write items as a list: one "- " entry per object', value, ['items']);
      return;
    }
    const itemKind = kind.endsWith('List') ? kind.slice(0, -4) : kind;
    // A list hands its kind down to items that name none (decodeToList); a nested one, refused
    // above, is judged as the document of its own it should be.
    const inherited = itemKind === '' ? undefined : { kind: itemKind, apiVersion };
    list.forEach((item, i) => visit(doc, item, [...at, 'items', i], [...items, i], inherited));
  }

  // Per file and document: an error in a rendered object names its chart template too.
  const renderedFrom = new Map<string, string>();
  const t0 = nowMs();
  for (const [inputIndex, input] of inputs.entries()) {
    files++;
    currentInput = inputIndex;
    const onProgress = options.onProgress;
    onProgress?.({ phase: 'read', done: files - 1, total: inputs.length });
    if (input.error || input.content === undefined) {
      errors.push({ file: input.file, message: input.error?.message ?? 'no content', hint: input.error?.hint ?? '' });
      continue;
    }
    // A single huge file still shows progress: every 256 documents.
    const onDocument = onProgress && ((index: number) => {
      if ((index & 255) === 255) onProgress({ phase: 'read', done: files - 1, total: inputs.length, file: input.file, documents: index + 1 });
    });
    // Each document is judged as soon as it is read, so that it dies young.
    let parsed: ReturnType<typeof parseManifests>;
    // A stream of repeated keys (a generated file gone wrong) must not pile up warnings without end.
    let duplicates = 0;
    try {
      parsed = parseManifests(input.content, input.file, {
        ...(onDocument ? { onDocument } : {}),
        duplicateKeys,
        ...(fieldValidation !== 'ignore' ? {
          onDuplicateKey: (d: { index: number; key: string; line: number; column: number }) => {
            if (++duplicates > MAX_DUPLICATE_WARNINGS) return;
            warn({
              file: input.file, index: d.index, line: d.line, column: d.column,
              message: `key "${d.key}" is given twice in one mapping; the last value is used, as kubectl sends only that one`,
              hint: 'remove one of the two entries',
            });
          },
        } : {}),
        // kubectl reads them as U+FFFD too, but a name or label may have changed without a word.
        onInvalidUtf8: ({ line, column, count }) => warn({
          file: input.file, line, column,
          message: `not UTF-8: ${count === 1 ? 'a byte sequence here is' : `${count} byte sequences, the first here, are`} read as U+FFFD (\uFFFD), as kubectl reads them`,
          hint: 'the file is probably in another encoding, such as Latin-1: save it as UTF-8',
        }),
        consume: (doc) => {
          documents++;
          if (doc.renderedFrom !== undefined) renderedFrom.set(`${input.file}\0${doc.index}`, doc.renderedFrom);
          if (doc.value !== null && doc.value !== undefined) visit(doc, doc.value, [], []);
        },
      });
    } catch (err) {
      moreDuplicates(input.file, duplicates);
      // One input must not take the whole run down: report it, and go on with the others.
      errors.push({
        file: input.file,
        message: `podsec could not read this input to its end: ${err instanceof Error ? err.message : String(err)}`,
        hint: 'please report this as a podsec bug, with the input; the objects read before this point were checked',
      });
      fileGuess = undefined;
      fileGuessExclude = undefined;
      fileHasObjects = false;
      continue;
    }
    moreDuplicates(input.file, duplicates);
    if (fileGuess && fileHasObjects && fileGuess.hint.startsWith(NOT_AN_OBJECT)) fileGuess.hint = ADD_KIND;
    else if (fileGuess && fileGuessExclude !== undefined) notManifests.push(fileGuessExclude);
    fileGuess = undefined;
    fileGuessExclude = undefined;
    fileHasObjects = false;
    options.sources?.set(input.file, parsed.text);
    for (const e of parsed.errors) {
      const re: ReportError = { file: e.file, message: e.message, hint: e.hint };
      if (e.index !== undefined) re.index = e.index;
      if (e.line !== undefined) re.line = e.line;
      if (e.column !== undefined) re.column = e.column;
      if (e.renderedFrom !== undefined) re.renderedFrom = e.renderedFrom;
      errors.push(re);
    }
    documents += parsed.errors.filter((e) => e.index !== undefined).length;
  }
  if (notManifests.length > 1) options.onNotManifests?.(notManifests);
  rejudge();
  for (const [at, w] of podWarnings) if (resources[at] !== null) warn(w);
  // As `kubectl apply` refuses an input without objects: most often an earlier command in a pipe failed.
  if (objects === 0 && errors.length === 0 && inputs.length > 0) {
    errors.push({
      file: inputs[0]!.file,
      message: lists > 0
        ? `no Kubernetes objects in ${inputs.length === 1 ? 'the input' : `any of the ${inputs.length} inputs`}: ${inputs.length === 1 ? 'its' : 'their'} lists have no items`
        : inputs.length === 1 ? 'no Kubernetes objects in the input: it is empty or holds only comments' : `no Kubernetes objects in any of the ${inputs.length} inputs: they are empty or hold only comments`,
      hint: inputs.some((i) => i.stdin)
        ? 'if a command writes the manifests into a pipe, check that it succeeded (set -o pipefail)'
        : `pass ${inputs.length === 1 ? 'a file' : 'files'} that hold${inputs.length === 1 ? 's' : ''} manifests; if a command wrote ${inputs.length === 1 ? 'it' : 'them'}, check that it succeeded`,
    });
  }
  const t1 = nowMs();
  if (options.timings) {
    options.timings.read += t1 - t0 - evaluateMs;
    options.timings.evaluate += evaluateMs;
  }

  for (const ns of namespaceReports) {
    if (ns.resource) resources.push(ns.resource);
    if (ns.notEvaluated) notEvaluated.push(ns.notEvaluated);
  }

  /** Records a Namespace: its policy for the objects in it, and how it is reported itself. */
  /** `updated`: the definition this one is applied over (admission sees an update of it). */
  function namespaceEntry(p: Pending, name: string, named: boolean, labels: Record<string, string>, updated?: NamespaceEntry): NamespaceEntry {
    const labelled = podSecurityLabels(labels);
    const { policy, errors: labelErrors } = policyToEvaluate(labels, config ? config.defaults : DEFAULT_POLICY);
    const labelText = POLICY_LABELS.filter((k) => Object.hasOwn(labels, k)).map((k) => `${k.slice(LABEL_PREFIX.length)}=${labels[k]}`).join(', ');
    const entry: NamespaceEntry = { policy, labelled, labelText, file: p.doc.file, index: p.doc.index };
    const pol = policyView(policy, labelled ? 'namespace' : config ? 'config' : 'default', 'enforce');
    if (labelErrors.length > 0) {
      const violations: ReportViolation[] = labelErrors.map((e) => {
        const label = /^metadata\.labels\[(.*)\]$/.exec(e.field)?.[1] ?? '';
        return {
          checkId: NAMESPACE_RULE.id,
          reason: 'invalid pod-security label',
          detail: `${e.field}: ${fieldErrorBody(e)}`,
          locations: [location(p, [], ['metadata', 'labels', label])],
          modes: ['enforce'],
        };
      });
      // Admission refuses to create such a Namespace, whatever its labels say.
      const message = invalidMessage('', 'Namespace', name, labelErrors);
      entry.resource = {
        source: source(p), apiVersion: p.apiVersion, kind: 'Namespace', namespace: '', name, subject: 'namespace',
        policy: pol, allowed: false, violations, message,
        evaluations: [{ mode: 'enforce', level: pol.level, version: pol.version, evaluatedVersion: '', allowed: false, message }],
      };
    } else {
      // Admission creates it, with this warning (kubectl apply prints it); an update gets it only
      // where its enforce gets stricter.
      const exempt = named && config?.exemptions.namespaces.has(name) && (!updated || enforceTightened(updated.policy.enforce, policy.enforce));
      const exemptWarning = exempt ? exemptNamespaceWarning(name, policy, config!.defaults, labels) : '';
      if (exemptWarning) {
        const pos = p.doc.locate([...p.at, 'metadata', 'labels']);
        warn({
          file: p.doc.file, index: p.doc.index, line: pos.line, column: pos.column, kind: 'Namespace', name,
          message: exemptWarning,
          hint: 'remove the PodSecurity labels, or the namespace from the --config exemptions.namespaces',
        });
      }
      const modes = `enforce=${levelVersionString(policy.enforce)}, audit=${levelVersionString(policy.audit)}, warn=${levelVersionString(policy.warn)}`;
      const how = !labelled
        ? 'it has no PodSecurity labels (pod-security.kubernetes.io/enforce, audit, warn and their -version)'
        : !named
          ? `it has no name, so its labels (${modes}) set the policy of no object here`
          : config?.exemptions.namespaces.has(name)
          ? `it is exempt (--config exemptions.namespaces), so its labels (${modes}) are ignored`
          : flagged
            ? `its labels (${modes}) are overridden by --level/--version`
            : pinnedVersion
              ? `its labels set the levels of its objects (${modes}); --version ${options.version} sets every mode's version`
              : `its labels set the policy of its objects (${modes})`;
      entry.notEvaluated = { source: source(p), apiVersion: p.apiVersion, kind: 'Namespace', namespace: '', name, reason: `Namespace: no pod spec; ${how}` };
    }
    return entry;
  }

  /** The policy a Namespace gives its objects (without --level). */
  function namespacePolicy(ns: NamespaceEntry): Policy {
    return pin(ns.labelled || config ? ns.policy : defaultPolicy);
  }

  /** The policy of an object in a namespace, from what has been read so far. */
  function policyOf(namespace: string): Chosen {
    if (flagged) return { policy: flagPolicy, src: 'flags' };
    const ns = namespaces.get(namespace);
    if (ns && (ns.labelled || config)) {
      return { policy: namespacePolicy(ns), src: ns.labelled ? 'namespace' : 'config', ...(ns.resource ? { invalidLabels: true } : {}) };
    }
    if (config) return { policy: pin(config.defaults), src: 'config' };
    return { policy: pin(defaultPolicy), src: 'default' };
  }

  /** Judges one object of a pod-bearing kind (or says why it is not one). */
  function judge(p: Pending): void {
    const groups = KIND_GROUPS[p.kind];
    const group = groupOf(p.apiVersion);
    if (!groups) {
      // The objects a kustomization makes are what will be applied, not the files it starts from.
      const kustomize = group === 'kustomize.config.k8s.io';
      const reason = !kustomize
        ? customResourceReason(p.kind, group, p.obj)
        : `${p.kind}: kustomize's instructions, not an object the API server receives; podsec reads manifest files as they are, without its patches: to check what kustomize applies, run kubectl kustomize ${p.kind === 'Component' ? 'OVERLAY (a directory whose kustomization uses this component)' : kustomizeDir(p.doc.file, inputs[currentInput]?.stdin === true)} | ${command} check -`;
      notEvaluated.push({ source: source(p), apiVersion: p.apiVersion, kind: p.kind, namespace: p.namespace, name: p.name, reason });
      return;
    }
    // A group without a dot is a built-in one (a custom resource's group has a dot): kubectl
    // finds no such kind there and refuses the object, as for a version never served.
    if (!groups.includes(group) && !group.includes('.')) {
      objectError(p.doc, p.at, `${shownObject(p.kind, p.name, p.namespace)}: Kubernetes has no ${p.kind} in version "${p.apiVersion}" (kubectl: no matches for kind "${p.kind}" in version "${p.apiVersion}")`,
        `write apiVersion: ${groupVersionString(groups[0]!, 'v1')}; podsec did not evaluate this object`, p.obj, ['apiVersion']);
      return;
    }
    if (!groups.includes(group)) {
      notEvaluated.push({
        source: source(p), apiVersion: p.apiVersion, kind: p.kind, namespace: p.namespace, name: p.name,
        reason: `${p.kind} in API group "${group}" is a custom resource, not Kubernetes' ${p.kind} (in ${groups.map((g) => g || 'core (v1)').join(' or ')}), so podsec cannot tell where its pod spec is`,
      });
      return;
    }
    if (!SERVED_VERSIONS[p.kind]!.includes(p.apiVersion)) {
      const served = SERVED_VERSIONS[p.kind]![0]!;
      objectError(p.doc, p.at, `${shownObject(p.kind, p.name, p.namespace)}: Kubernetes has no ${p.kind} in version "${p.apiVersion}" (kubectl: no matches for kind "${p.kind}" in version "${p.apiVersion}")`,
        `write apiVersion: ${served}; podsec did not evaluate this object`, p.obj, ['apiVersion']);
      return;
    }
    const until = SERVED_UNTIL[p.apiVersion];
    if (until !== undefined && !again) {
      const current = SERVED_VERSIONS[p.kind]![0]!;
      const pos = p.doc.locate([...p.at, 'apiVersion']);
      warn({
        file: p.doc.file, index: p.doc.index, line: pos.line, column: pos.column, kind: p.kind, namespace: p.namespace, ...(p.name ? { name: p.name } : {}),
        message: `${shownObject(p.kind, p.name, p.namespace)}: Kubernetes 1.${until} stopped serving ${p.kind} in ${p.apiVersion} (kubectl apply from then on: no matches for kind "${p.kind}" in version "${p.apiVersion}"); judged as ${current}`,
        hint: `write apiVersion: ${current}`,
      });
    }
    // The clock only when asked: reading it twice an object costs a cold run milliseconds.
    const started = timed ? nowMs() : 0;
    const chosen = policyOf(p.namespace);
    const before = resources.length;
    try {
      evaluateOne(p, chosen);
    } catch (err) {
      // One object must not take the whole run down; report it instead.
      const pos = p.at.length ? p.doc.locate(p.at) : { line: p.doc.line, column: 1 };
      errors.push({
        file: p.doc.file, index: p.doc.index, line: pos.line, column: pos.column, kind: p.kind, namespace: p.namespace, name: p.name,
        message: `${shownObject(p.kind, p.name, p.namespace)}: podsec could not evaluate this object: ${(err as Error).message}`,
        hint: 'please report this as a podsec bug, with the object',
      });
    }
    if (!flagged && !again && resources.length > before) {
      // Written out: spreading `chosen` here cost as much as a third of the Pod Security checks.
      const j: Judged = { result: before, input: currentInput, index: p.doc.index, at: p.at, namespace: p.namespace, policy: chosen.policy, src: chosen.src };
      if (chosen.invalidLabels) j.invalidLabels = true;
      judged.push(j);
    }
    if (timed) evaluateMs += nowMs() - started;
  }

  /**
   * A Namespace may come after objects in it (or define it again): judge those objects once
   * more under the final policy, reading their documents again (the first reading let them go).
   */
  function rejudge(): void {
    const stale = judged.filter((j) => {
      const now = policyOf(j.namespace);
      return now.policy !== j.policy || now.src !== j.src;
    });
    if (stale.length === 0) return;
    const byInput = new Map<number, Judged[]>();
    const earlier = new Map<Judged, ResourceResult | null>();
    for (const j of stale) {
      earlier.set(j, resources[j.result]!);
      resources[j.result] = null;
      let list = byInput.get(j.input);
      if (!list) byInput.set(j.input, (list = []));
      list.push(j);
    }
    let done = 0;
    for (const [inputIndex, list] of byInput) {
      const input = inputs[inputIndex]!;
      again = new Set(list.map((j) => objectKey(j.index, j.at)));
      currentInput = inputIndex;
      try {
        parseManifests(input.content!, input.file, {
          only: new Set(list.map((j) => j.index)),
          duplicateKeys,
          consume: (doc) => {
            if (doc.value !== null && doc.value !== undefined) visit(doc, doc.value, [], []);
          },
        });
      } catch (err) {
        // An input the reader could not read to its end the first time (already an error) may
        // fail again: the objects not reached keep their first judgement rather than vanish.
        const missed = list.filter((j) => again!.has(objectKey(j.index, j.at)));
        for (const j of missed) resources[j.result] = earlier.get(j)!;
        if (missed.length > 0) {
          errors.push({
            file: input.file,
            message: `podsec could not read this input again to judge ${missed.length === 1 ? 'an object' : `${missed.length} objects`} under a Namespace read after ${missed.length === 1 ? 'it' : 'them'}: ${err instanceof Error ? err.message : String(err)}`,
            hint: `please report this as a podsec bug, with the input; ${missed.length === 1 ? 'it keeps' : 'they keep'} the policy known when first read`,
          });
        }
      }
      done += list.length;
      options.onProgress?.({ phase: 'evaluate', done, total: stale.length });
    }
    again = null;
  }

  function location(p: Pending, prefix: readonly string[], field: readonly (string | number)[]): Location {
    const rel: (string | number)[] = prefix.length ? (prefix as (string | number)[]).concat(field as (string | number)[]) : (field as (string | number)[]);
    const full = p.at.length ? p.at.concat(rel) : rel;
    const pos = p.doc.locate(full);
    return { path: formatFieldPath(rel), line: pos.line, column: pos.column, present: hasValue(p.doc.value, full) };
  }

  function policyView(policy: Policy, src: ResourcePolicy['source'], mode: Mode | null, result?: EvaluationResult): ResourcePolicy {
    let byKey = views.get(policy);
    if (!byKey) views.set(policy, (byKey = new Map()));
    const key = `${src}|${mode}|${result?.evaluatedVersion ?? ''}`;
    let view = byKey.get(key);
    if (!view) byKey.set(key, (view = buildView(policy, src, mode, result)));
    return view;
  }

  function buildView(policy: Policy, src: ResourcePolicy['source'], mode: Mode | null, result?: EvaluationResult): ResourcePolicy {
    const lv = mode ? policy[mode] : policy.enforce;
    return {
      mode,
      level: lv.level,
      version: formatVersion(lv.version),
      evaluatedVersion: result?.evaluatedVersion ?? '',
      source: src,
      enforce: lvText(policy.enforce),
      audit: lvText(policy.audit),
      warn: lvText(policy.warn),
    };
  }

  // Thousands of objects share a handful of policies: plan each (policy, subject) once.
  function planFor(policy: Policy, subject: 'pod' | 'template', makesPods: boolean): Plan {
    // Objects in a row most often share their policy and subject: the last plan is kept at hand.
    const last = lastPlan;
    if (last !== undefined && last.policy === policy && last.subject === subject && last.makesPods === makesPods) return last.plan;
    const plan = findPlan(policy, subject, makesPods);
    lastPlan = { policy, subject, makesPods, plan };
    return plan;
  }

  function findPlan(policy: Policy, subject: 'pod' | 'template', makesPods: boolean): Plan {
    let byPolicy = plans.get(policy);
    if (!byPolicy) plans.set(policy, (byPolicy = new Map()));
    const planKey = makesPods ? subject : `${subject} without pods`;
    let plan = byPolicy.get(planKey);
    if (plan) return plan;
    const steps: Step[] = [];
    for (const mode of subject === 'pod' ? POD_MODES : TEMPLATE_MODES) {
      const lv = policy[mode];
      if (lv.level === 'privileged') continue;
      const version = formatVersion(lv.version);
      steps.push({ mode, lv, key: `${lv.level}:${version}`, opts: { level: lv.level, version, defaulting: subject }, evaluatedVersion: evaluator.resolvePolicy(lv.level, version).evaluatedVersion });
    }
    plan = { steps, views: new Map(), modes: new Map() };
    const enforce = policy.enforce;
    if (subject === 'template' && makesPods && enforce.level !== 'privileged') {
      const version = formatVersion(enforce.version);
      const key = `${enforce.level}:${version}`;
      plan.enforceForPods = { mode: 'enforce', lv: enforce, key, opts: { level: enforce.level, version, defaulting: 'pod' }, evaluatedVersion: evaluator.resolvePolicy(enforce.level, version).evaluatedVersion };
      // Admission judges a template only at warn and audit: where the namespace enforces another
      // level or version, the object is accepted and every pod it creates may be refused. Judged
      // last, so that the message is still the one `kubectl apply` shows when warn or audit fails.
      // By the checks that run: restricted:latest and restricted:v1.37 judge alike.
      const evaluated = plan.enforceForPods.evaluatedVersion;
      if (!steps.some((s) => s.lv.level === enforce.level && s.evaluatedVersion === evaluated)) steps.push(plan.enforceForPods);
      else {
        const apart = { ...plan.enforceForPods, key: `${key} as pods` };
        plan.podsApart = { step: apart, steps: [...steps, apart] };
      }
    }
    byPolicy.set(planKey, plan);
    return plan;
  }

  function stepView(step: Step, plan: Plan, policy: Policy, src: ResourcePolicy['source'], result: EvaluationResult): ResourcePolicy {
    // A step always evaluates the same level and version: remember its view instead of looking it up per object.
    if (step.view !== undefined && step.viewSource === src && step.view.evaluatedVersion === result.evaluatedVersion) return step.view;
    step.viewSource = src;
    return (step.view = planView(plan, policy, src, step.mode, result));
  }

  function planView(plan: Plan, policy: Policy, src: ResourcePolicy['source'], mode: Mode | null, result?: EvaluationResult): ResourcePolicy {
    const key = `${src}|${mode}|${result ? result.evaluatedVersion : ''}`;
    let view = plan.views.get(key);
    if (!view) plan.views.set(key, (view = policyView(policy, src, mode, result)));
    return view;
  }

  /** An error that stops the object, where a field of it is written (`field` from the object). */
  function refusedAt(p: Pending, field: readonly (string | number)[], message: string, hint: string): void {
    const pos = p.doc.locate([...p.at, ...field]);
    errors.push({ file: p.doc.file, index: p.doc.index, line: pos.line, column: pos.column, kind: p.kind, namespace: p.namespace, name: p.name, message, hint });
  }

  function evaluateOne(p: Pending, chosen: Chosen): void {
    const subject = p.kind === 'Pod' ? 'pod' : 'template';
    const kindInfo = podSpecKind(p.kind)!;
    const prefix = kindInfo.template;
    // A wrongly shaped path to the template would make extraction see an empty pod: report it.
    let cur: unknown = p.obj;
    for (let i = 0; i < prefix.length; i++) {
      cur = (cur as JsonObject)[prefix[i]!];
      if (cur === undefined || cur === null) break;
      if (!isObject(cur)) {
        const path = prefix.slice(0, i + 1);
        refusedAt(p, path, `${shownObject(p.kind, p.name, p.namespace)}: ${formatFieldPath(path)} must be a mapping, not ${Array.isArray(cur) ? 'a list' : shown(cur)}`,
          'the API server would reject this object; podsec did not evaluate it');
        return;
      }
    }
    let raw = prefix.length ? cur : p.obj;
    // The API server decodes the whole object: any field of the wrong type makes it reject it, and
    // so does a field its type does not have, when the client asks for strict validation (kubectl).
    const typeErrors = validateObjectFields(p.kind, p.obj, 10, fieldValidation === 'strict');
    // Warnings are looked for apart, so that unknown fields never crowd out an error; they are
    // given also for an object the errors stop, so that fixing those brings no new surprise.
    if (fieldValidation === 'warn') {
      for (const te of validateObjectFields(p.kind, p.obj, 1000, true)) if (te.unknown) warnUnknownField(p.doc, p.at, p.kind, p.name, te, p.namespace);
    }
    if (typeErrors.length > 0) {
      for (const te of typeErrors) {
        refusedAt(p, te.path, `${shownObject(p.kind, p.name, p.namespace)}: ${formatFieldPath(te.path)} ${te.message}`,
          `${te.hint}${te.hint.endsWith('?') ? '' : ';'} podsec did not evaluate this object`);
      }
      return;
    }
    // Null list items and map values (an annotation `key: ~`) are judged as the zero values Go stores.
    const decoded = withZeroValues(p.kind, p.obj);
    if (decoded !== p.obj) {
      raw = decoded;
      for (const key of prefix) raw = isObject(raw) ? raw[key] : undefined;
    }
    const src0 = source(p);
    // Admission's extractor lets a ReplicationController without a template through (it has no
    // pod), but validation has refused it before: ValidatePodTemplateSpecForRC requires one.
    const noTemplate = (raw === undefined || raw === null) && kindInfo.optional;
    // As upstream's extractor: a missing template, metadata or spec is an empty one.
    const tpl = isObject(raw) ? raw : {};
    const metadata = isObject(tpl.metadata) ? tpl.metadata : {};
    const spec = isObject(tpl.spec) ? tpl.spec : {};
    // Validation refuses a name, a label or an annotation the API server cannot store, and a
    // selector that does not select the template's pods. An object read from a cluster (it has a
    // uid or a resourceVersion) is judged as it is stored.
    const objectMeta = p.obj.metadata;
    const stored = isObject(objectMeta) && (str(objectMeta.uid) !== '' || str(objectMeta.resourceVersion) !== '');
    const metaRefused = stored ? NO_META_REFUSALS : objectMetaRefusals(p.kind, p.apiVersion, p.obj);
    for (const e of metaRefused) {
      refusedAt(p, presentPart(p.obj, e.path), `${shownObject(p.kind, p.name, p.namespace)}: ${e.shown}: ${e.body} (the API server refuses the object)`,
        `${e.templated ? templateSyntaxHint(formatFieldPath(e.path)) : e.hint}; podsec did not evaluate this object`);
    }
    // And its own spec's fields: replicas, update strategies, a Job's completions, a CronJob's schedule...
    const workloadRefused = stored ? NO_REFUSALS : workloadSpecRefusals(p.kind, p.obj.spec);
    for (const e of workloadRefused) {
      const field = ['spec', ...e.path];
      refusedAt(p, presentPart(p.obj, field), `${shownObject(p.kind, p.name, p.namespace)}: ${e.shownText ?? formatFieldPath(e.shown ? ['spec', ...e.shown] : field)}: ${e.body} (the API server refuses the object)`,
        `${e.hint}; podsec did not evaluate this object`);
    }
    if (noTemplate) {
      const field = [...prefix];
      refusedAt(p, presentPart(p.obj, field), `${shownObject(p.kind, p.name, p.namespace)}: ${formatFieldPath(field)}: Required value (the API server refuses a ${p.kind} without a pod template)`,
        `add a template: with the pods' labels and spec; podsec did not evaluate this object`);
      return;
    }
    // The API server's validation refuses a pod without containers (often a misspelt "containers:"),
    // which the checks would otherwise pass for want of anything to check.
    if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
      const field = [...prefix, 'spec', 'containers'];
      // At the deepest part of the path the object has (a `template:` left empty, `jobTemplate: null`).
      refusedAt(p, presentPart(p.obj, field), `${shownObject(p.kind, p.name, p.namespace)}: ${formatFieldPath(field)}: Required value (the API server refuses a pod without containers)`,
        'add at least one container under containers:; podsec did not evaluate this object');
      return;
    }
    // It also refuses a container without a name or an image (a null list item decodes to an empty one).
    let unnamed = false;
    // The usual pod, every container named and with an image, is told by two reads a container.
    const complete = allNamed(spec.initContainers) && allNamed(spec.containers) && allNamed(spec.ephemeralContainers);
    if (!complete) for (const list of CONTAINER_LISTS) {
      const items = spec[list];
      if (!Array.isArray(items)) continue;
      for (let i = 0; i < items.length; i++) {
        const ctr = items[i];
        for (const key of ['name', 'image'] as const) {
          if (isObject(ctr) && typeof ctr[key] === 'string' && ctr[key] !== '') continue;
          const field = [...prefix, 'spec', list, i, key];
          refusedAt(p, field, `${shownObject(p.kind, p.name, p.namespace)}: ${formatFieldPath(field)}: Required value (the API server refuses a container without ${key === 'name' ? 'a name' : 'an image'})`,
            `give the container ${key === 'name' ? 'a name' : 'an image'}; podsec did not evaluate this object`);
          unnamed = true;
        }
      }
    }
    // A pod read from a cluster (kubectl get -o yaml: it has a uid) is what its API server accepted.
    const fromCluster = subject === 'pod' && (str(metadata.uid) !== '' || str(metadata.resourceVersion) !== '');
    // Validation refuses security fields set together that cannot be (allowPrivilegeEscalation: false
    // with privileged: true...) or set wrong (sysctls, seccomp and AppArmor annotations), and
    // Linux-only fields in a Windows pod (windowsOptions in a Linux one, an unknown OS), which
    // PodSecurity would otherwise pass for the Windows relaxations.
    // A StatefulSet's pod spec is validated as its controller makes its pods (claim volumes, no hostname).
    const refused: readonly SpecRefusal[] = fromCluster ? NO_REFUSALS : specRefusals(podSpecAsMade(p.kind, p.obj, spec), metadata.annotations, subject, str(metadata.name));
    // Names PodSecurity's messages quote: a container's or a volume's that is no DNS label, or taken.
    const misnamed = fromCluster ? NO_NAME_REFUSALS : podNameRefusals(spec, refusedVolumes(refused));
    for (const e of misnamed) {
      const field = [...prefix, 'spec', ...e.path];
      refusedAt(p, presentPart(p.obj, field), `${shownObject(p.kind, p.name, p.namespace)}: ${formatFieldPath(field)}: ${e.body} (the API server refuses the object)`,
        `${e.hint}; podsec did not evaluate this object`);
    }
    for (const e of refused) {
      const { field, shown } = refusalField(e, prefix);
      refusedAt(p, field, `${shownObject(p.kind, p.name, p.namespace)}: ${shown}: ${e.body} (the API server refuses the object)`,
        `${e.hint}; podsec did not evaluate this object`);
    }
    // Ephemeral containers only come through a running pod's ephemeralcontainers subresource
    // (kubectl debug): validation refuses them in a new Pod or a template before PodSecurity runs.
    // A pod read from a cluster holds those admission judged.
    const ephemeral = spec.ephemeralContainers;
    if (Array.isArray(ephemeral) && ephemeral.length > 0 && !fromCluster) {
      const field = [...prefix, 'spec', 'ephemeralContainers'];
      const why = subject === 'pod' ? 'cannot be set on create' : 'ephemeral containers not allowed in pod template';
      refusedAt(p, field, `${shownObject(p.kind, p.name, p.namespace)}: ${formatFieldPath(field)}: Forbidden: ${why} (the API server refuses the object)`,
        'remove ephemeralContainers (kubectl debug adds them to a running pod); podsec did not evaluate this object');
      return;
    }
    if (unnamed || misnamed.length > 0 || refused.length > 0 || metaRefused.length > 0 || workloadRefused.length > 0) return;

    const { policy, src } = chosen;
    const plan = planFor(policy, subject, !MAKES_NO_PODS.has(p.kind));

    if (config) {
      const ex = config.exemptions;
      let exempt: ResourceResult['exempt'];
      const rc = spec.runtimeClassName;
      if (ex.namespaces.has(p.namespace)) exempt = 'namespace';
      else if (options.user !== undefined && ex.usernames.has(options.user)) exempt = 'user';
      // As upstream: a fully privileged namespace is allowed before the runtime class is looked at,
      // unless its labels are invalid (then admission evaluates, and the runtime class exempts).
      else if (typeof rc === 'string' && ex.runtimeClasses.has(rc) && (!fullyPrivileged(policy) || chosen.invalidLabels)) exempt = 'runtimeClass';
      if (exempt) {
        // A user's exemption covers the workload it applies, not the pods its controller creates
        // (which a runtime class may exempt in their turn).
        const podsExempt = typeof rc === 'string' && ex.runtimeClasses.has(rc);
        if (exempt === 'user' && plan.enforceForPods && !podsExempt) exemptUsersPodsDenied(p, plan.enforceForPods, { metadata, spec }, prefix);
        resources.push({
          source: src0, apiVersion: p.apiVersion, kind: p.kind, namespace: p.namespace, name: p.name, subject,
          policy: planView(plan, policy, src, null), exempt, allowed: true, violations: [], message: '', evaluations: NO_EVALUATIONS,
        });
        return;
      }
    }

    const podLike = { metadata, spec };
    // Steps with the same level and version share one evaluation, as upstream caches them.
    let key0 = '';
    let key1 = '';
    let result0: EvaluationResult | undefined;
    let result1: EvaluationResult | undefined;
    let failed: Failed[] | undefined;
    // Made only for an object some mode fails; the steps before the first failure all passed.
    let evaluations: ModeEvaluation[] | undefined;
    const steps = plan.podsApart && evaluator.defaultsDiffer(podLike, 'pod', 'template') ? plan.podsApart.steps : plan.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      // Upstream adds no warnings to a request it denies.
      if (step.mode === 'warn' && failed !== undefined && failed[0]!.step.mode === 'enforce') continue;
      let r: EvaluationResult;
      if (step.key === key0 && result0) r = result0;
      else if (step.key === key1 && result1) r = result1;
      else {
        r = evaluator.evaluate(podLike, step.opts);
        if (!result0) {
          key0 = step.key;
          result0 = r;
        } else {
          key1 = step.key;
          result1 = r;
        }
      }
      if (!r.allowed) {
        const message = step.mode === 'enforce' ? enforceMessage(step.lv, r.forbiddenDetail) : wouldViolateMessage(step.lv, r.forbiddenDetail);
        (failed ??= []).push({ step, r, message });
        if (!evaluations) evaluations = steps.slice(0, i).map(passedEvaluation);
        evaluations.push({ mode: step.mode, level: step.lv.level, version: step.opts.version!, evaluatedVersion: step.evaluatedVersion, allowed: false, message });
      } else if (evaluations) {
        evaluations.push(passedEvaluation(step));
      }
    }
    if (failed === undefined) {
      const first = plan.steps[0];
      resources.push({
        source: src0, apiVersion: p.apiVersion, kind: p.kind, namespace: p.namespace, name: p.name, subject,
        policy: first ? stepView(first, plan, policy, src, result0!) : planView(plan, policy, src, null), allowed: true, violations: [], message: '',
        evaluations: plan.steps.length ? (plan.passed ??= plan.steps.map(passedEvaluation)) : NO_EVALUATIONS,
      });
      return;
    }
    const violations = violationsOf(p, prefix, plan, failed);
    const primary = failed[0]!;
    resources.push({
      source: src0, apiVersion: p.apiVersion, kind: p.kind, namespace: p.namespace, name: p.name, subject,
      policy: stepView(primary.step, plan, policy, src, primary.r), allowed: false, violations, message: primary.message, evaluations: evaluations!,
    });
  }

  /**
   * One entry per check and detail, whichever modes found it. Apart from evaluateOne, whose
   * variables no closure then holds: every object it judges would pay for them.
   */
  function violationsOf(p: Pending, prefix: readonly string[], plan: Plan, failed: readonly Failed[]): ReportViolation[] {
    const violations: ReportViolation[] = [];
    const locate = (v: EvaluationResult['violations'][number]): Location[] => {
      const locations: Location[] = new Array(v.fields.length);
      for (let j = 0; j < v.fields.length; j++) locations[j] = location(p, prefix, v.fields[j]!);
      return locations;
    };
    if (failed.every((f) => f.r === failed[0]!.r)) {
      // The usual case: every failing mode at one level and version; they share one list of modes.
      const key = failed.map((f) => f.step.mode).join();
      let modes = plan.modes.get(key);
      if (!modes) plan.modes.set(key, (modes = failed.map((f) => f.step.mode)));
      for (const v of failed[0]!.r.violations) violations.push({ checkId: v.checkId, reason: v.reason, detail: v.detail, locations: locate(v), modes });
    } else {
      for (const { step, r } of failed) {
        for (const v of r.violations) {
          const same = violations.find((x) => x.checkId === v.checkId && x.detail === v.detail);
          if (same) {
            if (!same.modes.includes(step.mode)) same.modes = [...same.modes, step.mode];
            continue;
          }
          violations.push({ checkId: v.checkId, reason: v.reason, detail: v.detail, locations: locate(v), modes: [step.mode] });
        }
      }
    }
    return violations;
  }

  /**
   * A user's exemption covers the workload they apply, not the pods its controller creates: said
   * as a warning, as the object itself is accepted (and exempt resources carry no findings); kept
   * until the end, as a later Namespace may change the policy.
   */
  function exemptUsersPodsDenied(p: Pending, step: Step, podLike: unknown, prefix: readonly string[]): void {
    const r = evaluator.evaluate(podLike, step.opts);
    if (r.allowed) return;
    const field = r.violations[0]!.fields[0];
    const pos = field ? location(p, prefix, field) : source(p);
    podWarnings.set(resources.length, {
      file: p.doc.file, index: p.doc.index, line: pos.line, column: pos.column, kind: p.kind, namespace: p.namespace, name: p.name,
      message: `${p.kind} ${p.namespace}/${p.name}: pods made from its template would be refused: ${enforceMessage(step.lv, r.forbiddenDetail)}`,
      hint: `the user is exempt (--config exemptions.usernames), so the object itself is accepted, but its pods are created by a controller, which is not exempt; fix the template to pass enforce ${step.key}, or its pods will not start`,
    });
  }

  /** A policy's three modes, to compare two policies. */
  function policyText(policy: Policy): string {
    return POD_MODES.map((m) => levelVersionString(policy[m])).join();
  }

  /** A passing evaluation, the same for every object: made once per step. */
  function passedEvaluation(step: Step): ModeEvaluation {
    return (step.passed ??= Object.freeze({ mode: step.mode, level: step.lv.level, version: step.opts.version!, evaluatedVersion: step.evaluatedVersion, allowed: true, message: '' }));
  }

  // Report in input order, whatever order the phases produced things in.
  const fileOrder = new Map<string, number>();
  inputs.forEach((input, i) => { if (!fileOrder.has(input.file)) fileOrder.set(input.file, i); });
  const order = (file: string): number => fileOrder.get(file) ?? 0;
  const cmp = (fa: string, ia: number, la: number, ca: number, fb: string, ib: number, lb: number, cb: number): number =>
    (fa === fb ? 0 : order(fa) - order(fb)) || ia - ib || la - lb || ca - cb;
  const bySource = (a: { source: Source }, b: { source: Source }): number =>
    cmp(a.source.file, a.source.index, a.source.line, a.source.column, b.source.file, b.source.index, b.source.line, b.source.column);
  const results = resources.filter((r): r is ResourceResult => r !== null);
  results.sort(bySource);
  notEvaluated.sort(bySource);
  const byPlace = (a: ReportError, b: ReportError): number => cmp(a.file, a.index ?? -1, a.line ?? 0, a.column ?? 0, b.file, b.index ?? -1, b.line ?? 0, b.column ?? 0);
  errors.sort(byPlace);
  warnings.sort(byPlace);
  if (options.setupWarnings?.length) warnings.unshift(...options.setupWarnings);
  if (options.setupErrors?.length) errors.unshift(...options.setupErrors);
  for (const e of errors) {
    const from = e.index !== undefined && e.renderedFrom === undefined ? renderedFrom.get(`${e.file}\0${e.index}`) : undefined;
    if (from !== undefined) e.renderedFrom = from;
  }

  const summary: Summary = {
    files,
    documents,
    checked: 0,
    allowed: 0,
    denied: 0,
    exempt: 0,
    violations: 0,
    notEvaluated: notEvaluated.length,
    errors: errors.length,
    warnings: warnings.length,
  };
  for (const r of results) {
    if (r.exempt) summary.exempt++;
    else {
      summary.checked++;
      if (r.allowed) summary.allowed++;
      else summary.denied++;
    }
    summary.violations += r.violations.length;
  }
  const exitCode: Report['exitCode'] = errors.length > 0 ? 2 : summary.denied > 0 ? 1 : 0;
  const defaultLV = flagged ? flagLV : pin(config ? config.defaults : defaultPolicy).enforce;
  return {
    tool: { name: 'podsec', version: options.toolVersion ?? '0.0.0' },
    policy: {
      level: options.level ?? null,
      version: options.version ?? null,
      default: lvText(defaultLV),
      config: options.configFile ?? null,
      newestVersion: evaluator.newestVersion,
    },
    files: [...fileOrder.keys()],
    resources: results,
    notEvaluated,
    errors,
    warnings,
    summary,
    exitCode,
  };
}
