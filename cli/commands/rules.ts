/** `podsec rules`: the effective check table of a level and version, or what changed between two versions. */
import type { Evaluator, RuleDef } from '../../engine/index.js';
import { compareBytewise } from '../../engine/text.js';
import { printableLines } from '../report/text.js';
import { parseLevel, parseVersion, versionFlagError } from '../../engine/version.js';
import { RULE_LEVELS } from '../../engine/api.js';
import { levelHint, parseCommandArgs, UsageError, type CliIO } from '../io.js';
import { evaluatorFor } from '../rules-dir.js';
import { describeCondition, describeFinding, differences, fieldsOf, setsRead } from './rule-docs.js';

export const RULES_HELP = `Usage: podsec rules [flags]
       podsec rules --diff FROM TO [flags]

Prints the checks that run for a level and policy version, in evaluation order, with the
fields each reads and the values it allows; or, with --diff, what changed between two
policy versions. Everything shown is derived from the rule files.

Flags:
  -l, --level LEVEL        privileged, baseline or restricted (default restricted; with
                           --diff, baseline and restricted); privileged has no checks
      --version VERSION    latest or v1.N (default latest)
      --diff FROM TO       compare two policy versions (v1.N or latest)
  -f, --format FORMAT      text (default) or json
      --rules-dir DIR      also load rules from DIR (repeatable; adds checks, or replaces bundled ones by id)
  -h, --help               show this help

Examples:
  podsec rules                          # restricted:latest
  podsec rules --level baseline --version v1.25
  podsec rules --diff v1.31 v1.32
  podsec rules --diff v1.24 v1.25 --level restricted --format json
`;

interface TableEntry {
  id: string;
  level: string;
  revision: string;
  title: string;
  fields: string[];
  sets: Record<string, unknown[]>;
  findings: string[];
  /** When the check passes whatever its findings (`os.name: windows`, `hostUsers: false`). */
  exemptWhen?: string;
  overrides: string[];
  reason: string;
}

function entriesFor(evaluator: Evaluator, level: string, version: string): { evaluatedVersion: string; checks: TableEntry[] } {
  const policy = evaluator.resolvePolicy(level, version);
  const rules = new Map(evaluator.table.rules.map((r) => [r.id, r]));
  const scopePaths = Object.fromEntries(Object.entries(evaluator.table.scopes).map(([k, s]) => [k, s.def.paths]));
  return {
    evaluatedVersion: policy.evaluatedVersion,
    checks: policy.checks.map((c) => {
      const rule = rules.get(c.id)!;
      const v = rule.versions.find((x) => x.since === c.since)!;
      return {
        id: c.id,
        level: c.level,
        revision: `v1.${c.since}`,
        title: rule.title,
        fields: fieldsOf(v, scopePaths),
        sets: setsRead(v),
        findings: Object.entries(v.findings).map(([n, f]) => describeFinding(n, f)),
        ...(v.exemptWhen ? { exemptWhen: describeCondition(v.exemptWhen) } : {}),
        overrides: [...v.overrides],
        reason: v.message.reason,
      };
    }),
  };
}

function checkVersion(text: string, flag: string): string {
  const v = parseVersion(text);
  if (v.error) throw new UsageError(`${flag}: invalid version ${JSON.stringify(text)}: ${versionFlagError(v)}`, 'write latest or v1.N, for example v1.25');
  return text;
}

interface Change {
  id: string;
  change: 'added' | 'removed' | 'changed';
  from?: string;
  to?: string;
  details: string[];
  /** An added check that takes a removed one's place at this level, or the reverse (restricted overrides). */
  replaces?: string[];
  replacedBy?: string[];
  /** The rule file's note on the newer revision (`noteOn`): what changed there, and why. */
  note?: string;
  noteOn?: string;
}

function diff(evaluator: Evaluator, level: string, from: string, to: string): Change[] {
  const rules = new Map<string, RuleDef>(evaluator.table.rules.map((r) => [r.id, r]));
  const a = new Map(evaluator.resolvePolicy(level, from).checks.map((c) => [c.id, c]));
  const b = new Map(evaluator.resolvePolicy(level, to).checks.map((c) => [c.id, c]));
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort(compareBytewise);
  const out: Change[] = [];
  const overridesAt = (m: typeof a, id: string) => {
    const c = m.get(id);
    return c ? rules.get(id)!.versions.find((v) => v.since === c.since)!.overrides : [];
  };
  // A removed check that a check of TO overrides did not go: it was replaced (procMount at v1.35),
  // by a check added there or by one that starts overriding it in a later revision.
  const added = ids.filter((id) => !a.has(id));
  const removed = ids.filter((id) => !b.has(id));
  const replacing = new Map<string, string[]>();
  for (const id of b.keys()) for (const o of overridesAt(b, id)) if (removed.includes(o)) replacing.set(id, [...(replacing.get(id) ?? []), o]);
  // Going back, a removed check that overrides an added one gives it back its place.
  for (const id of removed) for (const o of overridesAt(a, id)) if (added.includes(o)) replacing.set(o, [...(replacing.get(o) ?? []), id]);
  const replacedBy = new Map<string, string[]>();
  for (const [by, ids2] of replacing) for (const o of ids2) replacedBy.set(o, [...(replacedBy.get(o) ?? []), by]);
  for (const id of ids) {
    const x = a.get(id);
    const y = b.get(id);
    const rule = rules.get(id)!;
    const noteOf = (since: number) => rule.versions.find((v) => v.since === since)?.note;
    if (!x) {
      const note = noteOf(y!.since);
      out.push({ id, change: 'added', to: `v1.${y!.since}`, details: [rule.title], ...(replacing.has(id) ? { replaces: replacing.get(id)! } : {}), ...(note ? { note, noteOn: `v1.${y!.since}` } : {}) });
    }
    else if (!y) out.push({ id, change: 'removed', from: `v1.${x.since}`, details: [rule.title], ...(replacedBy.has(id) ? { replacedBy: replacedBy.get(id)! } : {}) });
    else if (x.since !== y.since) {
      const vx = rule.versions.find((v) => v.since === x.since)!;
      const vy = rule.versions.find((v) => v.since === y.since)!;
      // From FROM to TO, also when FROM is the newer: going back, a value added later is dropped.
      const newer = Math.max(x.since, y.since);
      const note = noteOf(newer);
      out.push({ id, change: 'changed', from: `v1.${x.since}`, to: `v1.${y.since}`, details: differences(vx, vy), ...(note ? { note, noteOn: `v1.${newer}` } : {}) });
    }
  }
  return out;
}

