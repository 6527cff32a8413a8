/**
 * What the API server's validation refuses in the metadata of a pod-bearing object and of its pod
 * template, in its selector, and in its pods' restartPolicy and activeDeadlineSeconds:
 * ValidateObjectMeta (the name by the kind's name function, the generateName as a prefix, label
 * keys and values, annotation keys and their total size), ValidatePodTemplateSpec's labels and
 * annotations, and each kind's selector and pod rules, in upstream's words and order, from the
 * table in object-meta.json. `podsec check` reports these instead of judging the object;
 * admission never sees such an object, so the webhook needs none of this.
 *
 * A valid object costs a pass over the characters of its names, label keys and values, and
 * allocates nothing: the checks return one shared empty list.
 */
import { readFileSync } from 'node:fs';
import { formatFieldPath } from '../engine/paths.js';
import { labelSelectorRefusals } from './affinity.js';
import { goJson, goJsonMap, goNumber, goQuote } from './gostrings.js';
import { byteLength, dns1123LabelErrors, labelKeyErrors, labelValueErrors, nameErrors, type NameRule } from './names.js';

import type { JsonObject } from './extract.js';

interface SelectorRule {
  type: 'map' | 'labelSelector';
  /** The API versions whose selector is validated as given (the older ones defaulted it from the template). */
  versions?: string[];
  when?: 'manualSelector';
  required?: boolean;
  empty?: string | null;
  invalid?: string | null;
  /** The selector is validated after the template (a Job's). */
  afterTemplate?: boolean;
}

interface KindRule {
  name: NameRule;
  maxNameLength?: number;
  nameIsLabelValue?: boolean;
  /** The labels the API server puts in the selector it generates, and expects it to select (a Job's, unless manualSelector). */
  generatedSelector?: { adds: string; expects: Record<string, 'uid' | 'name'> };
  indexedHostname?: boolean;
  template?: { path: string[]; shown: string[] };
  selector?: SelectorRule;
  jobTemplate?: string[];
  pods?: PodsRule;
  podSpec?: PodSpecRule;
}

/** How a kind's template's pod spec is validated, where it is not as it is written (a StatefulSet's). */
export interface PodSpecRule {
  /** The list (from the object) whose items the controller adds to each pod as volumes of their metadata.name. */
  claimVolumes?: string[];
  /** Fields of the pod spec validation leaves out, as the controller sets them. */
  cleared?: string[];
}

const AS_WRITTEN: PodSpecRule = Object.freeze({});

/** The kind's rules for its pods' restartPolicy and activeDeadlineSeconds, on top of ValidatePodSpec's. */
interface PodsRule {
  /** The restart policies the kind's pods may have (after an unset one defaults to Always). */
  restartPolicy: string[];
  /** Always (the default) is refused as a missing value, not as an unsupported one (a Job's). */
  alwaysIsMissing?: boolean;
  /** The only restart policy allowed with a podFailurePolicy, read beside the template (a Job's). */
  withPodFailurePolicy?: string;
  /** The kind whose words forbid activeDeadlineSeconds (`activeDeadlineSeconds in ReplicaSet is not Supported`). */
  noActiveDeadlineIn?: string;
}

const TABLE = JSON.parse(readFileSync(new URL('./object-meta.json', import.meta.url), 'utf8')) as {
  kinds: Record<string, KindRule>;
  restartPolicies: string[];
  hints: Record<string, string>;
};

export interface MetaRefusal {
  /** Where it is written, from the object (the part of it that exists is where it is reported). */
  path: (string | number)[];
  /** The field upstream names, as it prints it (`spec.template.labels`). */
  shown: string;
  /** The error as the API server words it after the field (field.Error's body). */
  body: string;
  /** What to do about it. */
  hint: string;
  /** The value refused holds `{{ }}` template syntax: it was never rendered. */
  templated?: boolean;
}

const NONE: readonly MetaRefusal[] = Object.freeze([]);
const METADATA_LABELS = Object.freeze(['metadata', 'labels']);
const METADATA_ANNOTATIONS = Object.freeze(['metadata', 'annotations']);
const SELECTOR = Object.freeze(['spec', 'selector']);
const SELECTOR_MATCH_LABELS = Object.freeze(['spec', 'selector', 'matchLabels']);
const POD_SPEC = Object.freeze(['spec']);
const EMPTY: JsonObject = Object.freeze({});
const TOTAL_ANNOTATION_SIZE = 256 * 1024;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field as Go decodes it: null and absent are "". */
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const hint = (key: string, kind = ''): string => TABLE.hints[key]!.replace('{kind}', kind);

