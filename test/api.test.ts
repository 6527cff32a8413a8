// The library API: arguments, results, and what it promises about its input.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { compareLevels, createEvaluator, formatFieldPath, LEVELS, PodsecArgumentError, type CompiledCheck, type Level } from '../engine/index.js';
import { compareBytewise } from '../engine/text.js';
import { projectRoot } from './helpers/shared.js';

const evaluator = createEvaluator();
const bare = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } });

t.test('the bare pod under restricted:latest gives upstream\'s exact words', async (t) => {
  const r = evaluator.evaluate(bare(), { level: 'restricted', version: 'latest' });
  t.equal(r.allowed, false);
  t.equal(
    r.forbiddenDetail,
    'allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
  t.equal(r.forbiddenReason, 'allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile');
  t.same(r.violations.map((v) => v.checkId), ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  t.same(r.violations[0]!.fields, [['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation']]);
  t.equal(r.version, 'latest');
  t.equal(r.evaluatedVersion, evaluator.newestVersion);
  t.equal(r.level, 'restricted');
});

// The fixtures assert only a substring per check; this pins the whole text: check order
// (seLinuxOptions before seccompProfile_baseline, the restricted ids after the baseline ones,
// a replaced baseline check gone), each check's words, and the joining.
t.test('a pod that fails every check gets upstream\'s whole message, checks in upstream order', async (t) => {
  const pod = {
    metadata: { name: 'p', annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } },
    spec: {
      hostNetwork: true, hostPID: true, hostIPC: true,
      securityContext: { appArmorProfile: { type: 'Unconfined' }, seLinuxOptions: { type: 'spc_t' }, seccompProfile: { type: 'Unconfined' }, sysctls: [{ name: 'kernel.msgmax', value: '1' }], windowsOptions: { hostProcess: true }, runAsUser: 0, runAsNonRoot: false },
      containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], livenessProbe: { tcpSocket: { host: 'h', port: 1 } }, securityContext: { privileged: true, procMount: 'Unmasked', allowPrivilegeEscalation: true, capabilities: { add: ['SYS_ADMIN'] } } }],
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
    },
  };
  const appArmor = 'forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/c="unconfined"")';
  const caps = 'non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)';
  const hostNS = 'host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)';
  const hostPort = 'hostPort (container "c" uses hostPort 80)';
  const probe = 'probe or lifecycle host (container "c" uses probe or lifecycle host "h")';
  const privileged = 'privileged (container "c" must not set securityContext.privileged=true)';
  const procMount = 'procMount (container "c" must not set securityContext.procMount to "Unmasked")';
  const seLinux = 'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "spc_t")';
  const sysctls = 'forbidden sysctls (kernel.msgmax)';
  const hostProcess = 'hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)';
  const seccompField = 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")';
  const seccompAnnotation = 'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")';
  const ape = 'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)';
  const volumes = 'restricted volume types (volume "h" uses restricted volume type "hostPath")';
  const nonRoot = 'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)';
  const expected: [string, string, string[]][] = [
    ['baseline', 'latest', [appArmor, caps, hostNS, 'hostPath volumes (volume "h")', hostPort, probe, privileged, procMount, seLinux, seccompField, sysctls, hostProcess]],
    ['restricted', 'latest', [appArmor, hostNS, hostPort, probe, privileged, seLinux, sysctls, hostProcess, ape,
      'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]; container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
      procMount, volumes, nonRoot, 'runAsUser=0 (pod must not set runAsUser=0)', seccompField]],
    ['baseline', 'v1.18', [appArmor, caps, hostNS, 'hostPath volumes (volume "h")', hostPort, privileged, procMount, seLinux, seccompAnnotation, sysctls, hostProcess]],
    ['restricted', 'v1.18', [appArmor, caps, hostNS, hostPort, privileged, procMount, seLinux, seccompAnnotation, sysctls, hostProcess, ape, volumes, nonRoot]],
  ];
  for (const [level, version, parts] of expected) {
    t.equal(evaluator.evaluate(pod, { level, version }).forbiddenDetail, parts.join(', '), `${level}:${version}`);
  }
});

