// `podsec check` refuses security fields the API server's validation refuses, alone or together
// (ValidateSecurityContext, validatePodSpecSecurityContext, validateSysctls, validateWindowsHostProcessPod,
// validateHostUsers in pkg/apis/core/validation/validation.go), and the seccomp and AppArmor
// annotations it refuses (ValidatePodSpecificAnnotations, and on create against the fields), in a
// Pod and a pod template, instead of judging them.
import t from 'tap';
import { check, DEPLOYMENT_HEAD, expectRefusals, indent, POD_HEAD, type RefusalCase } from './helpers/spec-refusals.js';

const RESTRICTED_CONTAINER = 'containers: [{name: a, image: i, securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]';

const PRIVILEGED_SC = '{"Capabilities":null,"Privileged":true,"SELinuxOptions":null,"WindowsOptions":null,"RunAsUser":null,"RunAsGroup":null,"RunAsNonRoot":null,"ReadOnlyRootFilesystem":null,"AllowPrivilegeEscalation":false,"ProcMount":null,"SeccompProfile":null,"AppArmorProfile":null}';

// Each case: spec lines, then [line within the spec (0-based), column within it, path from the spec, body].
const CASES: RefusalCase[] = [
  ['allowPrivilegeEscalation false with privileged', ['containers:', '- name: a', '  image: i', '  securityContext:', '    allowPrivilegeEscalation: false', '    privileged: true'],
    // The internal struct as JSON, every field with its Go name (Kubernetes 1.34 and later).
    [[3, 3, 'containers[0].securityContext', `Invalid value: ${PRIVILEGED_SC}: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`]]],
  ['allowPrivilegeEscalation false with CAP_SYS_ADMIN (twice: one error)', ['initContainers:', '- name: a', '  image: i', '  securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [CAP_SYS_ADMIN, CAP_SYS_ADMIN]}}', 'containers: [{name: b, image: i}]'],
    [[3, 3, 'initContainers[0].securityContext', `Invalid value: {"Capabilities":{"Add":["CAP_SYS_ADMIN","CAP_SYS_ADMIN"],"Drop":null},"Privileged":null,"SELinuxOptions":null,"WindowsOptions":null,"RunAsUser":null,"RunAsGroup":null,"RunAsNonRoot":null,"ReadOnlyRootFilesystem":null,"AllowPrivilegeEscalation":false,"ProcMount":null,"SeccompProfile":null,"AppArmorProfile":null}: cannot set \`allowPrivilegeEscalation\` to false and \`capabilities.Add\` CAP_SYS_ADMIN`]]],
  ['hostUsers false with the host namespaces', ['hostUsers: false', 'hostNetwork: true', 'hostPID: true', 'hostIPC: true', 'containers: [{name: a, image: i}]'],
    [[1, 1, 'hostNetwork', 'Forbidden: when `hostUsers` is false'], [2, 1, 'HostPID', 'Forbidden: when `hostUsers` is false'], [3, 1, 'HostIPC', 'Forbidden: when `hostUsers` is false']]],
  ['procMount Unmasked without hostUsers false; an unknown procMount', ['containers:', '- name: a', '  image: i', '  securityContext: {procMount: Unmasked}', '- name: b', '  image: i', '  securityContext:', '    procMount: unmasked'],
    [[3, 21, 'containers[0].securityContext.procMount', 'Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`'], [7, 5, 'containers[1].securityContext.procMount', 'Unsupported value: "unmasked": supported values: "Default", "Unmasked"']]],
  ['shareProcessNamespace with hostPID', ['hostPID: true', 'shareProcessNamespace: true', 'containers: [{name: a, image: i}]'],
    [[1, 1, 'securityContext.shareProcessNamespace', 'Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled']]],
  // b inherits hostProcess from the pod; a, which says false, is not a HostProcess container.
  ['a HostProcess pod without hostNetwork, with a container that is not', ['securityContext:', '  windowsOptions: {hostProcess: true}', 'containers:', '- name: a', '  image: i', '  securityContext:', '    windowsOptions: {hostProcess: false}', '- {name: b, image: i}'],
    [[6, 22, 'containers[0].securityContext.windowsOptions.hostProcess', 'Invalid value: false: pod hostProcess value must be identical if both are specified, was true'],
      [-1, 1, '', 'Invalid value: "": If pod contains any hostProcess containers then all containers must be HostProcess containers'],
      [-1, 1, 'hostNetwork', 'Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers']]],
  ['malformed seccomp and AppArmor profiles', ['securityContext:', '  seccompProfile: {type: Localhost}', '  appArmorProfile: {type: Unconfined, localhostProfile: prof}', 'containers:', '- name: a', '  image: i', '  securityContext:', '    seccompProfile: {localhostProfile: prof}', '    appArmorProfile:', '      type: Localhost', '      localhostProfile: " prof"'],
    [[7, 5, 'containers[0].securityContext.seccompProfile.type', 'Required value: type is required when seccompProfile is set'],
      [7, 22, 'containers[0].securityContext.seccompProfile.localhostProfile', 'Invalid value: {"Type":"","LocalhostProfile":"prof"}: can only be set when seccomp type is Localhost'],
      [10, 7, 'containers[0].securityContext.appArmorProfile.localhostProfile', 'Invalid value: " prof": must not be padded with whitespace'],
      [1, 3, 'securityContext.seccompProfile.localhostProfile', 'Required value: must be set when seccomp type is Localhost'],
      [2, 39, 'securityContext.appArmorProfile.localhostProfile', 'Invalid value: "prof": can only be set when AppArmor type is Localhost']]],
  ['user and group IDs out of range', ['securityContext: {runAsUser: -1, fsGroup: 2147483648}', 'containers: [{name: a, image: i, securityContext: {runAsGroup: -5}}]'],
    [[1, 52, 'containers[0].securityContext.runAsGroup', 'Invalid value: -5: must be between 0 and 2147483647, inclusive'],
      [0, 34, 'securityContext.fsGroup', 'Invalid value: 2147483648: must be between 0 and 2147483647, inclusive'],
      [0, 19, 'securityContext.runAsUser', 'Invalid value: -1: must be between 0 and 2147483647, inclusive']]],
  // Upstream prints its regular expression, anchors included; '/' separates a name's parts as '.' does.
  ['sysctls: an empty name, an invalid one, one given twice; net.* with hostNetwork, IPC ones with hostIPC',
    ['hostNetwork: true', 'hostIPC: true', 'securityContext:', '  sysctls:', '  - {name: "", value: "1"}', '  - {name: Kernel.Shmmax, value: "1"}',
      '  - {name: kernel.shm_rmid_forced, value: "1"}', '  - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}', '  - {name: kernel.shm_rmid_forced, value: "0"}',
      '  - {name: net/ipv4/tcp_syncookies, value: "1"}', '  - {name: fs.mqueue.msg_max, value: "10"}', 'containers: [{name: a, image: i}]'],
    [[4, 6, 'securityContext.sysctls[0].name', 'Required value'],
      [5, 6, 'securityContext.sysctls[1].name', 'Invalid value: "Kernel.Shmmax": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$'],
      [6, 6, 'securityContext.sysctls[2].name', 'Invalid value: "kernel.shm_rmid_forced": may not be specified when \'hostIPC\' is true'],
      [7, 6, 'securityContext.sysctls[3].name', 'Invalid value: "net.ipv4.ip_local_port_range": may not be specified when \'hostNetwork\' is true'],
      [8, 6, 'securityContext.sysctls[4].name', 'Duplicate value: "kernel.shm_rmid_forced"'],
      [8, 6, 'securityContext.sysctls[4].name', 'Invalid value: "kernel.shm_rmid_forced": may not be specified when \'hostIPC\' is true'],
      [9, 6, 'securityContext.sysctls[5].name', 'Invalid value: "net/ipv4/tcp_syncookies": may not be specified when \'hostNetwork\' is true'],
      [10, 6, 'securityContext.sysctls[6].name', 'Invalid value: "fs.mqueue.msg_max": may not be specified when \'hostIPC\' is true']]],
  ['a name longer than 253 characters; a wildcard, which is no name but is in the network namespace',
    ['hostNetwork: true', 'securityContext:', `  sysctls: [{name: net.${'a'.repeat(250)}, value: "1"}, {name: "net.ipv4.*", value: "1"}]`, 'containers: [{name: a, image: i}]'],
    [[2, 14, 'securityContext.sysctls[0].name', `Invalid value: "net.${'a'.repeat(250)}": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`],
      [2, 14, 'securityContext.sysctls[0].name', `Invalid value: "net.${'a'.repeat(250)}": may not be specified when 'hostNetwork' is true`],
      [2, 290, 'securityContext.sysctls[1].name', 'Invalid value: "net.ipv4.*": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$'],
      [2, 290, 'securityContext.sysctls[1].name', 'Invalid value: "net.ipv4.*": may not be specified when \'hostNetwork\' is true']]],
  ['supplemental groups out of range; unknown fsGroupChangePolicy, supplementalGroupsPolicy and seLinuxChangePolicy',
    ['securityContext:', '  supplementalGroups: [1000, -1, 4294967296]', '  fsGroupChangePolicy: onRootMismatch', '  supplementalGroupsPolicy: ""', '  seLinuxChangePolicy: MountOption', 'containers: [{name: a, image: i}]'],
    [[1, 30, 'securityContext.supplementalGroups[1]', 'Invalid value: -1: must be between 0 and 2147483647, inclusive'],
      [1, 34, 'securityContext.supplementalGroups[2]', 'Invalid value: 4294967296: must be between 0 and 2147483647, inclusive'],
      [2, 3, 'securityContext.fsGroupChangePolicy', 'Unsupported value: "onRootMismatch": supported values: "Always", "OnRootMismatch"'],
      [3, 3, 'securityContext.supplementalGroupsPolicy', 'Unsupported value: "": supported values: "Merge", "Strict"'],
      [4, 3, 'securityContext.seLinuxChangePolicy', 'Unsupported value: "MountOption": supported values: "Recursive"']]],
  // Go's len counts bytes: 2,048 two-byte letters are 4,096 bytes.
  ['a Localhost seccomp profile outside the profiles directory; an AppArmor profile name too long',
    ['securityContext:', '  seccompProfile: {type: Localhost, localhostProfile: /var/lib/kubelet/seccomp/p.json}', 'containers:', '- name: a', '  image: i', '  securityContext:',
      '    seccompProfile: {type: Localhost, localhostProfile: profiles/../../p.json}', `    appArmorProfile: {type: Localhost, localhostProfile: ${'é'.repeat(2048)}}`],
    [[1, 37, 'securityContext.seccompProfile.localhostProfile', 'Invalid value: "/var/lib/kubelet/seccomp/p.json": must be a relative path'],
      [6, 39, 'containers[0].securityContext.seccompProfile.localhostProfile', 'Invalid value: "profiles/../../p.json": must not contain \'..\''],
      [7, 40, 'containers[0].securityContext.appArmorProfile.localhostProfile', 'Too long: may not be more than 4095 bytes']]],
  ['windowsOptions: a GMSA credential spec name, an empty credential spec, Windows user names',
    ['securityContext:', '  windowsOptions: {gmsaCredentialSpecName: Web_Spec, gmsaCredentialSpec: "", runAsUserName: "CORP\\\\"}', 'containers:', '- name: a', '  image: i', '  securityContext:',
      '    windowsOptions: {runAsUserName: "bad|domain\\\\user"}', '- name: b', '  image: i', '  securityContext:', '    windowsOptions: {runAsUserName: "a@b"}'],
    [[1, 20, 'securityContext.windowsOptions.gmsaCredentialSpecName', `Invalid value: "Web_Spec": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`],
      [1, 54, 'securityContext.windowsOptions.gmsaCredentialSpec', 'Invalid value: "": gmsaCredentialSpec cannot be an empty string'],
      [1, 78, 'securityContext.windowsOptions.runAsUserName', 'Invalid value: "CORP\\\\": runAsUserName\'s User cannot be empty'],
      [6, 22, 'containers[0].securityContext.windowsOptions.runAsUserName', 'Invalid value: "bad|domain\\\\user": runAsUserName\'s Domain doesn\'t match the NetBios nor the DNS format'],
      [10, 22, 'containers[1].securityContext.windowsOptions.runAsUserName', 'Invalid value: "a@b": runAsUserName\'s User cannot contain the following characters: "/\\:;|=,+*?<>@[]']]],
];

