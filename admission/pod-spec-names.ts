/**
 * ValidatePodSpec's rules for the names and labels a pod spec holds besides its containers' and
 * volumes' (pod-names.ts): nodeName a DNS subdomain, hostname and subdomain DNS labels, nodeSelector
 * labels (printed at `spec.nodeSelector`, without the key, as upstream prints them), tolerations'
 * keys and readiness gates' condition types qualified names; and, for a Pod (validateContainerOnlyForPod,
 * after all of ValidatePodSpec), container images without white space around them. serviceAccountName,
 * priorityClassName and runtimeClassName are looked up by admission plugins first, which refuse a
 * name that does not exist in words of their own: they are not checked here.
 */
import { goQuote } from './gostrings.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelKeyErrors, labelValueErrors } from './names.js';
import type { SpecRefusal } from './pod-spec-refusals.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);
// Go's strings.TrimSpace: unicode.IsSpace counts U+0085 and not U+FEFF, unlike JavaScript's \s.
const PADDED = /^(?:[^\S\uFEFF]|\u0085)|(?:[^\S\uFEFF]|\u0085)$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function podSpecNameRefusals(spec: Record<string, unknown>, of: 'pod' | 'template'): readonly SpecRefusal[] {
  let out: SpecRefusal[] | undefined;
  const add = (path: (string | number)[], value: string, messages: readonly string[], hint: string, shownText?: string): void => {
    for (const msg of messages) (out ??= []).push({ path, body: `Invalid value: ${goQuote(value)}: ${msg}`, hint, ...(shownText ? { shownText } : {}) });
  };
  const { nodeSelector, tolerations, readinessGates, nodeName, hostname, subdomain } = spec;
  if (isObject(nodeSelector)) {
    for (const [key, value] of Object.entries(nodeSelector)) {
      const hint = 'a node selector is a label of the nodes: a qualified name, and a value of at most 63 letters, digits, \'-\', \'_\' and \'.\'';
      add(['nodeSelector', key], key, labelKeyErrors(key), hint, 'spec.nodeSelector');
      if (typeof value === 'string') add(['nodeSelector', key], value, labelValueErrors(value), hint, 'spec.nodeSelector');
    }
  }
  if (typeof nodeName === 'string' && nodeName !== '') add(['nodeName'], nodeName, dns1123SubdomainErrors(nodeName), 'set nodeName to a node\'s name, or leave it out for the scheduler to choose');
  if (typeof hostname === 'string' && hostname !== '') add(['hostname'], hostname, dns1123LabelErrors(hostname), 'a hostname is at most 63 lower case letters, digits and \'-\' (no dots: the domain goes into subdomain)');
  if (typeof subdomain === 'string' && subdomain !== '') add(['subdomain'], subdomain, dns1123LabelErrors(subdomain), 'subdomain names a headless Service: at most 63 lower case letters, digits and \'-\'');
  if (Array.isArray(tolerations)) {
    for (let i = 0; i < tolerations.length; i++) {
      const key = isObject(tolerations[i]) ? (tolerations[i] as Record<string, unknown>).key : undefined;
      if (typeof key === 'string' && key !== '') add(['tolerations', i, 'key'], key, labelKeyErrors(key), 'a toleration\'s key is a taint\'s key: a qualified name (example.com/dedicated)');
    }
  }
  if (Array.isArray(readinessGates)) {
    for (let i = 0; i < readinessGates.length; i++) {
      const type = isObject(readinessGates[i]) ? (readinessGates[i] as Record<string, unknown>).conditionType : undefined;
      const value = typeof type === 'string' ? type : '';
      add(['readinessGates', i, 'conditionType'], value, labelKeyErrors(value), 'a readiness gate names a pod condition: a qualified name (example.com/feature-1)');
    }
  }
  if (of === 'pod') {
    for (const list of ['containers', 'initContainers'] as const) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      for (let i = 0; i < containers.length; i++) {
        const image = isObject(containers[i]) ? (containers[i] as Record<string, unknown>).image : undefined;
        if (typeof image === 'string' && PADDED.test(image)) add([list, i, 'image'], image, ['must not have leading or trailing whitespace'], 'remove the white space around the image name (often a stray space in a template)');
      }
    }
  }
  return out ?? NONE;
}
