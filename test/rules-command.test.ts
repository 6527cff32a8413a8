// `podsec rules`, `podsec rules --diff` and `podsec explain`, run in-process.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { bundledRulesDir } from '../engine/load.js';
import { run as explain } from '../cli/commands/explain.js';
import { run as rules } from '../cli/commands/rules.js';
import type { CliIO } from '../cli/io.js';
import { cli } from './helpers/cli.js';
import { projectRoot } from './helpers/shared.js';

async function capture(cmd: (argv: string[], io: CliIO) => Promise<number>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin: (async function* () {})(), env: {}, isTTY: false };
  const code = await cmd(argv, io);
  return { code, out, err };
}

t.test('rules: restricted:latest lists the checks the evaluator runs there, in its order', async (t) => {
  const { code, out } = await capture(rules, ['--format', 'json']);
  t.equal(code, 0);
  const table = JSON.parse(out);
  const evaluator = createEvaluator();
  const policy = evaluator.resolvePolicy('restricted', 'latest');
  t.equal(table.evaluatedVersion, evaluator.newestVersion);
  t.same(table.checks.map((c: { id: string }) => c.id), policy.checks.map((c) => c.id));
  const caps = table.checks.find((c: { id: string }) => c.id === 'capabilities_restricted');
  t.same(caps.sets.allowedAdd, ['NET_BIND_SERVICE']);
  t.same(caps.overrides, ['capabilities_baseline']);
  // The pods a check lets pass whatever its findings are part of it.
  const exempt = table.checks.filter((c: { exemptWhen?: string }) => c.exemptWhen).map((c: { id: string; exemptWhen: string }) => [c.id, c.exemptWhen]);
  t.same(exempt.map(([id]: string[]) => id), policy.checks.filter((c) => c.exemptWhen).map((c) => c.id), 'each check that exempts pods says when');
  t.ok(exempt.some(([id, when]: string[]) => id === 'runAsNonRoot' && when === 'pod spec.hostUsers is false'));
  t.ok(exempt.some(([id, when]: string[]) => id === 'allowPrivilegeEscalation' && when === 'pod spec.os.name is "windows"'));
  const text = await capture(rules, []);
  t.match(text.out, /\nrunAsUser — [^\n]*\n(?: {2}[^\n]*\n)* {2}passes when pod spec\.hostUsers is false\n/);
});

t.test('rules: a set a version inherits but no longer reads is not listed, and --diff says so', async (t) => {
  const v119 = JSON.parse((await capture(rules, ['--level', 'baseline', '--version', 'v1.19', '--format', 'json'])).out);
  t.same(Object.keys(v119.checks.find((c: { id: string }) => c.id === 'seccompProfile_baseline').sets), ['allowedTypes'], 'annotations are not checked from v1.19');
  const v118 = JSON.parse((await capture(rules, ['--level', 'baseline', '--version', 'v1.18', '--format', 'json'])).out);
  t.same(Object.keys(v118.checks.find((c: { id: string }) => c.id === 'seccompProfile_baseline').sets), ['allowedAnnotationValues']);
  const diff = await capture(rules, ['--diff', 'v1.18', 'v1.19', '--level', 'baseline']);
  t.match(diff.out, 'seccompProfile_baseline: revision v1.0 → v1.19: allowedTypes is read: "RuntimeDefault", "Localhost"; allowedAnnotationValues is no longer read;');
  // The rule file's note on the revision says why, as explain gives it.
  const note = createEvaluator().table.rules.find((r) => r.id === 'seccompProfile_baseline')!.versions.find((v) => v.since === 19)!.note!;
  t.match(diff.out, `\n      note on v1.19: ${note}\n`);
  const back = JSON.parse((await capture(rules, ['--diff', 'v1.19', 'v1.18', '--level', 'baseline', '--format', 'json'])).out);
  t.same([back[0].changes[0].note, back[0].changes[0].noteOn], [note, 'v1.19'], 'going back, the note on the revision left');
  const explained = (await capture(explain, ['seccompProfile_baseline'])).out;
  const v119block = explained.split('\n\n').find((b) => b.startsWith('v1.19+'))!;
  t.match(v119block, /\n {4}allowedTypes: "RuntimeDefault", "Localhost"\n/);
  t.notMatch(v119block, /allowedAnnotationValues:/, 'explain lists only the sets the version reads');
});