t.test('each refused combination, in a Pod and in a Deployment template: where it is, in upstream\'s words, not judged', async (t) => {
  await expectRefusals(t, CASES);
});

t.test('the hints say what to do', async (t) => {
  const { report } = await check(POD_HEAD + indent(CASES[0]![1], '  '));
  t.equal(report.errors[0]!.hint, 'a privileged container can always escalate: remove allowPrivilegeEscalation: false, or privileged: true; podsec did not evaluate this object');
  const hostUsers = await check(POD_HEAD + indent(CASES[2]![1], '  '));
  t.equal(hostUsers.report.errors.find((e) => e.message.includes('HostPID'))!.hint, 'remove hostPID: true, or hostUsers: false (a pod in a user namespace cannot share the node\'s); podsec did not evaluate this object');
});

t.test('what validation allows is still judged', async (t) => {
  const allowed: [string, string[], boolean][] = [
    ['privileged with allowPrivilegeEscalation true', ['containers: [{name: a, image: i, securityContext: {privileged: true, allowPrivilegeEscalation: true}}]'], false],
    ['privileged with allowPrivilegeEscalation unset', ['containers: [{name: a, image: i, securityContext: {privileged: true}}]'], false],
    // Upstream compares the exact string CAP_SYS_ADMIN only.
    ['SYS_ADMIN with allowPrivilegeEscalation false', ['containers: [{name: a, image: i, securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [SYS_ADMIN]}}}]'], false],
    ['procMount Unmasked in a user namespace', ['hostUsers: false', 'containers: [{name: a, image: i, securityContext: {procMount: Unmasked}}]'], false],
    ['hostUsers true with the host namespaces', ['hostUsers: true', 'hostNetwork: true', 'hostPID: true', 'shareProcessNamespace: false', 'containers: [{name: a, image: i}]'], false],
    ['hostUsers false alone', ['hostUsers: false', 'hostNetwork: false', 'containers: [{name: a, image: i}]'], false],
    ['a HostProcess pod with hostNetwork, its containers inheriting or agreeing', ['hostNetwork: true', 'securityContext: {windowsOptions: {hostProcess: true}}', 'containers: [{name: a, image: i}, {name: b, image: i, securityContext: {windowsOptions: {hostProcess: true}}}]'], false],
    ['a restricted pod with a Localhost seccomp profile', ['securityContext: {runAsNonRoot: true, seccompProfile: {type: Localhost, localhostProfile: p.json}}', 'containers: [{name: a, image: i, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, appArmorProfile: {type: Localhost, localhostProfile: k8s-default}}}]'], true],
    ['safe sysctls, supplemental groups at the ends of the range, the policies\' values', ['securityContext:', '  runAsNonRoot: true', '  seccompProfile: {type: RuntimeDefault}',
      '  sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65535"}, {name: kernel.shm_rmid_forced, value: "1"}]', '  supplementalGroups: [0, 2147483647]',
      '  fsGroupChangePolicy: OnRootMismatch', '  supplementalGroupsPolicy: Strict', '  seLinuxChangePolicy: Recursive', RESTRICTED_CONTAINER], true],
    // kernel.shm_next_id is in no namespace upstream's table names: only the shm* names it lists are IPC.
    ['a sysctl of one host namespace with the other shared', ['hostNetwork: true', 'securityContext: {sysctls: [{name: kernel.shm_rmid_forced, value: "1"}, {name: kernel.shm_next_id, value: "1"}]}', RESTRICTED_CONTAINER], false],
    ['IPC names upstream does not list, with hostIPC', ['hostIPC: true', 'securityContext: {sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65535"}, {name: kernel.shm_next_id, value: "1"}, {name: fs.mqueuex, value: "1"}]}', RESTRICTED_CONTAINER], false],
    ['Localhost profile paths with dots that step nowhere', ['securityContext: {runAsNonRoot: true, seccompProfile: {type: Localhost, localhostProfile: profiles/..p.json}}',
      'containers: [{name: a, image: i, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: Localhost, localhostProfile: ./p.json/..x}}}]'], true],
    ['Windows user names and a GMSA spec name upstream takes', ['securityContext: {windowsOptions: {gmsaCredentialSpecName: webapp1, runAsUserName: "NT AUTHORITY\\\\NETWORK SERVICE"}}',
      'containers: [{name: a, image: i, securityContext: {windowsOptions: {runAsUserName: ContainerUser}}}, {name: b, image: i, securityContext: {windowsOptions: {runAsUserName: "corp.example.com\\\\svc-web"}}}]'], false],
  ];
  for (const [name, spec, passes] of allowed) {
    for (const head of [POD_HEAD, DEPLOYMENT_HEAD]) {
      const { code, report } = await check(head + indent(spec, head === POD_HEAD ? '  ' : '      '));
      t.same(report.errors, [], name);
      t.equal(report.resources.length, 1, `${name}: judged`);
      t.equal(code, passes ? 0 : 1, `${name}: ${passes ? 'passes' : 'fails'} restricted`);
    }
  }
});