t.test('version defaults to latest; privileged allows everything', async (t) => {
  t.equal(evaluator.evaluate(bare(), { level: 'restricted' }).version, 'latest');
  const p = evaluator.evaluate({ spec: { hostPID: true, containers: [{ name: 'a', securityContext: { privileged: true } }] } }, { level: 'privileged', version: 'v1.0' });
  t.equal(p.allowed, true);
  t.same(p.violations, []);
  t.equal(p.evaluatedVersion, '');
});

t.test('bad arguments throw errors that say what was wrong', async (t) => {
  const cases: [unknown, unknown, RegExp][] = [
    [bare(), { level: 'Restricted' }, /invalid level "Restricted": must be one of privileged, baseline, restricted/],
    [bare(), { level: 'restricted', version: 'v1.05' }, /invalid version "v1.05": must be "latest" or "v1.x"/],
    [bare(), { level: 'restricted', version: '1.25' }, /invalid version "1.25"/],
    [bare(), { level: 'restricted', version: 'v2.0' }, /invalid version "v2.0"/],
    [bare(), { level: 'restricted', version: 'V1.25' }, /invalid version "V1.25"/],
    [bare(), { level: 'restricted', version: 'v1.25.3' }, /invalid version "v1.25.3"/],
    [bare(), { level: 'restricted', version: 25 }, /version must be a string/],
    [bare(), { level: 7 }, /level must be a string/],
    [bare(), {}, /^level is required: one of privileged, baseline, restricted \(there is no default\)$/],
    [null, { level: 'restricted' }, /pod must be an object .* not null/],
    [[bare()], { level: 'restricted' }, /pod must be an object .* not an array/],
    ['pod', { level: 'restricted' }, /pod must be an object .* not string/],
    [bare(), null, /options must be an object/],
    [bare(), { level: 'restricted', defaulting: 'yes' }, /defaulting must be one of pod, template, none/],
    // A misspelt option would otherwise judge at latest, or with pod defaulting, without a word.
    [bare(), { level: 'restricted', verison: 'v1.0' }, /^unknown option "verison": the options are level, version, defaulting$/],
    [bare(), { level: 'privileged', defaults: 'none' }, /^unknown option "defaults"/],
    // A workload judged as a pod would always pass: it has no spec.containers.
    [{ apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: bare() } }, { level: 'baseline' }, /^evaluate\(\) judges a Pod or a pod template, not a Deployment: pass its spec\.template, with defaulting: 'template'$/],
    [{ kind: 'CronJob', spec: { jobTemplate: { spec: { template: bare() } } } }, { level: 'baseline' }, /not a CronJob: pass its spec\.jobTemplate\.spec\.template/],
    [{ kind: 'PodTemplate', template: bare() }, { level: 'baseline' }, /not a PodTemplate: pass its template,/],
    [{ spec: { template: bare() } }, { level: 'privileged' }, /not an object with a pod template: pass its spec\.template/],
    [{ kind: 'Service', spec: { ports: [] } }, { level: 'baseline' }, /^evaluate\(\) judges a Pod or a pod template, not a Service$/],
    [{ spec: 'x' }, { level: 'baseline' }, /pod\.spec must be an object \(the pod's spec\), not "x"/],
    [{ spec: [] }, { level: 'baseline' }, /pod\.spec must be an object .* not an array/],
    // A Map has no properties to read: judged, it would pass every check.
    [new Map([['spec', { hostNetwork: true }]]), { level: 'baseline' }, /^pod must be a plain object, not a Map/],
    [{ spec: new Map([['hostNetwork', true]]) }, { level: 'baseline' }, /^pod\.spec must be an object \(the pod's spec\), not a Map$/],
    [{ kind: 5, spec: {} }, { level: 'baseline' }, /^pod\.kind must be "Pod" or absent, not 5$/],
    [{ kind: 'pod', spec: {} }, { level: 'baseline' }, /^pod\.kind must be "Pod" \(exactly: kinds are case-sensitive\) or absent, not "pod"$/],
    [{ kind: 'Pod ', spec: {} }, { level: 'baseline' }, /^pod\.kind must be "Pod" \(exactly: kinds are case-sensitive\) or absent, not "Pod "$/],
    // Checked whatever the level: privileged runs no checks, but the call is still wrong.
    [bare(), { level: 'privileged', defaulting: 'yes' }, /defaulting must be one of pod, template, none/],
  ];
  for (const [pod, opts, message] of cases) {
    t.throws(() => evaluator.evaluate(pod, opts as never), { name: 'PodsecArgumentError', message }, JSON.stringify(opts));
  }
  t.throws(() => evaluator.evaluate(null, { level: 'restricted' }), PodsecArgumentError);
  const { apiVersion: _apiVersion, kind: _kind, ...kindless } = bare();
  t.equal(evaluator.evaluate(bare(), { level: 'restricted' }).allowed, evaluator.evaluate(kindless, { level: 'restricted' }).allowed, 'a Pod with its kind is a pod');
  // Fields the API server would drop (podsec check --validate warn keeps them): still a pod.
  const privileged = { spec: { containers: [{ name: 'a', securityContext: { privileged: true } }] } };
  for (const stray of [{ template: {} }, { jobTemplate: 'x' }, { template: null }]) {
    const pod = { kind: 'Pod', spec: { ...privileged.spec, ...stray } };
    t.equal(evaluator.evaluate(pod, { level: 'baseline' }).forbiddenReason, 'privileged', `a Pod with spec ${JSON.stringify(stray)} is judged`);
    t.equal(evaluator.evaluate({ spec: pod.spec }, { level: 'baseline' }).forbiddenReason, 'privileged', `so is a pod template with it`);
  }
  // A workload (or its spec) whose containers are null has none of its own: still not a pod.
  for (const workload of [{ spec: { containers: null, template: { spec: privileged.spec } } }, { containers: null, template: { spec: privileged.spec } }]) {
    t.throws(() => evaluator.evaluate(workload, { level: 'baseline' }), { name: 'PodsecArgumentError', message: /judges a Pod or a pod template, not an object with a pod template/ }, JSON.stringify(workload));
  }
});

t.test('values of any JavaScript type are reported, never thrown on', async (t) => {
  // yaml's intAsBigInt, or a caller's own objects: a BigInt where Go has a string.
  const pod = { spec: { containers: [{ name: 10n, securityContext: { privileged: true, capabilities: { add: [{ big: 2n }] } } }] } };
  const r = evaluator.evaluate(pod, { level: 'baseline' });
  t.match(r.forbiddenDetail, /container "10" must not set securityContext\.privileged=true/);
  t.match(r.forbiddenDetail, /\{"big":"2"\}/);
  // A value with no JSON (a cycle, a toJSON that throws) is still named, not thrown on.
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  const unprintable = { spec: { containers: [{ name: cycle, securityContext: { privileged: true } }, { name: { toJSON: () => { throw new Error('no'); } }, ports: [{ hostPort: [cycle] }] }] } };
  t.equal(evaluator.evaluate(unprintable, { level: 'baseline' }).forbiddenDetail, 'hostPort (container "{…}" uses hostPort […]), privileged (container "{…}" must not set securityContext.privileged=true)');
  // A pattern matches only strings: a list whose text would match "localhost/*" is no allowed profile
  // (the annotations are checked up to v1.18).
  const listed = { metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': ['localhost/x'] } }, spec: { containers: [{ name: 'a' }] } };
  t.equal(evaluator.evaluate(listed, { level: 'baseline', version: 'v1.18' }).violations[0]?.checkId, 'seccompProfile_baseline', 'a list is forbidden');
  const text = { metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'localhost/x' } }, spec: { containers: [{ name: 'a' }] } };
  t.equal(evaluator.evaluate(text, { level: 'baseline', version: 'v1.18' }).allowed, true, 'the same text as a string is allowed');
});

t.test('createEvaluator says what is wrong with its options', async (t) => {
  const cases: [unknown, RegExp][] = [
    [null, /options must be an object .* not null/],
    ['rules', /options must be an object .* not string/],
    [{ rulesDirs: 'my-rules' }, /option rulesDirs must be a list of directory paths, not "my-rules"/],
    [{ rulesDirs: [5] }, /option rulesDirs must be a list of directory paths, not \[5\]/],
    [{ useCache: 'no' }, /option useCache must be true or false/],
    [{ rulesDir: ['x'] }, /unknown option "rulesDir": the options are rulesDirs, bundledDir, useCache/],
    // An unset environment variable, not the working directory.
    [{ rulesDirs: [''] }, /a rules directory path is empty \(""\)/],
    [{ rulesDirs: ['  '] }, /a rules directory path is empty/],
    // The bundled directory too: not the working directory, and not a "missing scopes file" in a folder that is not there.
    [{ bundledDir: '' }, /^a bundled rules directory path is empty \(""\): name the directory that holds scopes\.yaml, baseline\/ and restricted\//],
    [{ bundledDir: 'no-such-rules' }, /^bundled rules directory "no-such-rules" does not exist \(looked for .*no-such-rules: a relative path is resolved against the current working directory\)$/],
    [{ bundledDir: join(projectRoot, 'package.json') }, /^bundled rules directory .*package\.json is not a directory$/],
  ];
  for (const [options, message] of cases) t.throws(() => createEvaluator(options as never), { name: 'PodsecArgumentError', message }, JSON.stringify(options));
  t.equal(createEvaluator({ rulesDirs: undefined }).newestVersion, evaluator.newestVersion, 'an option left undefined is fine');
});

t.test('the input is never modified, also when defaulting applies', async (t) => {
  const pod = { metadata: { name: 'p' }, spec: { hostNetwork: true, containers: [{ name: 'a', ports: [{ containerPort: 80 }] }], volumes: [{ name: 'v' }] } };
  const before = JSON.stringify(pod);
  const r = evaluator.evaluate(pod, { level: 'restricted' });
  t.equal(JSON.stringify(pod), before);
  t.match(r.forbiddenDetail, /hostPort \(container "a" uses hostPort 80\)/);
  t.notMatch(r.forbiddenDetail, /restricted volume types/, 'the source-less volume counts as emptyDir');
  t.notMatch(evaluator.evaluate(pod, { level: 'restricted', defaulting: 'none' }).forbiddenDetail, /hostPort/);
});

t.test('results of allowed pods are shared and frozen; denied results are fresh', async (t) => {
  const good = { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] } };
  const a = evaluator.evaluate(good, { level: 'restricted', version: 'v1.30' });
  t.equal(a.allowed, true);
  t.ok(Object.isFrozen(a));
  t.equal(a.version, 'v1.30');
  const d1 = evaluator.evaluate(bare(), { level: 'restricted' });
  const d2 = evaluator.evaluate(bare(), { level: 'restricted' });
  t.not(d1, d2);
});

t.test('the parsed rules are frozen: an edit cannot change the checks compiled from them later', async (t) => {
  const fresh = createEvaluator();
  const rule = fresh.table.rules.find((r) => r.id === 'privileged')!;
  const when = (rule.versions[0]!.findings as Record<string, { when: { value: unknown } }>).containers!.when;
  t.throws(() => { when.value = false; }, TypeError);
  t.ok(Object.isFrozen(fresh.table.rules));
  const pod = { spec: { containers: [{ name: 'a', securityContext: { privileged: true } }] } };
  t.equal(fresh.evaluate(pod, { level: 'baseline', version: 'v1.20' }).allowed, false);
});

t.test('the version entries of a rule show only their declared keys', async (t) => {
  const declared = ['since', 'note', 'overrides', 'exemptWhen', 'sets', 'findings', 'message'];
  for (const rule of evaluator.table.rules) {
    for (const version of rule.versions) {
      const shown = Object.keys(JSON.parse(JSON.stringify(version)) as object);
      const undeclared = shown.filter((k) => !declared.includes(k));
      if (undeclared.length) t.fail(`${rule.id} v1.${version.since} shows ${undeclared.join(', ')}`);
    }
  }
  t.ok(evaluator.table.rules.length > 10, 'the bundled rules were looked at');
  const json = JSON.stringify(evaluator.table.rules);
  t.notMatch(json, /Pointer"|"pointer"/, 'no internal positions in the serialized table');
});

t.test('null list items are skipped: no subject, no violation', async (t) => {
  const secure = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  const pod = (containers: unknown[]) => ({ spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers, initContainers: [null], volumes: [null, { name: 'v', emptyDir: {} }] } });
  t.equal(evaluator.evaluate(pod([null, { name: 'a', securityContext: secure }]), { level: 'restricted', defaulting: 'none' }).allowed, true, 'a null container is no container');
  const r = evaluator.evaluate(pod([null, { name: 'a', securityContext: secure }, null, { name: 'b' }]), { level: 'restricted', defaulting: 'none' });
  t.same(r.violations.map((v) => v.detail), ['container "b" must set securityContext.allowPrivilegeEscalation=false', 'container "b" must set securityContext.capabilities.drop=["ALL"]'], 'only the real container is named');
  t.same(r.violations[0]!.fields, [['spec', 'containers', 3, 'securityContext', 'allowPrivilegeEscalation']], 'at its own index');
});

t.test('wrongly typed fields never crash the evaluator', async (t) => {
  const weird = [
    { spec: { containers: {} } },
    { spec: { containers: 'x' } },
    { spec: { containers: [null, 5, 'a', { name: 7, securityContext: 'yes' }] } },
    { spec: { securityContext: { sysctls: 'a' }, volumes: [5, null, { name: 'v', hostPath: 'x' }] } },
    { metadata: { annotations: ['a'] }, spec: null },
    { metadata: 'x', spec: { hostNetwork: 'true', containers: [{ ports: [{ hostPort: '80' }] }] } },
  ];
  for (const pod of weird) {
    for (const level of ['baseline', 'restricted']) {
      for (const version of ['v1.0', 'v1.18', 'latest']) {
        t.doesNotThrow(() => evaluator.evaluate(pod, { level, version }), `${level}:${version} ${JSON.stringify(pod)}`);
      }
    }
  }
});

t.test("the README's library example names every field of a result", async (t) => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const example = /## Library\n+```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const named = [...example.matchAll(/^result\.(\w+);/gm)].map((m) => m[1]);
  t.same(named.sort(), Object.keys(evaluator.evaluate(bare(), { level: 'restricted' })).sort());
  t.match(example, /evaluatedVersion;.*"" for privileged/);
  t.equal(evaluator.evaluate(bare(), { level: 'privileged' }).evaluatedVersion, '');
});

