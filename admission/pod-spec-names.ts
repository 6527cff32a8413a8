/**
 * ValidatePodSpec's rules for the names and labels a pod spec holds besides its containers' and
 * volumes' (pod-names.ts): nodeName a DNS subdomain, hostname and subdomain DNS labels, nodeSelector
 * labels (printed at `spec.nodeSelector`, without the key, as upstream prints them), tolerations'
 * keys, readiness gates' condition types and scheduling gates qualified names (the gates once each), dnsConfig's nameservers and search
 * domains, host aliases' addresses and names; and, for a Pod (validateContainerOnlyForPod,
 * after all of ValidatePodSpec), container images without white space around them and no nodeName
 * beside scheduling gates. serviceAccountName,
 * priorityClassName and runtimeClassName are looked up by admission plugins first, which refuse a
 * name that does not exist in words of their own: they are not checked here.
 */
import { createRequire } from 'node:module';
import { GO_SPACE_AT_ENDS, goJson, goQuote } from './gostrings.js';
import { byteLength, dns1123LabelErrors, dns1123SubdomainErrors, labelKeyErrors, labelValueErrors } from './names.js';
import type { SpecRefusal } from './pod-spec-refusals.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);

// node:net for its IPv6 parser alone, loaded at the first address that needs it: loading it at
// start-up cost every run of the command line some milliseconds.
let net: typeof import('node:net') | undefined;
const isIPv6 = (s: string): boolean => (net ??= createRequire(import.meta.url)('node:net') as typeof import('node:net')).isIPv6(s);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const SEARCH_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')";
const SEARCH = /^_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/;

/** netutils.ParseIPSloppy accepts it: Go's old parser, which takes IPv4 parts with leading zeros, and no zone. */
function isSloppyIP(s: string): boolean {
  const v4 = IPV4.exec(s);
  if (v4) return v4.slice(1).every((part) => part.length <= 10 && Number(part) <= 255);
  return !s.includes('%') && isIPv6(s);
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
  const { schedulingGates } = spec;
  if (Array.isArray(schedulingGates)) {
    // Printed at the item, without .name; an invalid name still counts for the duplicates.
    const seen = new Set<string>();
    for (let i = 0; i < schedulingGates.length; i++) {
      const name = isObject(schedulingGates[i]) ? (schedulingGates[i] as Record<string, unknown>).name : undefined;
      const value = typeof name === 'string' ? name : '';
      const path = ['schedulingGates', i, 'name'];
      const shown = ['schedulingGates', i];
      for (const msg of labelKeyErrors(value)) (out ??= []).push({ path, shown, body: `Invalid value: ${goQuote(value)}: ${msg}`, hint: 'a scheduling gate is a qualified name (example.com/quota-check)' });
      if (seen.has(value)) (out ??= []).push({ path, shown, body: `Duplicate value: ${goQuote(value)}`, hint: 'list each scheduling gate once' });
      seen.add(value);
    }
  }
  const { dnsConfig, dnsPolicy, hostAliases } = spec;
  // With dnsPolicy None and no nameservers upstream stops at the missing nameservers (pod-spec-refusals.json).
  if (isObject(dnsConfig) && !(dnsPolicy === 'None' && !(Array.isArray(dnsConfig.nameservers) && dnsConfig.nameservers.length > 0))) {
    const { nameservers, searches } = dnsConfig;
    if (Array.isArray(nameservers)) {
      if (nameservers.length > 3) {
        (out ??= []).push({ path: ['dnsConfig', 'nameservers', 3], shownText: 'spec.dnsConfig.nameservers', body: `Invalid value: ${goJson(nameservers)}: must not have more than 3 nameservers`, hint: 'a pod resolves names with at most 3 nameservers: keep three' });
      }
      nameservers.forEach((ns, i) => {
        const text = typeof ns === 'string' ? ns : '';
        if (!isSloppyIP(text)) add(['dnsConfig', 'nameservers', i], text, [IP_MSG], 'a nameserver is an IP address (10.96.0.10, 2001:db8::53), not a host name');
      });
    }
    if (Array.isArray(searches)) {
      const texts = searches.map((x) => (typeof x === 'string' ? x : ''));
      if (texts.length > 32) (out ??= []).push({ path: ['dnsConfig', 'searches', 32], shownText: 'spec.dnsConfig.searches', body: `Invalid value: ${goJson(texts)}: must not have more than 32 search paths`, hint: 'keep at most 32 search domains' });
      if (byteLength(texts.join(' ')) > 2048) (out ??= []).push({ path: ['dnsConfig', 'searches'], shownText: 'spec.dnsConfig.searches', body: `Invalid value: ${goJson(texts)}: must not have more than 2048 characters (including spaces) in the search list`, hint: 'shorten the search domains: together at most 2048 characters' });
      texts.forEach((search, i) => {
        if (search === '.') return;
        const trimmed = search.endsWith('.') ? search.slice(0, -1) : search;
        const msgs: string[] = [];
        if (byteLength(trimmed) > 253) msgs.push('must be no more than 253 characters');
        if (!SEARCH.test(trimmed)) msgs.push(SEARCH_MSG);
        add(['dnsConfig', 'searches', i], trimmed, msgs, 'a search domain is a DNS name in lower case (svc.cluster.local)');
      });
    }
  }
  if (Array.isArray(hostAliases)) {
    hostAliases.forEach((alias, i) => {
      const { ip, hostnames } = isObject(alias) ? alias : {};
      const text = typeof ip === 'string' ? ip : '';
      if (!isSloppyIP(text)) add(['hostAliases', i, 'ip'], text, [IP_MSG], 'a host alias maps an IP address (10.1.2.3) to host names');
      if (Array.isArray(hostnames)) {
        hostnames.forEach((h, j) => {
          const name = typeof h === 'string' ? h : '';
          add(['hostAliases', i, 'hostnames', j], name, dns1123SubdomainErrors(name), 'a host name is a DNS name in lower case (db.example.internal)');
        });
      }
    });
  }
  if (of === 'pod') {
    // ValidatePodCreate: the scheduler may not have placed a pod whose gates still hold it back.
    if (typeof nodeName === 'string' && nodeName !== '' && Array.isArray(schedulingGates) && schedulingGates.length > 0) {
      (out ??= []).push({ path: ['nodeName'], body: 'Forbidden: cannot be set until all schedulingGates have been cleared', hint: 'a pod with scheduling gates waits for the scheduler: remove nodeName, or the gates' });
    }
    for (const list of ['containers', 'initContainers'] as const) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      for (let i = 0; i < containers.length; i++) {
        const image = isObject(containers[i]) ? (containers[i] as Record<string, unknown>).image : undefined;
        if (typeof image === 'string' && GO_SPACE_AT_ENDS.test(image)) add([list, i, 'image'], image, ['must not have leading or trailing whitespace'], 'remove the white space around the image name (often a stray space in a template)');
      }
    }
  }
  return out ?? NONE;
}