const templated = (value: string): boolean => {
  const open = value.indexOf('{{');
  return open >= 0 && value.indexOf('}}', open) > open;
};

/**
 * A selector as field errors print it since Kubernetes 1.34: the *metav1.LabelSelector as JSON
 * (its json tags, empty lists and maps left out), map keys in Go's order.
 */
export function labelSelectorJson(selector: JsonObject): string {
  const parts: string[] = [];
  if (isObject(selector.matchLabels) && Object.keys(selector.matchLabels).length > 0) parts.push(`"matchLabels":${goJsonMap(selector.matchLabels)}`);
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (exprs.length > 0) {
    const requirement = (e: unknown): string => {
      const r = isObject(e) ? e : {};
      const values = Array.isArray(r.values) ? r.values.map(str) : [];
      return `{"key":${goJson(str(r.key))},"operator":${goJson(str(r.operator))}${values.length ? `,"values":${goJson(values)}` : ''}}`;
    };
    parts.push(`"matchExpressions":[${exprs.map(requirement).join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}

/** The errors of the object being checked: made with the first one. */
class Found {
  list: MetaRefusal[] | undefined;
  add(path: (string | number)[], shown: string, body: string, hintText: string, value?: string): void {
    const r: MetaRefusal = { path, shown, body, hint: hintText };
    if (value !== undefined && templated(value)) r.templated = true;
    (this.list ??= []).push(r);
  }
}
// One for all objects: a valid one allocates nothing.
const found = new Found();
const foundCount = (): number => found.list?.length ?? 0;

/** Whether an object has a key, without listing them. */
function hasKeys(o: JsonObject): boolean {
  for (const _ in o) return true;
  return false;
}

const invalid = (value: string, detail: string): string => `Invalid value: ${goQuote(value)}: ${detail}`;

/** ValidateLabels: each key a qualified name, each value a label value; reported where each is written. */
function checkLabels(labels: unknown, at: readonly (string | number)[], shown: string, why?: string, valid?: JsonObject): void {
  if (!isObject(labels)) return;
  for (const key in labels) {
    const value = str(labels[key]);
    // A pair found valid elsewhere (the template's, as the object has it; a selector's, as its
    // template has it) is not checked again.
    if (valid !== undefined && valid[key] === value) continue;
    const keyErrors = labelKeyErrors(key);
    const valueErrors = labelValueErrors(value);
    if (keyErrors.length === 0 && valueErrors.length === 0) continue;
    const where = [...at, key];
    const suffix = why ? `; ${why}` : '';
    for (const msg of keyErrors) found.add(where, shown, invalid(key, msg), `${hint('labelKey')}${suffix}`, key);
    for (const msg of valueErrors) found.add(where, shown, invalid(value, msg), `${hint('labelValue')}${suffix}`, value);
  }
}

/** ValidateAnnotations: keys are qualified names whatever their case; keys and values together at most 256 KiB. */
function checkAnnotations(annotations: unknown, at: readonly (string | number)[], shown: string): void {
  if (!isObject(annotations)) return;
  let chars = 0;
  for (const key in annotations) {
    chars += key.length + str(annotations[key]).length;
    if (labelKeyErrors(key).length === 0) continue;
    for (const msg of labelKeyErrors(key.toLowerCase())) found.add([...at, key], shown, invalid(key, msg), hint('annotationKey'), key);
  }
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a large total is measured in bytes.
  if (chars * 3 <= TOTAL_ANNOTATION_SIZE) return;
  let bytes = 0;
  for (const key in annotations) bytes += byteLength(key) + byteLength(str(annotations[key]));
  if (bytes > TOTAL_ANNOTATION_SIZE) found.add([...at], shown, `Too long: must have at most ${TOTAL_ANNOTATION_SIZE} bytes`, hint('annotationsSize'));
}

/**
 * ValidateTemplateObjectMeta's annotations and labels (an ephemeral volume's claim template's), at
 * `at` in the object, printed under `shown`.
 */
export function templateMetaRefusals(meta: unknown, at: readonly (string | number)[], shown: string): readonly MetaRefusal[] {
  if (!isObject(meta)) return NONE;
  const outer = found.list;
  found.list = undefined;
  checkAnnotations(meta.annotations, [...at, 'annotations'], `${shown}.annotations`);
  checkLabels(meta.labels, [...at, 'labels'], `${shown}.labels`);
  const list = found.list ?? NONE;
  found.list = outer;
  return list;
}

/** ValidateObjectMeta's name, generateName, labels and annotations; whether its labels are valid. */
/**
 * The name the API server makes of a generateName (names.SimpleNameGenerator): at most 58 of its
 * characters and 5 random ones, which a manifest cannot know and messages show as xxxxx.
 */
const GENERATED_BASE = 58;
const GENERATED_SUFFIX = 'xxxxx';
function nameOf(meta: JsonObject): string {
  const name = str(meta.name);
  const generateName = str(meta.generateName);
  return name !== '' || generateName === '' ? name : generateName.slice(0, GENERATED_BASE) + GENERATED_SUFFIX;
}

/** Where the name a message speaks of is written: the name, or the generateName it is made of (made on an error only). */
const nameField = (meta: JsonObject): string[] => (str(meta.name) === '' && str(meta.generateName) !== '' ? ['metadata', 'generateName'] : ['metadata', 'name']);

function checkObjectMeta(rule: KindRule, kind: string, meta: JsonObject): boolean {
  const name = str(meta.name);
  const generateName = str(meta.generateName);
  if (generateName !== '') {
    const prefixErrors = nameErrors(rule.name, generateName, true);
    for (const msg of prefixErrors) {
      found.add(['metadata', 'generateName'], 'metadata.generateName', invalid(generateName, msg), hint(rule.name === 'label' ? 'labelPrefix' : 'subdomainPrefix', kind), generateName);
    }
    // The name made of a valid prefix is validated too ("a.-" makes a label that starts with "-").
    if (name === '' && prefixErrors.length === 0) {
      const generated = nameOf(meta);
      for (const msg of nameErrors(rule.name, generated, false)) {
        found.add(['metadata', 'generateName'], 'metadata.name', invalid(generated, msg), hint('generatedName'), generateName);
      }
    }
  }
  if (name === '') {
    // Without a generateName: with one, the API server completes the name before it validates it.
    if (generateName === '') found.add(['metadata', 'name'], 'metadata.name', 'Required value: name or generateName is required', hint('nameRequired'));
  } else {
    const errs = nameErrors(rule.name, name, false);
    for (let i = 0; i < errs.length; i++) {
      found.add(['metadata', 'name'], 'metadata.name', invalid(name, errs[i]!), hint(rule.name === 'label' ? 'label' : 'subdomain', kind), name);
    }
  }
  const generation = meta.generation;
  if (typeof generation === 'number' && generation < 0) {
    found.add(['metadata', 'generation'], 'metadata.generation', `Invalid value: ${goNumber(generation)}: must be greater than or equal to 0`, hint('generation'));
  }
  const before = foundCount();
  checkLabels(meta.labels, METADATA_LABELS, 'metadata.labels');
  const labelsValid = foundCount() === before;
  checkAnnotations(meta.annotations, METADATA_ANNOTATIONS, 'metadata.annotations');
  if (Array.isArray(meta.ownerReferences)) checkOwnerReferences(meta.ownerReferences);
  if (Array.isArray(meta.finalizers)) checkFinalizers(meta.finalizers);
  return labelsValid;
}

/** An owner reference as field errors print it: metav1.OwnerReference as JSON (unset pointers left out). */
function ownerReferenceJson(ref: unknown): string {
  const r = isObject(ref) ? ref : {};
  let json = `{"apiVersion":${goJson(str(r.apiVersion))},"kind":${goJson(str(r.kind))},"name":${goJson(str(r.name))},"uid":${goJson(str(r.uid))}`;
  if (typeof r.controller === 'boolean') json += `,"controller":${r.controller}`;
  if (typeof r.blockOwnerDeletion === 'boolean') json += `,"blockOwnerDeletion":${r.blockOwnerDeletion}`;
  return `${json}}`;
}

/** ValidateOwnerReferences: each names its owner whole (an Event owns nothing), and one at most is the controller. */
function checkOwnerReferences(refs: readonly unknown[]): void {
  const at = ['metadata', 'ownerReferences'];
  let firstController = '';
  for (let i = 0; i < refs.length; i++) {
    const r = isObject(refs[i]) ? (refs[i] as JsonObject) : {};
    const apiVersion = str(r.apiVersion);
    const kind = str(r.kind);
    // schema.ParseGroupVersion: "group/version" or "version"; more than one slash parses as none.
    const slashes = apiVersion.split('/').length - 1;
    const group = slashes === 1 ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const version = apiVersion === '/' || slashes > 1 ? '' : slashes === 1 ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (version === '') found.add([...at, i, 'apiVersion'], 'metadata.ownerReferences.apiVersion', invalid(apiVersion, 'version must not be empty'), hint('ownerReference'), apiVersion);
    for (const field of ['kind', 'name', 'uid'] as const) {
      if (str(r[field]) === '') found.add([...at, i, field], `metadata.ownerReferences.${field}`, invalid('', 'must not be empty'), hint('ownerReference'));
    }
    if (group === '' && version === 'v1' && kind === 'Event') {
      found.add([...at, i], 'metadata.ownerReferences', `Invalid value: ${ownerReferenceJson(r)}: /v1, Kind=Event is disallowed from being an owner`, hint('ownerEvent'));
    }
    if (r.controller === true) {
      const controller = `${kind}/${str(r.name)}`;
      if (firstController === '') firstController = controller;
      else {
        found.add([...at, i, 'controller'], 'metadata.ownerReferences',
          `Invalid value: [${refs.map(ownerReferenceJson).join(',')}]: Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${controller}`, hint('ownerController'));
      }
    }
  }
}

const STANDARD_FINALIZERS: ReadonlySet<string> = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/**
 * ValidateFinalizers (each a qualified name; orphan and foregroundDeletion not both), then the core
 * API's own rule: a name without a '/' must be one of its standard finalizers.
 */
function checkFinalizers(finalizers: readonly unknown[]): void {
  const at = ['metadata', 'finalizers'];
  const names = finalizers.map(str);
  for (let i = 0; i < names.length; i++) {
    for (const msg of labelKeyErrors(names[i]!)) found.add([...at, i], 'metadata.finalizers', invalid(names[i]!, msg), hint('finalizer'), names[i]);
  }
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    found.add([...at], 'metadata.finalizers', `Invalid value: ${goJson(names)}: finalizer orphan and foregroundDeletion cannot be both set`, hint('finalizerConflict'));
  }
  for (let i = 0; i < names.length; i++) {
    if (!names[i]!.includes('/') && !STANDARD_FINALIZERS.has(names[i]!)) {
      found.add([...at, i], `metadata.finalizers[${i}]`, invalid(names[i]!, 'name is neither a standard finalizer name nor is it fully qualified'), hint('finalizer'), names[i]);
    }
  }
}

/** Whether a label selector (valid) holds for a set of labels, as labels.Selector.Matches. */
function selectorMatches(matchLabels: unknown, exprs: unknown, labels: JsonObject): boolean {
  if (isObject(matchLabels)) {
    for (const key in matchLabels) {
      const value = labels[key];
      if ((value === undefined && !Object.hasOwn(labels, key)) || str(value) !== str(matchLabels[key])) return false;
    }
  }
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      if (!isObject(e)) continue;
      const key = str(e.key);
      const has = Object.hasOwn(labels, key);
      const values = Array.isArray(e.values) ? e.values.map(str) : [];
      switch (e.operator) {
        case 'In': if (!has || !values.includes(str(labels[key]))) return false; break;
        case 'NotIn': if (has && values.includes(str(labels[key]))) return false; break;
        case 'Exists': if (!has) return false; break;
        case 'DoesNotExist': if (has) return false; break;
      }
    }
  }
  return true;
}

/** ValidateLabelSelector, strict about values (as the apps kinds and a new Job are): whether any error was found. */
function checkLabelSelector(matchLabels: unknown, exprs: unknown, valid: JsonObject | undefined): boolean {
  const at = SELECTOR;
  const before = foundCount();
  checkLabels(matchLabels, SELECTOR_MATCH_LABELS, 'spec.selector.matchLabels', undefined, valid);
  if (Array.isArray(exprs) && exprs.length > 0) {
    exprs.forEach((e, i) => {
      const r = isObject(e) ? e : {};
      const base = [...at, 'matchExpressions', i];
      const shown = `spec.selector.matchExpressions[${i}]`;
      const values = Array.isArray(r.values) ? r.values.map(str) : [];
      const op = str(r.operator);
      if (op === 'In' || op === 'NotIn') {
        if (values.length === 0) found.add([...base, 'values'], `${shown}.values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'", hint('valuesRequired'));
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (values.length > 0) found.add([...base, 'values'], `${shown}.values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", hint('valuesForbidden'));
      } else {
        found.add([...base, 'operator'], `${shown}.operator`, invalid(op, 'not a valid selector operator'), hint('operator'), op);
      }
      for (const msg of labelKeyErrors(str(r.key))) found.add([...base, 'key'], `${shown}.key`, invalid(str(r.key), msg), hint('labelKey'), str(r.key));
      values.forEach((v, j) => {
        for (const msg of labelValueErrors(v)) found.add([...base, 'values', j], `${shown}.values[${j}]`, invalid(v, msg), hint('labelValue'), v);
      });
    });
  }
  return foundCount() > before;
}

/** The selector does not select the template's labels. */
function mismatch(templatePath: readonly string[], labels: unknown): void {
  const labelsPath = [...templatePath, 'metadata', 'labels'];
  found.add(labelsPath, labelsPath.join('.'), `Invalid value: ${goJsonMap(labels)}: \`selector\` does not match template \`labels\``, hint('selectorMismatch'));
}

/** A label selector's rules (the apps kinds', a Job's with manualSelector: true) against its template's labels. */
function checkSelector(rule: SelectorRule, spec: JsonObject, templatePath: readonly string[], labels: unknown, labelsValid: boolean): void {
  const selector = spec.selector;
  if (!isObject(selector)) {
    if (rule.required) found.add([...SELECTOR], 'spec.selector', 'Required value', hint('selectorRequired'));
    // A nil selector selects nothing: not the template's labels either.
    mismatch(templatePath, labels);
    return;
  }
  const matchLabels = selector.matchLabels;
  const exprs = selector.matchExpressions;
  const refused = checkLabelSelector(matchLabels, exprs, labelsValid && isObject(labels) ? labels : undefined);
  const empty = !(isObject(matchLabels) && hasKeys(matchLabels)) && !(Array.isArray(exprs) && exprs.length > 0);
  if (empty && rule.empty) found.add([...SELECTOR], 'spec.selector', `Invalid value: ${labelSelectorJson(selector)}: ${rule.empty}`, hint('selectorEmpty'));
  if (refused) {
    // metav1.LabelSelectorAsSelector fails where validation does: no match is tried.
    if (typeof rule.invalid === 'string') {
      found.add([...SELECTOR], 'spec.selector', `Invalid value: ${labelSelectorJson(selector)}${rule.invalid ? `: ${rule.invalid}` : ''}`, hint('selectorInvalid'));
    }
    return;
  }
  // An empty selector selects everything.
  if (!empty && !selectorMatches(matchLabels, exprs, isObject(labels) ? labels : {})) mismatch(templatePath, labels);
}

/** The uid the API server gives a new object, which no manifest can know. */
const NEW_UID = '<uid>';

/**
 * validateGeneratedSelector: the API server adds its uid label to a selector the manifest gives,
 * which must then select the labels it expects (the uid and the name); a selector of labels of
 * one's own never does.
 */
function checkGeneratedSelector(generated: NonNullable<KindRule['generatedSelector']>, selector: JsonObject, name: string): void {
  // ValidateJobSpec validates what the manifest gives of it as a label selector; one that does not
  // parse selects nothing, and is not matched.
  const refused = labelSelectorRefusals(selector, ['selector']);
  if (refused.length > 0) {
    for (const e of refused) found.add(['spec', ...e.path], e.shownText ?? formatFieldPath(['spec', ...e.path]), e.body, e.hint);
    return;
  }
  const given = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const matchLabels: JsonObject = Object.hasOwn(given, generated.adds) ? given : { ...given, [generated.adds]: NEW_UID };
  const expected: JsonObject = {};
  for (const [key, what] of Object.entries(generated.expects)) expected[key] = what === 'uid' ? NEW_UID : name;
  if (selectorMatches(matchLabels, exprs, expected)) return;
  const shown = labelSelectorJson({ ...selector, matchLabels }).replace(goJson(NEW_UID), `"${NEW_UID}"`);
  found.add([...SELECTOR], 'spec.selector', `Invalid value: ${shown}: \`selector\` not auto-generated`, hint('generatedSelector'));
}

/**
 * validateGeneratedSelector's ValidateHasLabel: each label the API server puts on a Job's pods
 * (its uid's and its name's), when the manifest already sets it, must have the value it would
 * have set. The labels are printed as they are then, the new uid shown as <uid>.
 */
function checkGeneratedLabels(generated: NonNullable<KindRule['generatedSelector']>, labels: JsonObject, templatePath: readonly string[], name: string): void {
  const expected: Record<string, string> = {};
  for (const [key, what] of Object.entries(generated.expects)) expected[key] = what === 'uid' ? NEW_UID : name;
  // Without a name (none given, none generated) there is none to compare with.
  const wrong = Object.keys(expected).filter((key) => expected[key] !== '' && Object.hasOwn(labels, key) && str(labels[key]) !== expected[key]);
  if (wrong.length === 0) return;
  const after: JsonObject = { ...labels };
  for (const key of Object.keys(expected)) if (!Object.hasOwn(after, key)) after[key] = expected[key]!;
  const shown = goJsonMap(after).replaceAll(goJson(NEW_UID), `"${NEW_UID}"`);
  for (const key of wrong) {
    found.add([...templatePath, 'metadata', 'labels', key], `${formatFieldPath([...templatePath, 'metadata'])}.labels[${key}]`,
      `Invalid value: ${shown}: must be '${expected[key]}'`, hint(expected[key] === NEW_UID ? 'generatedUidLabel' : 'generatedNameLabel'), str(labels[key]));
  }
}

/** Go's field.NotSupported body: `Unsupported value: "x": supported values: "a", "b"`. */
const notSupported = (value: string, supported: readonly string[]): string =>
  `Unsupported value: ${goQuote(value)}: supported values: ${supported.map(goQuote).join(', ')}`;

const MAX_INT32 = 2 ** 31 - 1;

// Paths are made only for an error: almost every pod has none.
function restart(at: readonly string[], shown: string, body: string, hintKey: string, value?: string): void {
  found.add([...at, 'restartPolicy'], `${shown}.restartPolicy`, body, hint(hintKey), value);
}

function deadlineError(at: readonly string[], shown: string, body: string, hintKey: string): void {
  found.add([...at, 'activeDeadlineSeconds'], `${shown}.activeDeadlineSeconds`, body, hint(hintKey));
}

/**
 * A pod spec's restartPolicy and activeDeadlineSeconds: ValidatePodSpec's rules for any pod, then
 * the kind's for the pods its controller makes (the apps kinds', a ReplicationController's, a
 * Job's). An unset restartPolicy has been defaulted to Always (SetDefaults_PodSpec).
 */
function checkPodSpecRules(podSpec: JsonObject, at: readonly string[], shown: string, pods: PodsRule | undefined, owner: JsonObject | undefined): void {
  const written = str(podSpec.restartPolicy);
  const policy = written === '' ? 'Always' : written;
  if (!TABLE.restartPolicies.includes(policy)) restart(at, shown, notSupported(policy, TABLE.restartPolicies), 'restartPolicy', policy);
  const deadline = podSpec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > MAX_INT32)) {
    deadlineError(at, shown, `Invalid value: ${goNumber(deadline)}: must be between 1 and ${MAX_INT32}, inclusive`, 'activeDeadlineRange');
  }
  if (!pods) return;
  const allowed = pods.restartPolicy;
  if (pods.alwaysIsMissing && policy === 'Always') {
    restart(at, shown, `Required value: valid values: ${allowed.map(goQuote).join(', ')}`, 'restartPolicyJob');
  } else if (!allowed.includes(policy)) {
    restart(at, shown, notSupported(policy, allowed), pods.alwaysIsMissing ? 'restartPolicyJob' : 'restartPolicyAlways', policy);
  } else if (pods.withPodFailurePolicy !== undefined && owner !== undefined && owner.podFailurePolicy != null && policy !== pods.withPodFailurePolicy) {
    restart(at, shown, `Invalid value: ${goQuote(policy)}: only ${goQuote(pods.withPodFailurePolicy)} is supported when podFailurePolicy is specified`, 'restartPolicyPodFailure', policy);
  }
  if (pods.noActiveDeadlineIn !== undefined && deadline != null) {
    deadlineError(at, shown, `Forbidden: activeDeadlineSeconds in ${pods.noActiveDeadlineIn} is not Supported`, 'activeDeadlineForbidden');
  }
}