t.test('what resolvePolicy returns cannot be edited into later verdicts', async (t) => {
  const ev = createEvaluator();
  const pod = { spec: { hostNetwork: true, containers: [{ name: 'a', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }] } };
  const expected = ev.evaluate(pod, { level: 'restricted' }).violations.map((v) => v.checkId);
  for (const level of ['baseline', 'restricted']) {
    const policy = ev.resolvePolicy(level);
    // A caller listing the checks in another order, or extending an allowed set.
    t.throws(() => (policy.checks as CompiledCheck[]).reverse(), TypeError);
    t.throws(() => (policy.checks as CompiledCheck[]).sort((a, b) => compareBytewise(b.id, a.id)), TypeError);
    const caps = policy.checks.find((c) => c.id.startsWith('capabilities_'))!;
    t.throws(() => Object.values(caps.sets)[0]!.push('SYS_ADMIN'), TypeError);
    t.throws(() => caps.overrides.push('privileged'), TypeError);
    t.throws(() => { (policy as { allowed: unknown }).allowed = null; }, TypeError);
    t.throws(() => { (caps as { id: string }).id = 'x'; }, TypeError);
  }
  t.same(ev.evaluate(pod, { level: 'restricted' }).violations.map((v) => v.checkId), expected);
  t.same(ev.evaluate(pod, { level: 'baseline' }).violations.map((v) => v.checkId), ['capabilities_baseline', 'hostNamespaces', 'privileged']);
  t.equal(ev.evaluate({ spec: { containers: [] } }, { level: 'baseline' }).allowed, true);
});