t.test('rules: a pinned old version shows the values of that version', async (t) => {
  const { out } = await capture(rules, ['--level', 'baseline', '--version', 'v1.26', '--format', 'json']);
  const sysctls = JSON.parse(out).checks.find((c: { id: string }) => c.id === 'sysctls');
  t.equal(sysctls.revision, 'v1.0');
  t.notOk(sysctls.sets.allowedSysctls.includes('net.ipv4.ip_local_reserved_ports'));
  const text = (await capture(rules, ['--level', 'baseline', '--version', 'v1.26'])).out;
  t.match(text, /^baseline:v1\.26: 11 checks, in evaluation order/);
  t.match(text, /sysctls — Sysctls \[baseline, revision v1\.0\]/);
});

t.test('rules --diff v1.31 v1.32: only the sysctls table grows', async (t) => {
  const { code, out } = await capture(rules, ['--diff', 'v1.31', 'v1.32']);
  t.equal(code, 0);
  t.equal(out, [
    'baseline: v1.31 → v1.32',
    '  ~ sysctls: revision v1.29 → v1.32: allowedSysctls adds "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"',
    'restricted: v1.31 → v1.32',
    '  ~ sysctls: revision v1.29 → v1.32: allowedSysctls adds "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"',
    '',
  ].join('\n'));
});

t.test('rules --diff FROM TO with FROM the newer: the changes read from FROM to TO', async (t) => {
  const { code, out } = await capture(rules, ['--diff', 'v1.32', 'v1.31', '--level', 'baseline']);
  t.equal(code, 0);
  t.equal(out, 'baseline: v1.32 → v1.31\n  ~ sysctls: revision v1.32 → v1.29: allowedSysctls drops "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"\n');
  const [back] = JSON.parse((await capture(rules, ['--diff', 'v1.35', 'v1.34', '--level', 'restricted', '--format', 'json'])).out);
  const byId = Object.fromEntries(back.changes.map((c: { id: string }) => [c.id, c]));
  t.match(byId.procMount, { change: 'added', to: 'v1.0' });
  t.match(byId.procMount_restricted, { change: 'removed', from: 'v1.35' });
  t.same(byId.runAsNonRoot.details, ['no longer passes when pod spec.hostUsers is false']);
  t.same(byId.procMount.replaces, ['procMount_restricted']);
  t.same(byId.procMount_restricted.replacedBy, ['procMount']);
});

t.test('rules --diff: a check that starts replacing another in a later revision is said to replace it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-diff-'));
  mkdirSync(join(dir, 'restricted'));
  writeFileSync(join(dir, 'restricted', 'noPrivileged.yaml'), readFileSync(join(projectRoot, 'rules', 'restricted', 'allowPrivilegeEscalation.yaml'), 'utf8')
    .replace(/^id: .*$/m, 'id: noPrivileged').replace(/^  - since: v1\.25$/m, '  - since: v1.25\n    overrides: [privileged]'));
  const { code, out } = await capture(rules, ['--diff', 'v1.24', 'v1.25', '--level', 'restricted', '--rules-dir', dir]);
  t.equal(code, 0);
  t.match(out, /\n  - privileged \(Privileged Containers\), revision v1\.0, replaced by noPrivileged\n/);
  const [result] = JSON.parse((await capture(rules, ['--diff', 'v1.24', 'v1.25', '--level', 'restricted', '--rules-dir', dir, '--format', 'json'])).out);
  const byId = Object.fromEntries(result.changes.map((c: { id: string }) => [c.id, c]));
  t.same(byId.privileged.replacedBy, ['noPrivileged']);
  t.equal(byId.noPrivileged.change, 'changed');
});

t.test('rules --diff across overrides and exemptions', async (t) => {
  const { out } = await capture(rules, ['--diff', 'v1.34', 'v1.35', '--level', 'restricted', '--format', 'json']);
  const [result] = JSON.parse(out);
  const byId = Object.fromEntries(result.changes.map((c: { id: string }) => [c.id, c]));
  t.equal(byId.procMount.change, 'removed');
  t.equal(byId.procMount_restricted.change, 'added');
  t.same(byId.procMount.replacedBy, ['procMount_restricted']);
  t.same(byId.procMount_restricted.replaces, ['procMount']);
  // In text, a check that restricted swaps for another is not shown as simply gone.
  const text = (await capture(rules, ['--diff', 'v1.18', 'v1.19', '--level', 'restricted'])).out;
  t.equal(text, [
    'restricted: v1.18 → v1.19',
    '  - seccompProfile_baseline (Seccomp), revision v1.0, replaced by seccompProfile_restricted',
    '  + seccompProfile_restricted (Seccomp), revision v1.19, in place of seccompProfile_baseline',
    '      note on v1.19: In restricted it takes the place of seccompProfile_baseline; before v1.19 restricted checks only the baseline seccomp annotations.',
    '',
  ].join('\n'));
  t.match(byId.runAsNonRoot.details[0], /passes when pod spec\.hostUsers is false/);
  t.match(byId.runAsUser.details[0], /passes when pod spec\.hostUsers is false/);
  const none = await capture(rules, ['--diff', 'v1.35', 'v1.36']);
  t.equal(none.out, 'baseline: v1.35 → v1.36: no change\nrestricted: v1.35 → v1.36: no change\n');
});