/** A kind's rule with the paths and words its checks use, made once. */
interface Compiled extends KindRule {
  templateLabels?: readonly string[];
  templateLabelsShown?: string;
  templateAnnotations?: readonly string[];
  templateAnnotationsShown?: string;
  templateSpec?: readonly string[];
  templateSpecShown?: string;
}

const COMPILED = new Map<string, Compiled>(Object.entries(TABLE.kinds).map(([kind, rule]) => {
  const c: Compiled = { ...rule };
  if (rule.template) {
    const shown = rule.template.shown.join('.');
    Object.assign(c, {
      templateLabels: Object.freeze([...rule.template.path, 'metadata', 'labels']),
      templateLabelsShown: `${shown}.labels`,
      templateAnnotations: Object.freeze([...rule.template.path, 'metadata', 'annotations']),
      templateAnnotationsShown: `${shown}.annotations`,
      templateSpec: Object.freeze([...rule.template.path, 'spec']),
      templateSpecShown: `${shown}.spec`,
    });
  }
  return [kind, c] as const;
}));

/**
 * The pod spec the API server validates, as far as it differs from the template's: a
 * StatefulSet's has no hostname or subdomain (its controller sets them) and a volume for each of
 * its claim templates, in place of a template's volume of that name. Upstream puts those volumes
 * first; here they stay in place or come last, so that the template's volumes keep the indexes
 * (and lines) they have in the manifest.
 */