t.test('a bad argument of any JavaScript type is a PodsecArgumentError, never a TypeError from building its message', async (t) => {
  const cycle: unknown[] = [];
  cycle.push(cycle);
  const evaluateCases: [unknown, unknown, RegExp][] = [
    [{ spec: 2n }, { level: 'baseline' }, /^pod\.spec must be an object \(the pod's spec\), not 2n$/],
    [{ kind: 3n, spec: {} }, { level: 'baseline' }, /^pod\.kind must be "Pod" or absent, not 3n$/],
    [{ kind: Symbol('k'), spec: {} }, { level: 'baseline' }, /^pod\.kind must be "Pod" or absent, not symbol$/],
    [bare(), { level: 'baseline', defaulting: 1n }, /^defaulting must be one of pod, template, none, not 1n$/],
    [bare(), { level: 'baseline', defaulting: { toJSON() { throw new Error('x'); } } }, /not an object$/],
  ];
  for (const [pod, opts, message] of evaluateCases) t.throws(() => evaluator.evaluate(pod, opts as never), { name: 'PodsecArgumentError', message });
  const optionCases: [unknown, RegExp][] = [
    [{ useCache: 1n }, /^option useCache must be true or false, not 1n$/],
    [{ rulesDirs: [2n] }, /^option rulesDirs must be a list of directory paths, not an array$/],
    [{ rulesDirs: cycle }, /^option rulesDirs must be a list of directory paths, not an array$/],
    [{ bundledDir: () => 'rules' }, /^option bundledDir must be a directory path, not function$/],
  ];
  for (const [options, message] of optionCases) t.throws(() => createEvaluator(options as never), { name: 'PodsecArgumentError', message });
});

t.test("a check's fails(pod) judges the pod as given; evaluate() applies defaulting first (as the README says)", async (t) => {
  const pod = { spec: { volumes: [{ name: 'v' }], containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } } }] } };
  t.equal(evaluator.evaluate(pod, { level: 'restricted' }).allowed, true);
  t.same(evaluator.resolvePolicy('restricted').checks.filter((c) => c.fails(pod)).map((c) => c.id), ['restrictedVolumes']);
  t.match(readFileSync(join(projectRoot, 'README.md'), 'utf8'), /`fails\(pod\)` judges the object exactly as given, without the API server's defaulting/);
});

