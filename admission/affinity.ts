/**
 * validateAffinity: node affinity's selector terms (operators and the values each takes, keys,
 * values under the required terms only, matchFields on metadata.name, weights), and pod affinity and
 * anti-affinity terms (their label and namespace selectors as apimachinery's ValidateLabelSelector
 * sees them, namespaces, matchLabelKeys and mismatchLabelKeys, topologyKey, weights); and the
 * selectors, matchLabelKeys and repeated pairs of topology spread constraints. Upstream prints a
 * selector's matchLabels without the key and a term's namespaces as `namespace`, and so do these
 * errors. Not checked: a matchLabelKeys key merged into a selector from the pod's own labels.
 */
import { formatFieldPath } from '../engine/paths.js';
import { goQuote } from './gostrings.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelKeyErrors, labelValueErrors } from './names.js';
import type { SpecRefusal } from './pod-spec-refusals.js';

type Path = (string | number)[];
type Json = Record<string, unknown>;

const NONE: readonly SpecRefusal[] = Object.freeze([]);
const REQUIRED = 'requiredDuringSchedulingIgnoredDuringExecution';
const PREFERRED = 'preferredDuringSchedulingIgnoredDuringExecution';

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

class Found {
  out: SpecRefusal[] | undefined;
  /** An error at `path` (from the spec), printed at `shown` (from the spec) where upstream prints another path. */
  add(path: Path, body: string, hint: string, shown?: Path | string): void {
    const text = shown === undefined ? undefined : `spec.${typeof shown === 'string' ? shown : formatFieldPath(shown)}`;
    (this.out ??= []).push({ path, body, hint, ...(text ? { shownText: text } : {}) });
  }
  invalid(path: Path, value: string, messages: readonly string[], hint: string, shown?: Path): void {
    for (const msg of messages) this.add(path, `Invalid value: ${goQuote(value)}: ${msg}`, hint, shown);
  }
}

const OPERATOR_HINT = "an expression's operator is In, NotIn, Exists or DoesNotExist (a node's also Gt or Lt), the case as written here";
const LABEL_HINT = "a label key is a qualified name (example.com/role), a value at most 63 letters, digits, '-', '_' and '.'";

/** The operator rules a node selector requirement and a label selector expression share; `numeric`: Gt and Lt too. */
function operator(f: Found, p: Path, e: Json, numeric: boolean): void {
  const op = str(e.operator);
  const values = list(e.values);
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0) f.add([...p, 'values'], "Required value: must be specified when `operator` is 'In' or 'NotIn'", 'list the values the label may (In) or may not (NotIn) have');
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0) f.add([...p, 'values'], "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", 'remove values: Exists and DoesNotExist look at the key alone');
  } else if (numeric && (op === 'Gt' || op === 'Lt')) {
    if (values.length !== 1) f.add([...p, 'values'], "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'", 'give Gt and Lt one value, a whole number');
  } else {
    f.invalid([...p, 'operator'], op, ['not a valid selector operator'], OPERATOR_HINT);
  }
  const key = str(e.key);
  f.invalid([...p, 'key'], key, labelKeyErrors(key), LABEL_HINT);
}

function labelValues(f: Found, p: Path, e: Json): void {
  list(e.values).forEach((v, k) => f.invalid([...p, 'values', k], str(v), labelValueErrors(str(v)), LABEL_HINT));
}

/** apimachinery's ValidateLabelSelector, as on create (values always checked). */
function labelSelector(f: Found, p: Path, selector: unknown): void {
  if (!isObject(selector)) return;
  const { matchLabels, matchExpressions } = selector;
  if (isObject(matchLabels)) {
    for (const [key, value] of Object.entries(matchLabels)) {
      const shown = [...p, 'matchLabels'];
      f.invalid([...p, 'matchLabels', key], key, labelKeyErrors(key), LABEL_HINT, shown);
      f.invalid([...p, 'matchLabels', key], str(value), labelValueErrors(str(value)), LABEL_HINT, shown);
    }
  }
  list(matchExpressions).forEach((e, i) => {
    if (!isObject(e)) return;
    const q = [...p, 'matchExpressions', i];
    operator(f, q, e, false);
    labelValues(f, q, e);
  });
}

function nodeSelectorTerm(f: Found, p: Path, term: unknown, checkValues: boolean): void {
  if (!isObject(term)) return;
  list(term.matchExpressions).forEach((e, j) => {
    if (!isObject(e)) return;
    const q = [...p, 'matchExpressions', j];
    operator(f, q, e, true);
    if (checkValues) labelValues(f, q, e);
  });
  list(term.matchFields).forEach((e, j) => {
    if (!isObject(e)) return;
    const q = [...p, 'matchFields', j];
    const op = str(e.operator);
    if (op === 'In' || op === 'NotIn') {
      if (list(e.values).length !== 1) f.add([...q, 'values'], "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector", 'a field selector names one node: give one value');
    } else {
      f.invalid([...q, 'operator'], op, ['not a valid selector operator'], 'a node field selector takes In or NotIn');
    }
    const key = str(e.key);
    if (key !== 'metadata.name') f.invalid([...q, 'key'], key, ['not a valid field selector key'], 'a node field selector selects on metadata.name only');
    else list(e.values).forEach((v, k) => f.invalid([...q, 'values', k], str(v), dns1123SubdomainErrors(str(v)), "a node's name is a DNS subdomain"));
  });
}