export function podSpecAsMade(kind: string, obj: JsonObject, spec: JsonObject): JsonObject {
  const rule = TABLE.kinds[kind]?.podSpec ?? AS_WRITTEN;
  let made = spec;
  if (rule.cleared?.some((key) => made[key] !== undefined)) {
    made = { ...spec };
    for (const key of rule.cleared) delete made[key];
  }
  const path = rule.claimVolumes;
  if (!path) return made;
  let claims: unknown = obj;
  for (const key of path) claims = isObject(claims) ? claims[key] : undefined;
  if (!Array.isArray(claims)) return made;
  const names = new Set<string>();
  for (const c of claims) if (isObject(c) && isObject(c.metadata) && typeof c.metadata.name === 'string') names.add(c.metadata.name);
  if (names.size === 0) return made;
  const claimVolume = (name: string): JsonObject => ({ name, persistentVolumeClaim: { claimName: name } });
  const nameOf = (v: unknown): string | undefined => (isObject(v) && typeof v.name === 'string' ? v.name : undefined);
  const volumes = (Array.isArray(made.volumes) ? made.volumes : []).map((v) => {
    const name = nameOf(v);
    return name !== undefined && names.has(name) ? claimVolume(name) : v;
  });
  const present = new Set(volumes.map(nameOf));
  for (const name of names) if (!present.has(name)) volumes.push(claimVolume(name));
  return { ...made, volumes };
}