t.test('policies that run the same checks share one generated function, however their version is written', async (t) => {
  const ev = createEvaluator();
  const latest = ev.resolvePolicy('restricted', 'latest');
  t.ok(latest.failMask, 'restricted is judged by one generated function');
  for (const version of [ev.newestVersion, 'v1.99', 'v1.1000']) {
    const p = ev.resolvePolicy('restricted', version);
    t.equal(p.version, version, 'reported as written');
    t.equal(p.failMask, latest.failMask, version);
  }
  t.not(ev.resolvePolicy('restricted', 'v1.30').failMask, latest.failMask, 'another version, other checks');
  // Versions that run the same check revisions share theirs: upstream's policy changed at 13 versions.
  const newest = Number(ev.newestVersion.slice(3));
  for (const level of ['baseline', 'restricted']) {
    const policies = Array.from({ length: newest + 1 }, (_, minor) => ev.resolvePolicy(level, `v1.${minor}`));
    for (let minor = 1; minor <= newest; minor++) {
      const [before, now] = [policies[minor - 1]!, policies[minor]!];
      const same = before.checks.length === now.checks.length && before.checks.every((c, i) => c === now.checks[i]);
      t.equal(before.failMask === now.failMask, same, `${level} v1.${minor - 1} and v1.${minor}: ${same ? 'one function' : 'two'}`);
    }
  }
  t.equal(new Set(Array.from({ length: newest + 1 }, (_, minor) => ev.resolvePolicy('restricted', `v1.${minor}`).failMask)).size, 13);
  t.not(ev.resolvePolicy('baseline', 'latest').failMask, latest.failMask, 'another level, other checks');
});