t.test('rules --level privileged: no checks, said so, exit 0', async (t) => {
  t.same(await capture(rules, ['--level', 'privileged']), { code: 0, out: 'privileged:latest: no checks (privileged allows every pod)\n', err: '' });
  t.equal((await capture(rules, ['-l', 'privileged', '--version', 'v1.25'])).out, 'privileged:v1.25: no checks (privileged allows every pod)\n');
  const json = await capture(rules, ['--level', 'privileged', '--format', 'json']);
  t.same(JSON.parse(json.out), { level: 'privileged', version: 'latest', evaluatedVersion: '', checks: [] });
  t.same(await capture(rules, ['--diff', 'v1.31', 'v1.32', '--level', 'privileged']), { code: 0, out: 'privileged: v1.31 → v1.32: no change\n', err: '' });
});

t.test('rules: bad arguments are usage errors', async (t) => {
  await t.rejects(capture(rules, ['--version', 'v1.05']), { name: 'UsageError', message: /invalid version "v1.05"/ });
  // Of the right form but past what Kubernetes reads: the form alone would not say what is wrong.
  await t.rejects(capture(rules, ['--version', 'v1.99999999999999999999']), { name: 'UsageError', message: '--version: invalid version "v1.99999999999999999999": must be "latest" or "v1.x", with x at most 9223372036854775807 (Go\'s int64, as Kubernetes reads it)' });
  await t.rejects(capture(rules, ['--diff', 'v1.31']), { name: 'UsageError', message: '--diff takes two versions' });
  await t.rejects(capture(rules, ['--diff', 'v1.30', 'v1.31', '--version', 'v1.25']), { name: 'UsageError', message: '--diff compares the two versions it is given: --version does not go with it' });
  const beyond = await capture(rules, ['--diff', 'v1.31', 'v1.99']);
  t.equal(beyond.code, 0);
  t.match(beyond.err, /^note: v1\.99 is newer than the newest policy version the rules know, v1\.\d+: it is evaluated as v1\.\d+, as Kubernetes does\n$/);
  await t.rejects(capture(rules, ['--level', 'strict']), { name: 'UsageError', message: 'invalid --level "strict": must be one of privileged, baseline, restricted', hint: 'use --level baseline or --level restricted' });
  // A policy as reports write it: the two flags it means.
  await t.rejects(capture(rules, ['--level', 'baseline:v1.29']), { message: 'invalid --level "baseline:v1.29": must be one of privileged, baseline, restricted', hint: 'use --level baseline --version v1.29' });
  await t.rejects(capture(rules, ['--diff', 'v1.28', 'v1.29', '--level', 'baseline:v1.29']), { name: 'UsageError', hint: 'use --level baseline (the versions are the ones given to --diff)' });
  await t.rejects(capture(rules, ['--bogus']), { name: 'UsageError', message: /unknown flag --bogus/ });
});

