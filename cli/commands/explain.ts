/** `podsec explain CHECK`: a check's documentation and version history, from its rule file. */
import { NAMESPACE_RULE } from '../report/model.js';
import { printableLines } from '../report/text.js';
import { relative } from 'node:path';
import { closestKey } from '../../engine/nearest.js';
import { parseCommandArgs, UsageError, type CliIO } from '../io.js';
import { evaluatorFor } from '../rules-dir.js';
import type { TextNode } from '../../engine/model.js';
import { describeCondition, describeFinding, describeTemplate, fieldsOf, setsRead, versionChanges, versionLabel } from './rule-docs.js';

export const EXPLAIN_HELP = `Usage: podsec explain [flags] CHECK

Prints a check's documentation from its rule file: what it is for, the fields it reads,
the values it allows at each policy version, its message, and its version history.

Flags:
      --rules-dir DIR   also load rules from DIR (repeatable; adds checks, or replaces bundled ones by id)
  -h, --help            show this help

Examples:
  podsec explain sysctls
  podsec explain runAsNonRoot
  podsec rules --level baseline     # every check id of a level
`;

export const EXPLAIN_OPTIONS = { 'rules-dir': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } as const;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(argv, EXPLAIN_OPTIONS, 'explain');
  if (parsed.values.help) {
    io.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('takes one check id', 'for example: podsec explain sysctls (podsec rules lists the ids)');
  const evaluator = evaluatorFor(parsed.values['rules-dir'] ?? [], io, 'explain');
  if (!evaluator) return 2;
  const id = parsed.positionals[0]!;
  if (id.trim() === '') throw new UsageError('the check id is empty', 'for example: podsec explain sysctls (podsec rules lists the ids)');
  if (id.toLowerCase() === NAMESPACE_RULE.id.toLowerCase()) {
    // Reports name it as they name checks, so it is explained here too.
    io.stdout.write([
      `${NAMESPACE_RULE.id} — ${NAMESPACE_RULE.title}`, '', NAMESPACE_RULE.summary, '', `To fix: ${NAMESPACE_RULE.fix}`, '',
      'This is no check of a level: `podsec check` reports it for a Namespace in its input whose',
      'labels the API server would refuse, whatever the policy. The objects in that namespace are',
      'judged as admission judges them then: an invalid enforce level counts as restricted, an',
      'invalid audit or warn level as privileged, and an invalid version as latest.',
      '', `Standard: ${NAMESPACE_RULE.standard}`, '',
    ].join('\n'));
    return 0;
  }
  const scopePaths = Object.fromEntries(Object.entries(evaluator.table.scopes).map(([k, s]) => [k, s.def.paths]));
  const rule = evaluator.table.rules.find((r) => r.id === id) ?? evaluator.table.rules.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!rule) {
    const ids = evaluator.table.rules.map((r) => r.id).sort();
    // A check id split by level (seccompProfile_baseline, …) is often asked for by its stem, and
    // one that is not split (procMount) with a level's suffix.
    const lower = id.toLowerCase();
    const stem = lower.replace(/_(baseline|restricted)$/, '');
    const stemmed = ids.filter((i) => i.toLowerCase().startsWith(lower + '_') || (stem !== lower && i.toLowerCase() === stem));
    let meant = stemmed.length ? stemmed : [closestKey(id, [...ids, NAMESPACE_RULE.id])].filter((i) => i !== undefined);
    // Asked for by a part of its id (seccomp), or by a field it reads (hostNetwork).
    if (meant.length === 0) meant = ids.filter((i) => lower.length >= 4 && i.toLowerCase().includes(lower));
    if (meant.length === 0) {
      const reads = (r: (typeof evaluator.table.rules)[number]) => r.versions.some((v) => fieldsOf(v, scopePaths).some((f) => f.toLowerCase().split(/[.[\]]+/).includes(lower)));
      meant = evaluator.table.rules.filter(reads).map((r) => r.id).sort();
    }
    throw new UsageError(`no check "${id}"`, `${meant.length ? `did you mean ${meant.map((i) => `"${i}"`).join(' or ')}? ` : ''}known checks: ${ids.join(', ')} (and ${NAMESPACE_RULE.id}, which reports give an invalid Namespace)`);
  }
  const out: string[] = [];
  const message = (label: string, node: TextNode) => {
    const [head, ...rest] = describeTemplate(node);
    out.push(`  ${label}: ${head}`, ...rest.map((l) => `  ${l}`));
  };
  out.push(`${rule.id} — ${rule.title} (${rule.level})`, '', rule.summary.trim(), '');
  if (rule.fix) out.push(`To fix: ${rule.fix.trim()}`, '');
  out.push(`Standard: ${rule.standard}`, `Rule file: ${relative(io.cwd ?? process.cwd(), rule.file)}`);
  // A baseline check a restricted one replaces does not run at restricted: say so here too.
  const replacedBy: string[] = [];
  for (const r of evaluator.table.rules) {
    for (let i = 0; i < r.versions.length; i++) {
      if (!r.versions[i]!.overrides.includes(rule.id)) continue;
      let last = i;
      while (last + 1 < r.versions.length && r.versions[last + 1]!.overrides.includes(rule.id)) last++;
      replacedBy.push(`${r.id} (${versionLabel(r, i, last)})`);
      i = last;
    }
  }
  if (replacedBy.length) out.push(`In restricted, replaced by: ${replacedBy.join(', ')}`);
  out.push('');
  rule.versions.forEach((v, i) => {
    out.push(`${versionLabel(rule, i)}: ${versionChanges(rule, i).join('; ')}`);
    if (v.note) out.push(`  ${v.note.trim()}`);
    out.push('  Fields:');
    for (const f of fieldsOf(v, scopePaths)) out.push(`    ${f}`);
    // Only the sets this version reads: one it inherits but no longer reads would misstate it.
    const sets = Object.entries(setsRead(v));
    if (sets.length) {
      out.push('  Value sets:');
      for (const [name, values] of sets) out.push(`    ${name}: ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    }
    out.push('  Findings:');
    for (const [name, f] of Object.entries(v.findings)) out.push(`    ${describeFinding(name, f)}`);
    if (v.exemptWhen) out.push(`  Exempt pods: the check passes when ${describeCondition(v.exemptWhen)}`);
    if (v.overrides.length) out.push(`  In restricted, replaces: ${v.overrides.join(', ')}`);
    message('Reason', v.message.reason);
    if (v.message.detail !== undefined) message('Detail', v.message.detail);
    out.push('');
  });
  io.stdout.write(printableLines(out.join('\n')));
  return 0;
}