t.test('compareLevels orders the levels, and an unknown level is an error rather than NaN', async (t) => {
  t.ok(compareLevels('restricted', 'baseline') > 0);
  t.ok(compareLevels('privileged', 'baseline') < 0);
  t.equal(compareLevels('baseline', 'baseline'), 0);
  for (const bad of ['Restricted', 'toString', '__proto__', undefined]) {
    t.throws(() => compareLevels('baseline', bad as never), { name: 'PodsecArgumentError', message: /^invalid level .*: must be one of privileged, baseline, restricted$/ }, String(bad));
    t.throws(() => compareLevels(bad as never, 'baseline'), { name: 'PodsecArgumentError' }, String(bad));
  }
});

t.test('an engine without its rules/ directory says so with a RuleLoadError, not a plain Error', async (t) => {
  // No rules/ within four folders up; the project's packages linked in.
  const root = mkdtempSync(join(tmpdir(), 'podsec-no-rules-'));
  symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const engine = join(root, 'a', 'b', 'c', 'engine');
  cpSync(join(projectRoot, 'engine'), engine, { recursive: true });
  const { bundledRulesDir } = (await import(pathToFileURL(join(engine, 'load.ts')).href)) as typeof import('../engine/load.js');
  t.throws(() => bundledRulesDir(), { name: 'RuleLoadError', problems: [{ message: 'cannot find the bundled rules/ directory next to the package', hint: /^reinstall podsec, or pass bundledDir/ }] });
});