function weight(f: Found, p: Path, term: Json): void {
  const w = typeof term.weight === 'number' ? term.weight : 0;
  if (w <= 0 || w > 100) f.add([...p, 'weight'], `Invalid value: ${w}: must be in the range 1-100`, 'give a preferred term a weight from 1 to 100');
}

function labelKeys(f: Found, p: Path, field: 'matchLabelKeys' | 'mismatchLabelKeys', keys: unknown[], selector: unknown): void {
  if (keys.length === 0) return;
  if (!isObject(selector)) {
    f.add([...p, field], 'Forbidden: must not be specified when labelSelector is not set', `give the term a labelSelector, or remove ${field}`);
    return;
  }
  keys.forEach((k, j) => f.invalid([...p, field, j], str(k), labelKeyErrors(str(k)), LABEL_HINT));
}

function podAffinityTerm(f: Found, p: Path, term: unknown): void {
  if (!isObject(term)) return;
  labelSelector(f, [...p, 'labelSelector'], term.labelSelector);
  labelSelector(f, [...p, 'namespaceSelector'], term.namespaceSelector);
  list(term.namespaces).forEach((n, k) => f.invalid([...p, 'namespaces', k], str(n), dns1123LabelErrors(str(n)), "a namespace's name is a DNS label", [...p, 'namespace']));
  const mlk = list(term.matchLabelKeys);
  const mmlk = list(term.mismatchLabelKeys);
  labelKeys(f, p, 'matchLabelKeys', mlk, term.labelSelector);
  labelKeys(f, p, 'mismatchLabelKeys', mmlk, term.labelSelector);
  mlk.forEach((k, j) => {
    if (mmlk.includes(k)) f.invalid([...p, 'matchLabelKeys', j], str(k), ['exists in both matchLabelKeys and mismatchLabelKeys'], 'a key is matched or mismatched, not both');
  });
  const key = str(term.topologyKey);
  if (key === '') f.add([...p, 'topologyKey'], 'Required value: can not be empty', 'set topologyKey to the node label that names the domains (kubernetes.io/hostname, topology.kubernetes.io/zone)');
  f.invalid([...p, 'topologyKey'], key, labelKeyErrors(key), LABEL_HINT);
}

/** validateTopologySpreadConstraints' pairs and selectors (its scalar fields are in pod-spec-refusals.json). */
function topologySpread(f: Found, constraints: unknown[]): void {
  constraints.forEach((c, i) => {
    if (!isObject(c)) return;
    const p: Path = ['topologySpreadConstraints', i];
    // Upstream reports the first of a pair, once, comparing it with those after it.
    const pair = (x: Json): string => `{${str(x.topologyKey)}, ${str(x.whenUnsatisfiable)}}`;
    const twin = constraints.slice(i + 1).some((d) => isObject(d) && str(d.topologyKey) === str(c.topologyKey) && str(d.whenUnsatisfiable) === str(c.whenUnsatisfiable));
    // Upstream's path has a child named with braces and a comma, printed as it is.
    if (twin) f.add(p, `Duplicate value: ${goQuote(pair(c))}`, 'spread over a topology key once for each whenUnsatisfiable: merge the two constraints', `${formatFieldPath(p)}.{topologyKey, whenUnsatisfiable}`);
    labelKeys(f, p, 'matchLabelKeys', list(c.matchLabelKeys), c.labelSelector);
    labelSelector(f, [...p, 'labelSelector'], c.labelSelector);
  });
}

/** apimachinery's ValidateLabelSelector on a selector at `path` (from the spec), as on create. */
export function labelSelectorRefusals(selector: unknown, path: Path): readonly SpecRefusal[] {
  if (!isObject(selector)) return NONE;
  const f = new Found();
  labelSelector(f, path, selector);
  return f.out ?? NONE;
}

export function affinityRefusals(spec: Json): readonly SpecRefusal[] {
  const affinity = spec.affinity;
  const spread = spec.topologySpreadConstraints;
  if (!isObject(affinity)) {
    if (!Array.isArray(spread)) return NONE;
    const f = new Found();
    topologySpread(f, spread);
    return f.out ?? NONE;
  }
  const f = new Found();
  if (Array.isArray(spread)) topologySpread(f, spread);
  const { nodeAffinity } = affinity;
  if (isObject(nodeAffinity)) {
    const base: Path = ['affinity', 'nodeAffinity'];
    const required = nodeAffinity[REQUIRED];
    if (isObject(required)) {
      const terms = list(required.nodeSelectorTerms);
      if (terms.length === 0) f.add([...base, REQUIRED, 'nodeSelectorTerms'], 'Required value: must have at least one node selector term', 'give the required node affinity a nodeSelectorTerms entry, or remove it');
      else terms.forEach((term, i) => nodeSelectorTerm(f, [...base, REQUIRED, 'nodeSelectorTerms', i], term, true));
    }
    list(nodeAffinity[PREFERRED]).forEach((term, i) => {
      if (!isObject(term)) return;
      weight(f, [...base, PREFERRED, i], term);
      nodeSelectorTerm(f, [...base, PREFERRED, i, 'preference'], term.preference, false);
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = affinity[kind];
    if (!isObject(pa)) continue;
    const base: Path = ['affinity', kind];
    list(pa[REQUIRED]).forEach((term, i) => podAffinityTerm(f, [...base, REQUIRED, i], term));
    list(pa[PREFERRED]).forEach((term, j) => {
      if (!isObject(term)) return;
      weight(f, [...base, PREFERRED, j], term);
      podAffinityTerm(f, [...base, PREFERRED, j, 'podAffinityTerm'], term.podAffinityTerm);
    });
  }
  return f.out ?? NONE;
}
