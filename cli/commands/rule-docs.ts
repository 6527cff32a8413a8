/** Human-readable descriptions of rules, derived from the rule YAML alone. */
import type { Condition, FindingDef, ResolvedVersion, RuleDef } from '../../engine/index.js';
import type { TextNode } from '../../engine/model.js';
import { OPERATORS } from '../../engine/operators.js';

function describeValue(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'set' in value) return `<${(value as { set: string }).set}>`;
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return JSON.stringify(value);
}

function describeField(fact: string | undefined, path: string | undefined): string {
  const rel = (path ?? '$').replace(/^\$\.?/, '');
  switch (fact ?? 'element') {
    case 'pod':
      return rel ? `pod ${rel}` : 'pod';
    case 'key':
      return 'key';
    case 'value':
      return rel ? `value ${rel}` : 'value';
    default:
      return rel || 'it';
  }
}

/** `securityContext.privileged is true`, `all of (…)`, … */
export function describeCondition(cond: Condition): string {
  if ('all' in cond) return cond.all.length === 1 ? describeCondition(cond.all[0]!) : `all of (${cond.all.map(describeCondition).join('; ')})`;
  if ('any' in cond) return cond.any.length === 1 ? describeCondition(cond.any[0]!) : `any of (${cond.any.map(describeCondition).join('; ')})`;
  if ('not' in cond) return `not (${describeCondition(cond.not)})`;
  const field = describeField(cond.fact, cond.path);
  const absent = cond.default !== undefined ? ` (unset reads as ${JSON.stringify(cond.default)})` : '';
  // Loaded rules name only known operators.
  return `${field} ${OPERATORS[cond.operator]!.describe(describeValue(cond.value), cond.value)}${absent}`;
}

export function describeFinding(name: string, f: FindingDef): string {
  const scopes = (Array.isArray(f.in) ? f.in : [f.in]).join(', ');
  const unset = f.valueDefault !== undefined ? ` (a missing one reads as ${JSON.stringify(f.valueDefault)})` : '';
  const values = f.values ? ` values at ${f.values.map((v) => v.replace(/^\$\.?/, '')).join(', ')}${unset}` : '';
  // What shapes the message and the locations, beyond the condition.
  const extras: string[] = [];
  if (f.record) extras.push(`records ${describeRecord(f.record)}`);
  if (f.at !== undefined) extras.push(`points at ${describeField('element', f.at)}`);
  if (f.sortSubjects) extras.push('lists its subjects sorted');
  return `${name}${f.messageOnly ? ' (message only)' : ''}: each of ${scopes}${values} breaks it when ${describeCondition(f.when)}${extras.length ? `; ${extras.join('; ')}` : ''}`;
}

function describeRecord(r: NonNullable<FindingDef['record']>): string {
  const field = describeField(r.fact, r.path);
  if (r.firstKeyOf !== undefined) return `the first key of ${describeValue(r.firstKeyOf)} that ${field} has${r.otherwise !== undefined ? ` (none: ${JSON.stringify(r.otherwise)})` : ''}`;
  const unset = r.default !== undefined ? ` (unset: ${JSON.stringify(r.default)})` : '';
  return `${field}${r.format === 'keyEqualsQuotedValue' ? ' as key="value"' : ''}${unset}`;
}

/**
 * A message template for people. A plain template is one line, as written. A structured one is a
 * head line and indented lines under it, one per alternative or part, each led by its condition:
 *
 *   the first that applies:
 *     when explicit: {{setters explicit}} must not set securityContext.runAsNonRoot=false
 *     when implicit: pod or {{setters implicit}} must set securityContext.runAsNonRoot=true
 *
 * Nested nodes indent further. The lines after the first carry their indent (two spaces a level).
 */
export function describeTemplate(node: TextNode): string[] {
  if (typeof node === 'string') return [node];
  if (node.oneOf) return ['the first that applies:', ...node.oneOf.flatMap((n) => branch(n, 'otherwise'))];
  const parts = node.parts ? `the parts that apply, ${joinedWith(node.join)}:` : undefined;
  if (node.text === undefined) return parts ? [parts, ...node.parts!.flatMap((n) => branch(n, 'always'))] : [''];
  if (!node.parts) return [node.text];
  return [node.text, `  where {{parts}} is ${parts}`, ...node.parts.flatMap((n) => branch(n, 'always').map((l) => '  ' + l))];
}

function joinedWith(sep: string | undefined): string {
  return sep ? `joined with ${JSON.stringify(sep)}` : 'joined without a separator';
}

/** One alternative or part, indented one level, led by when it is shown. */
function branch(node: TextNode, always: string): string[] {
  const names = typeof node === 'string' ? undefined : node.when;
  const lead = names ? `when ${names.join(' or ')}` : always;
  const [head, ...rest] = describeTemplate(node);
  return [`  ${lead}: ${head}`, ...rest.map((l) => '  ' + l)];
}