t.test('a version of null is latest, for resolvePolicy as for evaluate', async (t) => {
  const ev = createEvaluator();
  t.equal(ev.resolvePolicy('baseline', null), ev.resolvePolicy('baseline', 'latest'));
  t.equal(ev.resolvePolicy('baseline'), ev.resolvePolicy('baseline', 'latest'));
  t.equal(ev.evaluate({ spec: { containers: [{ name: 'a' }] } }, { level: 'baseline', version: null as unknown as string }).version, 'latest');
  t.throws(() => ev.resolvePolicy('baseline', 25 as unknown as string), { name: 'PodsecArgumentError' });
});

t.test("defaultsDiffer says when a workload's pods are defaulted otherwise than its template", async (t) => {
  const hostNetworkPort = { metadata: {}, spec: { hostNetwork: true, containers: [{ name: 'x', image: 'i', ports: [{ containerPort: 80 }] }] } };
  t.equal(evaluator.defaultsDiffer(hostNetworkPort, 'pod', 'template'), true, 'hostPort defaults from containerPort in a created pod only');
  t.equal(evaluator.defaultsDiffer(hostNetworkPort, 'template', 'pod'), true, 'either order');
  t.equal(evaluator.defaultsDiffer(hostNetworkPort, 'pod', 'pod'), false, 'a mode against itself');
  t.equal(evaluator.defaultsDiffer(bare(), 'pod', 'template'), false, 'nothing to default');
  // A volume without a source becomes emptyDir in both: no difference between them, but one from none.
  const sourceless = { metadata: {}, spec: { containers: [{ name: 'x', image: 'i' }], volumes: [{ name: 'v' }] } };
  t.equal(evaluator.defaultsDiffer(sourceless, 'pod', 'template'), false);
  t.equal(evaluator.defaultsDiffer(sourceless, 'template', 'none'), true);
  t.throws(() => evaluator.defaultsDiffer(bare(), 'pods' as 'pod', 'template'), PodsecArgumentError);
  t.throws(() => evaluator.defaultsDiffer(null, 'pod', 'template'), PodsecArgumentError);
  // What evaluate() refuses, defaultsDiffer refuses too, rather than answer false for it.
  for (const notAPod of [{ kind: 'Deployment', spec: { template: hostNetworkPort } }, new Map(), { spec: [] }]) {
    t.throws(() => evaluator.defaultsDiffer(notAPod, 'pod', 'template'), PodsecArgumentError, Object.prototype.toString.call(notAPod));
  }
});