t.test('a pod read from a cluster is judged as stored; a stored workload\'s template is still validated', async (t) => {
  const stored = '  uid: 6f1c2d4e-0000-4000-8000-000000000001\n  resourceVersion: "4711"\n';
  const spec = ['hostUsers: false', 'hostPID: true', 'containers: [{name: a, image: i, securityContext: {privileged: true, allowPrivilegeEscalation: false}}]'];
  const pod = await check(POD_HEAD.replace('  name: p\n', `  name: p\n${stored}`) + indent(spec, '  '));
  t.same(pod.report.errors, []);
  t.equal(pod.code, 1);
  t.match(pod.report.resources[0]!.message, /privileged/);
  const deployment = await check(DEPLOYMENT_HEAD.replace('  name: web\n', `  name: web\n${stored}`) + indent(spec, '      '));
  t.equal(deployment.code, 2);
  t.same(deployment.report.errors.map((e) => e.message).sort(), [
    'Deployment default/web: spec.template.spec.HostPID: Forbidden: when `hostUsers` is false (the API server refuses the object)',
    `Deployment default/web: spec.template.spec.containers[0].securityContext: Invalid value: ${PRIVILEGED_SC}: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true (the API server refuses the object)`,
  ].sort());
});

// A Pod with annotations, and a Deployment whose template has them, around the same spec.
function annotated(annotations: string[], spec: string[]): { pod: string; deployment: string } {
  return {
    pod: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n${indent(annotations, '    ')}spec:\n${indent(spec, '  ')}`,
    deployment: `${DEPLOYMENT_HEAD.replace('    metadata: {labels: {app: web}}\n', `    metadata:\n      labels: {app: web}\n      annotations:\n${indent(annotations, '        ')}`)}${indent(spec, '      ')}`,
  };
}

/** [line, column] of the first line holding `text` in a manifest: where `text` starts, and `skip` characters further. */
function position(manifest: string, text: string, skip = 0): [number, number] {
  const lines = manifest.split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`no line holds ${text}`);
  return [i + 1, lines[i]!.indexOf(text) + 1 + skip];
}

t.test('seccomp and AppArmor annotations upstream does not take: at the annotation, its path printed as upstream prints it', async (t) => {
  const { pod, deployment } = annotated([
    'seccomp.security.alpha.kubernetes.io/pod: localhost/../p.json',
    'container.seccomp.security.alpha.kubernetes.io/a: docker/default',
    'container.seccomp.security.alpha.kubernetes.io/b: RuntimeDefault',
    'container.apparmor.security.beta.kubernetes.io/a: localhost/k8s-default',
    'container.apparmor.security.beta.kubernetes.io/web: runtime/default',
    'container.apparmor.security.beta.kubernetes.io/b: Unconfined',
  ], ['containers: [{name: a, image: i}, {name: b, image: i}]']);
  // ValidateSeccompPodAnnotations names the annotation with field.Path's Child, ValidateAppArmorPodAnnotations with Key.
  for (const [text, shown, root] of [[pod, 'Pod default/p', 'metadata.annotations'], [deployment, 'Deployment default/web', 'spec.template.annotations']] as const) {
    const { code, report } = await check(text);
    t.equal(code, 2, shown);
    t.same(report.resources, [], `${shown} is not judged`);
    t.same(report.errors.map((e) => [e.line, e.column, e.message]).sort(), [
      [...position(text, 'seccomp.security.alpha.kubernetes.io/pod:'), `${shown}: ${root}.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "../p.json": must not contain '..' (the API server refuses the object)`],
      [...position(text, 'container.seccomp.security.alpha.kubernetes.io/b:'), `${shown}: ${root}.container.seccomp.security.alpha.kubernetes.io/b: Invalid value: "RuntimeDefault": must be a valid seccomp profile (the API server refuses the object)`],
      [...position(text, 'container.apparmor.security.beta.kubernetes.io/web:'), `${shown}: ${root}[container.apparmor.security.beta.kubernetes.io/web]: Invalid value: "web": container not found (the API server refuses the object)`],
      [...position(text, 'container.apparmor.security.beta.kubernetes.io/b:'), `${shown}: ${root}[container.apparmor.security.beta.kubernetes.io/b]: Invalid value: "Unconfined": invalid AppArmor profile name: "Unconfined" (the API server refuses the object)`],
    ].sort(), shown);
    t.ok(report.errors.every((e) => e.hint.endsWith('; podsec did not evaluate this object')), `${shown}: hints`);
  }
});

t.test('annotations that contradict the fields, in a Pod on create and in a template', async (t) => {
  const annotations = [
    'seccomp.security.alpha.kubernetes.io/pod: unconfined',
    'container.seccomp.security.alpha.kubernetes.io/a: localhost/b.json',
    'container.apparmor.security.beta.kubernetes.io/a: unconfined',
    // Not a profile a field can hold: the Pod's creation copies nothing, and c keeps the pod's profile.
    'container.apparmor.security.beta.kubernetes.io/c: localhost/',
  ];
  const spec = ['securityContext:', '  seccompProfile: {type: RuntimeDefault}', '  appArmorProfile: {type: RuntimeDefault}', 'initContainers:', '- name: c', '  image: i', 'containers:', '- name: a', '  image: i',
    '  securityContext:', '    seccompProfile: {type: Localhost, localhostProfile: a.json}', '    appArmorProfile: { type: RuntimeDefault }', '- {name: b, image: i}'];
  const { pod, deployment } = annotated(annotations, spec);
  for (const [text, shown, specPath] of [[pod, 'Pod default/p', 'spec'], [deployment, 'Deployment default/web', 'spec.template.spec']] as const) {
    const { code, report } = await check(text);
    t.equal(code, 2, shown);
    t.same(report.errors.map((e) => [e.line, e.column, e.message]).sort(), [
      [...position(text, '  seccompProfile: {type: RuntimeDefault}', 19), `${shown}: ${specPath}.securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match (the API server refuses the object)`],
      [...position(text, 'localhostProfile: a.json'), `${shown}: ${specPath}.containers[0].securityContext.seccompProfile.localhostProfile: Forbidden: seccomp profile in annotation and field must match (the API server refuses the object)`],
      [...position(text, 'appArmorProfile: { type', 19), `${shown}: ${specPath}.containers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match (the API server refuses the object)`],
      // c has no securityContext: the error is at the container.
      [...position(text, '- name: c'), `${shown}: ${specPath}.initContainers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match (the API server refuses the object)`],
    ].sort(), shown);
    // The hints say that the two disagree, never that they agree.
    const hint = (at: string) => report.errors.find((e) => e.message.includes(at))?.hint;
    t.equal(hint('.securityContext.seccompProfile.type'), 'the deprecated seccomp annotation and the seccompProfile field name different profiles: remove the annotation (the field is what the kubelet uses), or make it name the field\'s profile; podsec did not evaluate this object');
    t.equal(hint('.containers[0].securityContext.appArmorProfile.type'), 'the deprecated AppArmor annotation for this container and its appArmorProfile field name different profiles: remove the annotation (the field is what the kubelet uses), or make it name the field\'s profile; podsec did not evaluate this object');
  }
  // An AppArmor annotation a field can hold is copied to an empty container field when a Pod is
  // created (the pod strategy's PrepareForCreate), before validation; a template keeps it as it is.
  const copied = annotated(['container.apparmor.security.beta.kubernetes.io/b: localhost/custom'], spec.slice(0, 3).concat(['containers: [{name: a, image: i}, {name: b, image: i}]']));
  const asPod = await check(copied.pod);
  t.same(asPod.report.errors, [], 'a Pod: copied to the field, no contradiction');
  t.equal(asPod.report.resources.length, 1, 'a Pod: judged');
  const asTemplate = await check(copied.deployment);
  t.equal(asTemplate.code, 2);
  t.same(asTemplate.report.errors.map((e) => e.message), [
    'Deployment default/web: spec.template.spec.containers[1].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match (the API server refuses the object)',
  ]);
  t.equal(asTemplate.report.errors[0]!.hint, 'the container takes the pod\'s appArmorProfile, which the deprecated AppArmor annotation for it contradicts: remove the annotation, or set the container\'s own securityContext.appArmorProfile; podsec did not evaluate this object');
  // A Windows pod's AppArmor annotations are not compared with fields (it may have none: those are refused for it).
  const windows = annotated(['container.apparmor.security.beta.kubernetes.io/a: localhost/custom'], ['os: {name: windows}', 'containers: [{name: a, image: i}]']);
  for (const text of [windows.pod, windows.deployment]) t.same((await check(text)).report.errors, [], 'a Windows pod\'s annotation');
});

t.test('annotations that agree with the fields, or that PodSecurity judges, are judged', async (t) => {
  const agreeing = annotated([
    'seccomp.security.alpha.kubernetes.io/pod: docker/default',
    'container.seccomp.security.alpha.kubernetes.io/a: localhost/profiles/a.json',
    'container.apparmor.security.beta.kubernetes.io/a: localhost/k8s-a',
    'container.apparmor.security.beta.kubernetes.io/b: runtime/default',
  ], ['securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}, appArmorProfile: {type: RuntimeDefault}}',
    'containers:', '- name: a', '  image: i',
    '  securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: Localhost, localhostProfile: profiles/a.json}, appArmorProfile: {type: Localhost, localhostProfile: k8s-a}}',
    '- {name: b, image: i, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}']);
  for (const text of [agreeing.pod, agreeing.deployment]) {
    const { code, report } = await check(text);
    t.same(report.errors, [], 'agreeing annotations');
    t.equal(code, 0, 'agreeing annotations: restricted passes');
  }
  // Valid to the API server, forbidden by the Pod Security Standards: a violation, not a refusal.
  const unconfined = annotated(['container.apparmor.security.beta.kubernetes.io/a: unconfined'], ['containers: [{name: a, image: i}]']);
  const unsafe = annotated(['note: x'], ['securityContext: {sysctls: [{name: net.core.somaxconn, value: "1024"}]}', 'containers: [{name: a, image: i}]']);
  for (const [what, { pod, deployment }, pattern] of [['an unconfined AppArmor annotation', unconfined, /AppArmor/], ['a sysctl outside the safe set', unsafe, /net\.core\.somaxconn/]] as const) {
    for (const text of [pod, deployment]) {
      const { code, report } = await check(text);
      t.same(report.errors, [], `${what}: not refused`);
      t.equal(code, 1, `${what}: fails`);
      t.match(report.resources[0]!.message, pattern, `${what}: the Pod Security Standards' violation`);
    }
  }
});

t.test('a pod read from a cluster is not validated again, annotations included', async (t) => {
  const { pod } = annotated(['container.apparmor.security.beta.kubernetes.io/gone: localhost/x'],
    ['securityContext: {sysctls: [{name: kernel.shm_rmid_forced, value: "1"}, {name: kernel.shm_rmid_forced, value: "0"}]}', 'containers: [{name: a, image: i}]']);
  const stored = await check(pod.replace('  name: p\n', '  name: p\n  uid: 6f1c2d4e-0000-4000-8000-000000000002\n'));
  t.same(stored.report.errors, []);
  t.equal(stored.report.resources.length, 1);
  const created = await check(pod);
  t.same(created.report.errors.map((e) => e.message).sort(), [
    'Pod default/p: metadata.annotations[container.apparmor.security.beta.kubernetes.io/gone]: Invalid value: "gone": container not found (the API server refuses the object)',
    'Pod default/p: spec.securityContext.sysctls[1].name: Duplicate value: "kernel.shm_rmid_forced" (the API server refuses the object)',
  ]);
});