/**
 * The errors ValidateObjectMeta gives the labels and annotations of an object of another kind
 * (a Namespace's: ValidateNamespace validates them before admission reads its labels).
 */
export function labelAndAnnotationRefusals(obj: JsonObject): readonly MetaRefusal[] {
  found.list = undefined;
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  checkLabels(meta.labels, METADATA_LABELS, 'metadata.labels');
  checkAnnotations(meta.annotations, METADATA_ANNOTATIONS, 'metadata.annotations');
  const list = found.list;
  found.list = undefined;
  return list ?? NONE;
}

/**
 * The errors validation gives an object's metadata, its template's and its selector, in upstream's
 * order; none (one shared empty list) for a valid object.
 */
export function objectMetaRefusals(kind: string, apiVersion: string, obj: JsonObject): readonly MetaRefusal[] {
  const rule = COMPILED.get(kind);
  if (!rule) return NONE;
  found.list = undefined;
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const labelsValid = checkObjectMeta(rule, kind, meta);
  const spec = isObject(obj.spec) ? obj.spec : {};
  let template: JsonObject | undefined;
  if (rule.template) {
    // From the spec read above where the path starts there.
    const path = rule.template.path;
    let node: unknown = path[0] === 'spec' ? spec : obj[path[0]!];
    for (let i = 1; i < path.length; i++) node = isObject(node) ? node[path[i]!] : undefined;
    template = isObject(node) ? node : undefined;
  }
  const templateMeta = template && isObject(template.metadata) ? template.metadata : undefined;
  const templateLabels = templateMeta?.labels;
  const name = nameOf(meta);
  const selectorRule = rule.selector;
  const selectorApplies = selectorRule?.type === 'labelSelector' &&
    (selectorRule.versions === undefined || selectorRule.versions.includes(apiVersion)) &&
    (selectorRule.when !== 'manualSelector' || spec.manualSelector === true);

  if (selectorRule?.type === 'map') {
    // SetDefaults_ReplicationController: an empty selector, and the object's labels when it has
    // none, are the template's labels. Without a template the selector is still required.
    if (isObject(templateLabels) && !(isObject(meta.labels) && hasKeys(meta.labels))) {
      checkLabels(templateLabels, rule.templateLabels!, 'metadata.labels', hint('templateFromObject'));
    }
    const given = isObject(spec.selector) && hasKeys(spec.selector) ? spec.selector : undefined;
    const selector = given ?? (isObject(templateLabels) ? templateLabels : undefined);
    if (selector === undefined || !hasKeys(selector)) {
      found.add([...SELECTOR], 'spec.selector', 'Required value', hint(isObject(templateLabels) ? 'selectorRequired' : 'selectorMapRequired'));
    } else if (given && template) {
      const labels = isObject(templateLabels) ? templateLabels : {};
      for (const key in given) {
        if (!Object.hasOwn(labels, key) || str(labels[key]) !== str(given[key])) {
          found.add([...rule.templateLabels!], rule.templateLabels!.join('.'),
            `Invalid value: ${goJsonMap(templateLabels)}: \`selector\` does not match template \`labels\``, hint('selectorMismatch'));
          break;
        }
      }
    }
  }
  // The template's labels are checked before the selector that upstream checks first: errors are
  // reported by where they are written, and a selector's pair that the template has, valid, is
  // not checked again.
  const before = foundCount();
  if (templateMeta) checkLabels(templateLabels, rule.templateLabels!, rule.templateLabelsShown!, undefined, labelsValid && isObject(meta.labels) ? meta.labels : undefined);
  const templateLabelsValid = foundCount() === before;
  if (selectorApplies && !selectorRule!.afterTemplate) checkSelector(selectorRule!, spec, rule.template!.path, templateLabels, templateLabelsValid);
  if (templateMeta) checkAnnotations(templateMeta.annotations, rule.templateAnnotations!, rule.templateAnnotationsShown!);
  // A selector given where the API server generates one must select what it generates.
  if (rule.generatedSelector && spec.manualSelector !== true && isObject(spec.selector)) checkGeneratedSelector(rule.generatedSelector, spec.selector, name);
  // And the labels it gives the template's pods must be its own: the manifest's are kept.
  if (rule.generatedSelector && spec.manualSelector !== true && isObject(templateLabels)) checkGeneratedLabels(rule.generatedSelector, templateLabels, rule.template!.path, name);
  // A Job's generated selector labels its pods with its name (unless its selector is manual).
  if (rule.nameIsLabelValue && template && name !== '' && spec.manualSelector !== true) {
    for (const msg of labelValueErrors(name)) found.add(nameField(meta), rule.templateLabelsShown!, invalid(name, msg), hint('jobNameLabel'), name);
  }
  if (rule.jobTemplate) {
    let jobSpec: unknown = obj;
    for (const key of rule.jobTemplate) jobSpec = isObject(jobSpec) ? jobSpec[key] : undefined;
    if (isObject(jobSpec)) {
      const shown = rule.jobTemplate.join('.');
      if (isObject(jobSpec.selector)) {
        found.add([...rule.jobTemplate, 'selector'], `${shown}.selector`, `Invalid value: ${labelSelectorJson(jobSpec.selector)}: \`selector\` will be auto-generated`, hint('jobTemplateSelector'));
      }
      if (jobSpec.manualSelector === true) {
        found.add([...rule.jobTemplate, 'manualSelector'], `${shown}.manualSelector`, 'Unsupported value: true: supported values: "nil", "false"', hint('jobTemplateManualSelector'));
      }
    }
  }
  if (selectorApplies && selectorRule!.afterTemplate) checkSelector(selectorRule!, spec, rule.template!.path, templateLabels, templateLabelsValid);
  if (rule.indexedHostname && name !== '' && spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    const hostname = `${name}-${spec.completions - 1}`;
    if (dns1123LabelErrors(hostname).length > 0) {
      found.add(nameField(meta), 'metadata.name', invalid(name, `will not able to create pod with invalid DNS label: ${hostname}`), hint('indexedHostname'), name);
    }
  }
  if (rule.maxNameLength !== undefined && name.length * 3 > rule.maxNameLength && byteLength(name) > rule.maxNameLength) {
    const at = nameField(meta);
    const generated = at[1] === 'generateName';
    found.add(at, 'metadata.name', invalid(name, `must be no more than ${rule.maxNameLength} characters`),
      generated ? hint('maxGeneratedNameLength').replace('{max}', String(rule.maxNameLength - GENERATED_SUFFIX.length)) : hint('maxNameLength'), name);
  }
  if (!rule.template) {
    checkPodSpecRules(spec, POD_SPEC, 'spec', rule.pods, undefined);
  } else if (template) {
    // The Job spec beside the template holds its podFailurePolicy; a template without a spec has
    // an empty one, defaulted as any.
    let owner: unknown = obj;
    for (const key of rule.template.path.slice(0, -1)) owner = isObject(owner) ? owner[key] : undefined;
    checkPodSpecRules(isObject(template.spec) ? template.spec : EMPTY, rule.templateSpec!, rule.templateSpecShown!, rule.pods, isObject(owner) ? owner : undefined);
  }
  const list = found.list;
  found.list = undefined;
  return list ?? NONE;
}