t.test('defaulting: null is refused as any other unknown mode, not read as the default', async (t) => {
  t.throws(() => evaluator.evaluate(bare(), { level: 'baseline', defaulting: null as unknown as 'pod' }), { name: 'PodsecArgumentError', message: /defaulting must be one of .*, not null/ });
});

t.test('formatFieldPath takes a path of keys and indexes, and says so when given anything else', async (t) => {
  t.equal(formatFieldPath(['spec', 'containers', 0, 'securityContext']), 'spec.containers[0].securityContext');
  t.equal(formatFieldPath(['metadata', 'annotations', 'a/b']), 'metadata.annotations["a/b"]');
  t.throws(() => formatFieldPath('spec.x' as unknown as string[]), { name: 'PodsecArgumentError', message: /path must be an array of keys and indexes/ });
  t.throws(() => formatFieldPath(null as unknown as string[]), PodsecArgumentError);
  t.throws(() => formatFieldPath(['spec', {} as unknown as string]), { name: 'PodsecArgumentError', message: /path\[1\] must be a key/ });
});

t.test('LEVELS cannot be edited into the levels evaluate() accepts', async (t) => {
  t.throws(() => (LEVELS as Level[]).push('strict' as Level), TypeError);
  t.throws(() => (LEVELS as Level[]).reverse(), TypeError);
  t.same(LEVELS, ['privileged', 'baseline', 'restricted']);
  t.throws(() => evaluator.evaluate(bare(), { level: 'strict' }), { name: 'PodsecArgumentError', message: /^invalid level "strict": must be one of privileged, baseline, restricted$/ });
  t.equal(evaluator.evaluate(bare(), { level: 'baseline' }).allowed, true);
});

t.test("the package's own package.json can be read through its name (tools read the version so)", async (t) => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  t.equal(require.resolve('podsec/package.json'), join(projectRoot, 'package.json'));
  t.equal((require('podsec/package.json') as { name: string }).name, 'podsec');
});

t.test('the source maps the package ships carry their sources: the .ts files are not in it', async (t) => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { files: string[] };
  const options = (JSON.parse(readFileSync(join(projectRoot, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> }).compilerOptions;
  t.notOk(pkg.files.some((f) => /^(engine|cli|webhook|admission)\/?$/.test(f)), 'no source folder is shipped');
  t.equal(options.sourceMap && options.inlineSources, true, 'maps hold the sources they point at');
});

t.test('evaluate() points every pod-bearing kind admission knows to its pod template', async (t) => {
  const { POD_SPEC_KINDS, podSpecKind } = await import('../admission/extract.js');
  const kinds = POD_SPEC_KINDS.filter((k) => k !== 'Pod');
  t.ok(kinds.length >= 8);
  for (const kind of kinds) {
    const path = podSpecKind(kind)!.template;
    const object: Record<string, unknown> = { kind };
    let node = object;
    for (const key of path.slice(0, -1)) node = (node[key] = {}) as Record<string, unknown>;
    node[path.at(-1)!] = { spec: bare().spec };
    t.throws(() => evaluator.evaluate(object, { level: 'baseline' }), { message: `evaluate() judges a Pod or a pod template, not a ${kind}: pass its ${path.join('.')}, with defaulting: 'template'` }, kind);
  }
});