/** Several paths as one: `$.spec.{initContainers,containers,ephemeralContainers}[*]`. */
export function joinPaths(paths: string[]): string {
  if (paths.length <= 1) return paths[0] ?? '$';
  let prefix = paths[0]!;
  for (const p of paths) while (!p.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.slice(0, prefix.lastIndexOf('.') + 1);
  let suffix = paths[0]!;
  for (const p of paths) while (!p.endsWith(suffix)) suffix = suffix.slice(1);
  const cut = suffix.search(/[.[]/);
  suffix = cut < 0 ? '' : suffix.slice(cut);
  const middles = paths.map((p) => p.slice(prefix.length, p.length - suffix.length));
  return `${prefix}{${middles.join(',')}}${suffix}`;
}

/** The field paths a rule version reads, written from the pod's root. */
export function fieldsOf(version: ResolvedVersion, scopePaths: Record<string, string[]>): string[] {
  const out = new Set<string>();
  const leafPaths = (c: Condition, acc: { fact?: string; path?: string }[]): void => {
    if ('all' in c) c.all.forEach((x) => leafPaths(x, acc));
    else if ('any' in c) c.any.forEach((x) => leafPaths(x, acc));
    else if ('not' in c) leafPaths(c.not, acc);
    else acc.push({ fact: c.fact, path: c.path });
  };
  for (const f of Object.values(version.findings)) {
    const bases = (Array.isArray(f.in) ? f.in : [f.in]).map((s) => joinPaths(scopePaths[s.slice(1)] ?? []));
    const leaves: { fact?: string; path?: string }[] = [];
    leafPaths(f.when, leaves);
    for (const leaf of leaves) {
      const rel = (leaf.path ?? '$').replace(/^\$/, '');
      if (leaf.fact === 'pod') out.add(('$' + rel).replace(/^\$\.?/, ''));
      else if (leaf.fact === 'value') for (const b of bases) for (const v of f.values ?? []) out.add((b + v.replace(/^\$/, '') + rel).replace(/^\$\.?/, ''));
      else if (leaf.fact !== 'key') for (const b of bases) out.add((b + rel).replace(/^\$\.?/, ''));
      else for (const b of bases) out.add(b.replace(/^\$\.?/, '') + ' (keys)');
    }
  }
  return [...out];
}

export function versionLabel(rule: RuleDef, index: number, last = index): string {
  const v = rule.versions[index]!;
  const next = rule.versions[last + 1];
  if (!next) return `v1.${v.since}+`;
  return next.since - 1 === v.since ? `v1.${v.since}` : `v1.${v.since}–v1.${next.since - 1}`;
}

/** What one version entry changed relative to the one before it. */
export function versionChanges(rule: RuleDef, index: number): string[] {
  const prev = rule.versions[index - 1];
  return prev ? differences(prev, rule.versions[index]!) : ['introduced'];
}

/**
 * The value sets a version reads (`{ set: NAME }` in its findings or exemption): a set it
 * inherits but no longer reads (seccomp annotations after v1.19) says nothing of what it checks.
 */
export function setsRead(v: ResolvedVersion): Record<string, unknown[]> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const set = (node as { set?: unknown }).set;
      if (typeof set === 'string') names.add(set);
      Object.values(node).forEach(visit);
    }
  };
  visit(v.findings);
  visit(v.exemptWhen);
  return Object.fromEntries(Object.entries(v.sets).filter(([name]) => names.has(name)));
}

/** What differs between two versions of one rule, in words. */
export function differences(prev: ResolvedVersion, v: ResolvedVersion): string[] {
  const out: string[] = [];
  // Both sides' sets: compared backwards (rules --diff v1.32 v1.31), a set may be read only in prev.
  const now = setsRead(v);
  const then = setsRead(prev);
  for (const name of new Set([...Object.keys(now), ...Object.keys(then)])) {
    const values = now[name];
    const before = then[name];
    const list = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).join(', ') || 'nothing';
    if (before === undefined) {
      out.push(`${name} is read: ${list(values!)}`);
      continue;
    }
    if (values === undefined) {
      out.push(`${name} is no longer read`);
      continue;
    }
    const added = values.filter((x) => !before.includes(x));
    const removed = before.filter((x) => !values.includes(x));
    if (added.length) out.push(`${name} adds ${list(added)}`);
    if (removed.length) out.push(`${name} drops ${list(removed)}`);
  }
  if (JSON.stringify(v.exemptWhen) !== JSON.stringify(prev.exemptWhen)) {
    // Both sides may exempt pods, under different conditions: say what stops passing too.
    if (prev.exemptWhen) out.push(`no longer passes when ${describeCondition(prev.exemptWhen)}`);
    if (v.exemptWhen) out.push(`passes when ${describeCondition(v.exemptWhen)}`);
  }
  if (JSON.stringify(v.overrides) !== JSON.stringify(prev.overrides)) out.push(`replaces ${v.overrides.join(', ') || 'nothing'} in restricted`);
  if (JSON.stringify(v.findings) !== JSON.stringify(prev.findings)) out.push('what is checked changes');
  if (JSON.stringify(v.message) !== JSON.stringify(prev.message)) out.push('message changes');
  return out.length ? out : ['no change in behaviour'];
}