t.test('explain names what a finding records, where it points and how it lists, besides its condition', async (t) => {
  t.match((await capture(explain, ['restrictedVolumes'])).out, /volumes: each of #volumes breaks it when it sets none of <allowedSources>; records the first key of <restrictedSources> that it has \(none: "unknown"\)\n/);
  t.match((await capture(explain, ['appArmorProfile'])).out, /annotations: each of #annotations breaks it when .*; records it as key="value"\n/);
  t.match((await capture(explain, ['hostProbesAndHostLifecycle'])).out, /breaks it when value is not ""; lists its subjects sorted\n/);
  t.match((await capture(explain, ['sysctls'])).out, /values at securityContext\.sysctls\[\*\]\.name \(a missing one reads as ""\) breaks it when/);
});

t.test('explain: documentation and version history from the rule file', async (t) => {
  const { code, out } = await capture(explain, ['seLinuxOptions']);
  t.equal(code, 0);
  t.match(out, /^seLinuxOptions — SELinux \(baseline\)\n/);
  t.match(out, /Standard: https:\/\/kubernetes\.io\/docs\/concepts\/security\/pod-security-standards\/#baseline/);
  t.match(out, /v1\.0–v1\.30: introduced/);
  t.match(out, /v1\.31\+: allowedTypes adds "container_engine_t"\n {2}container_engine_t becomes an allowed SELinux type\./);
  t.match(out, /Reason: seLinuxOptions/);
  t.match(out, /\n\nTo fix: Leave `securityContext\.seLinuxOptions\.user` and `\.role` unset, .*\n\nStandard: /, 'how to comply, from the rule file');
  t.notMatch(out, /In restricted, replaced by/, 'no restricted check replaces it');
  // A baseline check that restricted replaces says by what, and from which version (merged over entries).
  t.match((await capture(explain, ['capabilities_baseline'])).out, /\nRule file: rules\/baseline\/capabilities_baseline\.yaml\nIn restricted, replaced by: capabilities_restricted \(v1\.22\+\)\n\n/);
  // Each version that exempts pods says which, whether it adds the exemption or inherits it.
  const runAsUser = (await capture(explain, ['runAsUser'])).out;
  const blocks = runAsUser.split('\n\n').filter((b) => /^v1\.\d+/.test(b));
  t.same(blocks.map((b) => [b.split(':')[0], /Exempt pods: (.*)/.exec(b)?.[1] ?? null]), [['v1.23–v1.34', null], ['v1.35+', 'the check passes when pod spec.hostUsers is false']]);
  // A rule exempting pods from its first version on says so in that version's block.
  const own = mkdtempSync(join(tmpdir(), 'podsec-explain-exempt-'));
  mkdirSync(join(own, 'baseline'));
  writeFileSync(join(own, 'baseline', 'noLatestTag.yaml'), readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8').replace('  - since: v1.0\n', '  - since: v1.0\n    exemptWhen: { fact: pod, path: "$.spec.os.name", operator: equal, value: windows }\n'));
  t.match((await capture(explain, ['noLatestTag', '--rules-dir', own])).out, /\nv1\.0\+: introduced\n[\s\S]*?\n {2}Exempt pods: the check passes when pod spec\.os\.name is "windows"\n/);
  const dir = mkdtempSync(join(tmpdir(), 'podsec-explain-'));
  mkdirSync(join(dir, 'restricted'));
  writeFileSync(join(dir, 'restricted', 'noPrivileged.yaml'), readFileSync(join(projectRoot, 'rules', 'restricted', 'allowPrivilegeEscalation.yaml'), 'utf8')
    .replace(/^id: .*$/m, 'id: noPrivileged').replace(/^versions:\n  - since: (v1\.\d+)$/m, 'versions:\n  - since: $1\n    overrides: [privileged]').replace(/^  - since: (v1\.\d+)$/gm, (m, v) => (v === 'v1.25' ? `${m}\n    overrides: []` : m)));
  t.match((await capture(explain, ['privileged', '--rules-dir', dir])).out, /\nIn restricted, replaced by: noPrivileged \(v1\.8–v1\.24\)\n/);
  await t.rejects(capture(explain, ['hostPort']), { name: 'UsageError', message: 'no check "hostPort"', hint: /^did you mean "hostPorts"\? known checks: / });
  // Its flags are read as every command's: a short flag with "=" and no value to take.
  await t.rejects(capture(explain, ['-h=1', 'sysctls']), { name: 'UsageError', message: '-h (--help) takes no value' });
  await t.rejects(capture(explain, ['seccompProfile']), { name: 'UsageError', hint: /^did you mean "seccompProfile_baseline" or "seccompProfile_restricted"\? known checks: / });
  await t.rejects(capture(explain, ['procMount_baseline']), { name: 'UsageError', hint: /^did you mean "procMount"\? known checks: / }, 'a check not split by level, asked for with a level');
  // By a part of its id, or by a field it reads.
  await t.rejects(capture(explain, ['seccomp']), { name: 'UsageError', hint: /^did you mean "seccompProfile_baseline" or "seccompProfile_restricted"\? / });
  await t.rejects(capture(explain, ['hostNetwork']), { name: 'UsageError', hint: /^did you mean "hostNamespaces"\? / });
  await t.rejects(capture(explain, ['']), { name: 'UsageError', message: 'the check id is empty' });
  await t.rejects(capture(explain, ['xyzzy']), { name: 'UsageError', hint: /^known checks: / });
});

t.test('explain namespaceLabels: the finding reports give an invalid Namespace, though no check of a level', async (t) => {
  await t.rejects(capture(explain, ['namespaceLabel']), { name: 'UsageError', hint: /^did you mean "namespaceLabels"\? known checks: .* \(and namespaceLabels, which reports give an invalid Namespace\)$/ });
  for (const id of ['namespaceLabels', 'NamespaceLabels']) {
    const { code, out } = await capture(explain, [id]);
    t.equal(code, 0);
    t.match(out, /^namespaceLabels — Pod Security namespace labels\n\nThe pod-security\.kubernetes\.io labels of a Namespace must name a level/);
    t.match(out, /an invalid enforce level counts as restricted, an\ninvalid audit or warn level as privileged, and an invalid version as latest\./);
  }
  // What it says of the objects in such a namespace is what check does.
  const { checkManifests } = await import('../cli/check/run.js');
  const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n  labels: {${labels}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns1}\nspec:\n  containers: [{name: c, image: i}]\n`;
  const policy = (labels: string) => checkManifests([{ file: 'x.yaml', content: ns(labels) }], { evaluator: createEvaluator() }).resources.find((r) => r.kind === 'Pod')!.evaluations.map((e) => `${e.mode} ${e.level}:${e.version}`);
  t.same(policy('pod-security.kubernetes.io/enforce: Baseline, pod-security.kubernetes.io/audit: baseline'), ['enforce restricted:latest', 'audit baseline:latest']);
  t.same(policy('pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/enforce-version: v1.x, pod-security.kubernetes.io/audit: strict'), ['enforce baseline:latest', 'warn baseline:latest']);
  // Every report says that the API server refuses the Namespace itself, under any policy.
  const bad = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: {pod-security.kubernetes.io/enforce: Baseline}\n';
  const text = await cli(['check', '-'], { stdin: bad });
  t.match(text.stdout, /\n  FAIL  Namespace team \(line 1\) \[refused by the API server, whatever the policy\]\n/);
  const gh = await cli(['check', '-f', 'github', '-'], { stdin: bad });
  t.match(gh.stdout, /title=podsec namespaceLabels \(refused by the API server%2C whatever the policy\)::Namespace team: invalid pod-security label/);
  const sarif = JSON.parse((await cli(['check', '-f', 'sarif', '--stdin-name', 'ns.yaml', '-'], { stdin: bad })).stdout);
  t.match(sarif.runs[0].results[0].message.text, /^Namespace\/team: invalid pod-security label \(.*\), refused by the API server, whatever the policy\.$/);
});

t.test('rules and explain print a rule file\'s control characters escaped, as check does', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-escape-'));
  mkdirSync(join(dir, 'baseline'));
  const fixture = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8');
  writeFileSync(join(dir, 'baseline', 'noLatestTag.yaml'), fixture.replace(/^title: .*$/m, 'title: "T\\u001b[31mRED"').replace(/^summary: .*$/m, 'summary: "s\\u001b]0;pwned\\u0007"'));
  for (const [name, r] of [['explain', await capture(explain, ['noLatestTag', '--rules-dir', dir])], ['rules', await capture(rules, ['-l', 'baseline', '--rules-dir', dir])]] as const) {
    t.equal(r.code, 0, `${name}: ${r.err}`);
    t.notMatch(r.out, /[\u0000-\u0008\u000b-\u001f]/, `${name}: no raw control character`);
    t.match(r.out, 'T\\u001b[31mRED', `${name}: the title, escaped`);
  }
});

t.test('explain: an entry that lasts one policy version is labelled with that version alone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-explain-'));
  mkdirSync(join(dir, 'baseline'));
  const fixture = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8');
  writeFileSync(join(dir, 'baseline', 'noLatestTag.yaml'), fixture + '  - since: v1.30\n    message: { reason: a }\n  - since: v1.31\n    message: { reason: b }\n');
  const { out } = await capture(explain, ['noLatestTag', '--rules-dir', dir]);
  t.match(out, /^v1\.0–v1\.29: introduced$/m);
  t.match(out, /^v1\.30: message changes$/m);
  t.match(out, /^v1\.31\+: message changes$/m);
});

t.test('explain: structured message templates read as one line per alternative or part', async (t) => {
  const nonRoot = (await capture(explain, ['runAsNonRoot'])).out;
  t.match(nonRoot, [
    '  Reason: runAsNonRoot != true',
    '  Detail: the first that applies:',
    '    when explicit: {{setters explicit}} must not set securityContext.runAsNonRoot=false',
    '    when implicit: pod or {{setters implicit}} must set securityContext.runAsNonRoot=true',
    '',
  ].join('\n'));
  const caps = (await capture(explain, ['capabilities_restricted'])).out;
  t.match(caps, [
    '  Detail: the parts that apply, joined with "; ":',
    '    when missingDropAll: {{setters missingDropAll}} must set securityContext.capabilities.drop=["ALL"]',
    '    when forbiddenAdd: {{setters forbiddenAdd}} must not include {{values forbiddenAdd}} in securityContext.capabilities.add',
    '',
  ].join('\n'));
  const selinux = (await capture(explain, ['seLinuxOptions'])).out;
  t.match(selinux, [
    '  Detail: {{setters setters}} set forbidden securityContext.seLinuxOptions: {{parts}}',
    '    where {{parts}} is the parts that apply, joined with "; ":',
    '      when badTypes: {{plural values badTypes "type" "types"}} {{values badTypes}}',
    '      when userSet: user may not be set',
    '      when roleSet: role may not be set',
    '',
  ].join('\n'));
  const plain = (await capture(explain, ['privileged'])).out;
  t.match(plain, '  Detail: {{setters containers}} must not set securityContext.privileged=true\n');
});

t.test('explain: no bundled check prints a message template as JSON', async (t) => {
  const ids = ['baseline', 'restricted'].flatMap((level) => readdirSync(join(bundledRulesDir(), level)).map((f) => f.replace(/\.yaml$/, '')));
  t.equal(ids.length, 19, 'every bundled check');
  for (const id of ids) {
    const { code, out } = await capture(explain, [id]);
    t.equal(code, 0, id);
    t.notOk(out.includes('{"'), `${id}: no raw JSON`);
    t.notOk(out.includes('[object Object]'), `${id}: no object printed as text`);
    t.match(out, /\n {2}Reason: \S/, `${id}: a reason`);
  }
});

t.test('errors name their command; a --rules-dir that is not there is a usage error', async (t) => {
  const dir = t.testdir({});
  for (const [args, prefix] of [[['check', 'pod.yaml'], 'podsec check'], [['rules'], 'podsec rules'], [['explain', 'sysctls'], 'podsec explain']] as const) {
    const r = await cli([...args, '--rules-dir', 'nope'], { cwd: dir });
    t.equal(r.code, 2, prefix);
    t.equal(r.stderr, `${prefix}: rules directory ${join(dir, 'nope')} does not exist\nhint: --rules-dir takes a directory that holds baseline/ and/or restricted/ rule files\n`);
  }
  t.match((await cli(['rules', '--version', '1.25'])).stderr, /^podsec rules: --version: invalid version "1\.25"/);
  t.match((await cli(['explain'])).stderr, /^podsec explain: takes one check id\n/);
  t.match((await cli(['chek'])).stderr, /^podsec: unknown command "chek"\n/);
  const broken = t.testdir({ rules: { baseline: { 'x.yaml': 'schemaVersion: 1\n' } } });
  const r = await cli(['rules', '--rules-dir', 'rules'], { cwd: broken });
  t.equal(r.code, 2);
  t.match(r.stderr, /^podsec rules: invalid rule files \(\d+ problems?\):\n {2}\S*x\.yaml:1:1: /);
});

t.test('rules and explain word each operator as engine/operators.ts says, no two alike', async (t) => {
  const { OPERATORS } = await import('../engine/operators.js');
  const { describeCondition } = await import('../cli/commands/rule-docs.js');
  const words = new Map<string, string>();
  for (const [operator, spec] of Object.entries(OPERATORS)) {
    const value = spec.valueSchema === OPERATORS.present!.valueSchema ? true : ['a'];
    const text = describeCondition({ path: '$.f', operator, value });
    t.match(text, /^f \S/, `${operator}: ${text}`);
    words.set(operator, text);
  }
  t.equal(new Set(words.values()).size, words.size, 'no two operators read alike');
  t.equal(describeCondition({ path: '$.f', operator: 'present', value: false }), 'f is not set');
  t.equal(describeCondition({ fact: 'pod', path: '$.spec.hostUsers', operator: 'equal', value: false }), 'pod spec.hostUsers is false');
});