export const RULES_OPTIONS = {
  level: { type: 'string', short: 'l' },
  version: { type: 'string' },
  diff: { type: 'boolean' },
  format: { type: 'string', short: 'f', default: 'text' },
  'rules-dir': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, RULES_OPTIONS, 'rules');
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown format "${values.format}"`, 'use --format text or --format json');
  if (values.level !== undefined) {
    const l = parseLevel(values.level);
    if (l.error) throw new UsageError(`invalid --level ${JSON.stringify(values.level)}: ${l.error}`, levelHint(values.level, values.diff) || 'use --level baseline or --level restricted');
  }
  if (values.diff && values.version !== undefined) throw new UsageError('--diff compares the two versions it is given: --version does not go with it', 'leave out --version (podsec rules --diff FROM TO), or --diff (podsec rules --version V)');
  if (values.diff ? positionals.length !== 2 : positionals.length !== 0) {
    throw new UsageError(values.diff ? '--diff takes two versions' : `unexpected argument "${positionals[0]}"`, values.diff ? 'for example: podsec rules --diff v1.31 v1.32' : 'run "podsec rules --help"');
  }
  const evaluator = evaluatorFor(values['rules-dir'] ?? [], io, 'rules');
  if (!evaluator) return 2;

  if (values.diff) {
    const [from, to] = [checkVersion(positionals[0]!, '--diff'), checkVersion(positionals[1]!, '--diff')];
    const newest = parseVersion(evaluator.newestVersion).version;
    for (const v of new Set([from, to])) {
      if (v !== 'latest' && parseVersion(v).version.minor > newest.minor) {
        io.stderr.write(`note: ${v} is newer than the newest policy version the rules know, ${evaluator.newestVersion}: it is evaluated as ${evaluator.newestVersion}, as Kubernetes does\n`);
      }
    }
    const levels = values.level ? [values.level] : RULE_LEVELS;
    const result = levels.map((level) => ({ level, from, to, changes: diff(evaluator, level, from, to) }));
    if (values.format === 'json') {
      io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return 0;
    }
    const lines: string[] = [];
    for (const r of result) {
      lines.push(`${r.level}: ${from} → ${to}${r.changes.length ? '' : ': no change'}`);
      for (const c of r.changes) {
        if (c.change === 'added') lines.push(`  + ${c.id} (${c.details[0]}), revision ${c.to}${c.replaces ? `, in place of ${c.replaces.join(', ')}` : ''}`);
        else if (c.change === 'removed') lines.push(`  - ${c.id} (${c.details[0]}), revision ${c.from}${c.replacedBy ? `, replaced by ${c.replacedBy.join(', ')}` : ''}`);
        else lines.push(`  ~ ${c.id}: revision ${c.from} → ${c.to}: ${c.details.join('; ')}`);
        if (c.note) lines.push(`      note on ${c.noteOn}: ${c.note}`);
      }
    }
    io.stdout.write(printableLines(lines.join('\n')) + '\n');
    return 0;
  }

  const level = values.level ?? 'restricted';
  const version = checkVersion(values.version ?? 'latest', '--version');
  const table = entriesFor(evaluator, level, version);
  if (values.format === 'json') {
    io.stdout.write(JSON.stringify({ level, version, evaluatedVersion: table.evaluatedVersion, checks: table.checks }, null, 2) + '\n');
    return 0;
  }
  if (level === 'privileged') {
    io.stdout.write(`privileged:${version}: no checks (privileged allows every pod)\n`);
    return 0;
  }
  const lines = [`${level}:${version}${table.evaluatedVersion !== version ? ` (evaluated as ${table.evaluatedVersion})` : ''}: ${table.checks.length} checks, in evaluation order`, ''];
  for (const c of table.checks) {
    lines.push(`${c.id} — ${c.title} [${c.level}, revision ${c.revision}]`);
    if (c.overrides.length) lines.push(`  replaces: ${c.overrides.join(', ')}`);
    lines.push(`  fields: ${c.fields.join(', ')}`);
    for (const [name, vals] of Object.entries(c.sets)) lines.push(`  ${name}: ${vals.map((v) => JSON.stringify(v)).join(', ')}`);
    for (const f of c.findings) lines.push(`  ${f}`);
    if (c.exemptWhen) lines.push(`  passes when ${c.exemptWhen}`);
    lines.push('');
  }
  io.stdout.write(printableLines(lines.join('\n')));
  return 0;
}
