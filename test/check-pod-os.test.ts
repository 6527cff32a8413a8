// `podsec check` refuses what the API server's validation refuses by a pod's spec.os.name
// (validateOS, validateWindows, validateLinux in pkg/apis/core/validation/validation.go) instead
// of giving it a PodSecurity verdict.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Report } from '../cli/report/model.js';
import { cli } from './helpers/cli.js';
import { requireShared } from './helpers/shared.js';

async function check(stdin: string): Promise<{ code: number; report: Report }> {
  const r = await cli(['check', '--format', 'json', '-'], { stdin });
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

const refused = (detail: string) => `: Forbidden: ${detail} (the API server refuses the object)`;
const WINDOWS = refused('cannot be set for a windows pod');
const LINUX = refused('windows options cannot be set for a linux pod');

// A Windows pod spec setting every field upstream forbids there, among fields it allows; each
// line with the path (from spec) of the error it must draw.
const WINDOWS_SPEC: [string, string?][] = [
  ['os: {name: windows}'],
  ['hostUsers: true', 'hostUsers'],
  ['hostPID: true', 'hostPID'],
  ['hostIPC: true', 'hostIPC'],
  ['hostNetwork: true'],
  ['shareProcessNamespace: false', 'shareProcessNamespace'],
  ['securityContext:'],
  ['  runAsNonRoot: true'],
  ['  appArmorProfile: {type: RuntimeDefault}', 'securityContext.appArmorProfile'],
  ['  seLinuxOptions: {}', 'securityContext.seLinuxOptions'],
  ['  seccompProfile: {type: RuntimeDefault}', 'securityContext.seccompProfile'],
  ['  fsGroup: 1000', 'securityContext.fsGroup'],
  ['  fsGroupChangePolicy: Always', 'securityContext.fsGroupChangePolicy'],
  // Not an IPC sysctl: with hostIPC: true, that one would be refused for itself as well.
  ['  sysctls: [{name: kernel.domainname, value: example}]', 'securityContext.sysctls'],
  ['  runAsUser: 1000', 'securityContext.runAsUser'],
  ['  runAsGroup: 1000', 'securityContext.runAsGroup'],
  ['  supplementalGroups: []', 'securityContext.supplementalGroups'],
  ['  supplementalGroupsPolicy: Merge', 'securityContext.supplementalGroupsPolicy'],
  ['  seLinuxChangePolicy: Recursive', 'securityContext.seLinuxChangePolicy'],
  ['  windowsOptions: {runAsUserName: ContainerUser}'],
  ['initContainers:'],
  ['- name: init'],
  ['  image: pause'],
  ['  securityContext:'],
  ['    runAsNonRoot: true'],
  ['    privileged: true', 'initContainers[0].securityContext.privileged'],
  ['containers:'],
  ['- name: app'],
  ['  image: pause'],
  ['  securityContext:'],
  ['    runAsNonRoot: true'],
  ['    appArmorProfile: {type: Unconfined}', 'containers[0].securityContext.appArmorProfile'],
  ['    seLinuxOptions: {type: spc_t}', 'containers[0].securityContext.seLinuxOptions'],
  ['    seccompProfile: {type: RuntimeDefault}', 'containers[0].securityContext.seccompProfile'],
  ['    capabilities: {drop: [ALL]}', 'containers[0].securityContext.capabilities'],
  ['    readOnlyRootFilesystem: false', 'containers[0].securityContext.readOnlyRootFilesystem'],
  ['    privileged: false', 'containers[0].securityContext.privileged'],
  ['    allowPrivilegeEscalation: false', 'containers[0].securityContext.allowPrivilegeEscalation'],
  ['    procMount: Default', 'containers[0].securityContext.procMount'],
  ['    runAsUser: 1000', 'containers[0].securityContext.runAsUser'],
  ['    runAsGroup: 1000', 'containers[0].securityContext.runAsGroup'],
  ['    windowsOptions: {hostProcess: false}'],
];

const POD_HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: win\nspec:\n';
const DEPLOYMENT_HEAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n';

function render(head: string, indent: string, spec: readonly [string, string?][]): string {
  return head + spec.map(([line]) => `${indent}${line}\n`).join('');
}

/** [line, column, message] of the error each marked line of the spec must draw. */
function expected(head: string, indent: string, spec: readonly [string, string?][], shown: string, specPath: string, detail: string) {
  const first = head.split('\n').length;
  return spec.flatMap(([line, path], i) => (path ? [[first + i, indent.length + /^ */.exec(line)![0].length + 1, `${shown}: ${specPath}.${path}${detail}`]] : []));
}

t.test('a Windows Pod or pod template setting a Linux-only field: each one refused where it is, not judged', async (t) => {
  const pod = render(POD_HEAD, '  ', WINDOWS_SPEC);
  const deployment = render(DEPLOYMENT_HEAD, '      ', WINDOWS_SPEC);
  for (const [text, shown, specPath, indent, head] of [[pod, 'Pod default/win', 'spec', '  ', POD_HEAD], [deployment, 'Deployment default/web', 'spec.template.spec', '      ', DEPLOYMENT_HEAD]] as const) {
    const { code, report } = await check(text);
    t.equal(code, 2, shown);
    t.same(report.resources, [], `${shown} is not judged`);
    const want = expected(head, indent, WINDOWS_SPEC, shown, specPath, WINDOWS);
    t.equal(want.length, 26, 'every forbidden field is in the spec');
    t.same(report.errors.map((e) => [e.line, e.column, e.message]), want, shown);
    t.ok(report.errors.every((e) => e.kind === shown.split(' ')[0] && e.index === 0 && /^remove \S+, which Windows pods may not set .*; podsec did not evaluate this object$/.test(e.hint)), 'kind, document, hint');
  }
  const { report } = await check(pod);
  t.equal(report.errors.find((e) => e.message.includes('.allowPrivilegeEscalation:'))!.hint, 'remove securityContext.allowPrivilegeEscalation, which Windows pods may not set (or remove os.name: windows if the pod runs on Linux); podsec did not evaluate this object');
});

t.test('what a Windows pod may set, and the zero values validation does not count as set, are judged', async (t) => {
  // A Windows pod that restricted allows: runAsNonRoot, and none of the Linux-only fields.
  const windows = `${POD_HEAD}  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  initContainers: [{name: init, image: pause}]\n  containers: [{name: app, image: pause}]\n`;
  const own = await check(windows);
  t.equal(own.code, 0, JSON.stringify(own.report.errors));
  t.same(own.report.resources.map((r) => r.allowed), [true]);
  // Upstream's own where the shared fixtures are (beside the checkout, as in CI); a fresh clone skips it.
  const shared = requireShared('conformance');
  await t.test("upstream's Windows pod (base_windows) is allowed too", { skip: shared.skip }, async (t) => {
    // Upstream's fixtures are named for their files: base_windows is no name the API server accepts.
    const fixture = readFileSync(join(shared.dir!, 'psa-testdata/restricted/v1.29/pass/base_windows.yaml'), 'utf8');
    t.match(fixture, /\n  name: base_windows\n/);
    const base = await check(fixture.replace('\n  name: base_windows\n', '\n  name: base-windows\n'));
    t.equal(base.code, 0, JSON.stringify(base.report.errors));
    t.same(base.report.resources.map((r) => [r.name, r.allowed]), [['base-windows', true]]);
  });
  // false host namespaces and an empty sysctls list are unset to validation; nulls are nil.
  const zero = `${POD_HEAD}  os: {name: windows}\n  hostPID: false\n  hostIPC: false\n  hostUsers: null\n  securityContext:\n    runAsNonRoot: true\n    sysctls: []\n    seccompProfile: null\n    supplementalGroups: ~\n  containers:\n  - name: app\n    image: pause\n    securityContext: {capabilities: null, privileged: ~, windowsOptions: {runAsUserName: ContainerUser}}\n  - name: other\n    image: pause\n    securityContext: null\n`;
  const r = await check(zero);
  t.equal(r.code, 0, JSON.stringify(r.report.errors));
  t.equal(r.report.resources[0]!.allowed, true);
  // A HostProcess pod sets only Windows fields: judged, and baseline refuses it.
  const hostProcess = `${POD_HEAD}  os: {name: windows}\n  hostNetwork: true\n  securityContext: {windowsOptions: {hostProcess: true}}\n  containers: [{name: app, image: pause}]\n`;
  const hp = await check(hostProcess);
  t.equal(hp.code, 1);
  t.match(hp.report.resources[0]!.message, /hostProcess \(pod must not set securityContext\.windowsOptions\.hostProcess=true\)/);
});

t.test('a Linux pod or pod template setting windowsOptions is refused; without os it is judged', async (t) => {
  const pod = `${POD_HEAD}  os: {name: linux}\n  securityContext:\n    windowsOptions: {}\n  containers:\n  - name: app\n    image: pause\n    securityContext: {windowsOptions: {hostProcess: false}}\n`;
  const cronJob = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          os: {name: linux}\n          restartPolicy: Never\n          containers:\n          - name: app\n            image: pause\n            securityContext:\n              windowsOptions: {runAsUserName: x}\n';
  const { code, report } = await check(`${pod}---\n${cronJob}`);
  t.equal(code, 2);
  t.same(report.resources, []);
  t.same(report.errors.map((e) => [e.index, e.line, e.column, e.message]), [
    [0, 8, 5, `Pod default/win: spec.securityContext.windowsOptions${LINUX}`],
    [0, 12, 23, `Pod default/win: spec.containers[0].securityContext.windowsOptions${LINUX}`],
    [1, 29, 15, `CronJob default/nightly: spec.jobTemplate.spec.template.spec.containers[0].securityContext.windowsOptions${LINUX}`],
  ]);
  t.equal(report.errors[0]!.hint, 'remove securityContext.windowsOptions, which only Windows pods may set (or set os.name to windows if the pod runs on Windows); podsec did not evaluate this object');
  // No os: validation checks neither side, and PodSecurity judges the pod.
  const unset = await check(pod.replace('  os: {name: linux}\n', ''));
  t.equal(unset.code, 1, JSON.stringify(unset.report.errors));
  t.same(unset.report.errors, []);
});

t.test('an os.name other than linux or windows is refused, as upstream words it', async (t) => {
  const pod = (os: string) => `${POD_HEAD}  os: ${os}\n  containers: [{name: app, image: pause, securityContext: {privileged: true}}]\n`;
  const { code, report } = await check([pod('{name: Windows}'), pod('{name: darwin}'), pod('{}'), pod('{name: ""}')].join('---\n'));
  t.equal(code, 2);
  t.same(report.resources, []);
  t.same(report.errors.map((e) => [e.index, e.line, e.column, e.message, e.hint]), [
    [0, 6, 3, 'Pod default/win: spec.os: Unsupported value: "Windows": supported values: "linux", "windows" (the API server refuses the object)', 'write os.name in lower case (windows); podsec did not evaluate this object'],
    [1, 14, 3, 'Pod default/win: spec.os: Unsupported value: "darwin": supported values: "linux", "windows" (the API server refuses the object)', 'set os.name to linux or windows, or remove os; podsec did not evaluate this object'],
    [2, 22, 3, 'Pod default/win: spec.os.name: Required value: cannot be empty (the API server refuses the object)', 'set os.name to linux or windows, or remove os; podsec did not evaluate this object'],
    [3, 30, 8, 'Pod default/win: spec.os.name: Required value: cannot be empty (the API server refuses the object)', 'set os.name to linux or windows, or remove os; podsec did not evaluate this object'],
  ]);
  // os: null is no os.
  const none = await check(pod('null'));
  t.equal(none.code, 1, JSON.stringify(none.report.errors));
});

t.test('a pod read from a cluster is judged as it is stored; a stored workload\'s pods are still validated', async (t) => {
  const stored = '  uid: 6f1c2d4e-0000-4000-8000-000000000001\n  resourceVersion: "4711"\n';
  const pod = `${POD_HEAD.replace('  name: win\n', `  name: win\n${stored}`)}  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: app\n    image: pause\n    securityContext: {allowPrivilegeEscalation: true}\n`;
  const r = await check(pod);
  t.equal(r.code, 0, JSON.stringify(r.report.errors));
  t.same(r.report.resources.map((x) => [x.name, x.allowed]), [['win', true]], 'restricted relaxes allowPrivilegeEscalation for Windows pods');
  const deployment = render(DEPLOYMENT_HEAD.replace('  name: web\n', `  name: web\n${stored}`), '      ', [['os: {name: windows}'], ['containers: [{name: app, image: pause, securityContext: {privileged: false}}]']]);
  const d = await check(deployment);
  t.equal(d.code, 2);
  t.same(d.report.errors.map((e) => [e.line, e.message]), [[13, `Deployment default/web: spec.template.spec.containers[0].securityContext.privileged${WINDOWS}`]]);
});

t.test('a new Windows pod with an ephemeral container: its Linux-only fields and the container itself are refused', async (t) => {
  const pod = `${POD_HEAD}  os: {name: windows}\n  containers: [{name: app, image: pause}]\n  ephemeralContainers:\n  - name: debug\n    image: busybox\n    securityContext: {privileged: true}\n`;
  const { code, report } = await check(pod);
  t.equal(code, 2);
  t.same(report.errors.map((e) => [e.line, e.message]), [
    [8, 'Pod default/win: spec.ephemeralContainers: Forbidden: cannot be set on create (the API server refuses the object)'],
    [11, `Pod default/win: spec.ephemeralContainers[0].securityContext.privileged${WINDOWS}`],
  ]);
});
