// The rules against a second reading of upstream's checks (test/helpers/upstream-model.ts), word
// for word, on seeded random pods full of what the conformance fixtures leave out: init and
// ephemeral containers, repeated and unusual names, null, empty and absent fields, values that
// need quoting or sort differently by bytes, annotations, Windows and user-namespace pods.
import t, { type Test } from 'tap';
import { withZeroValues } from '../admission/field-types.js';
import { createEvaluator } from '../engine/index.js';
import { rng } from './helpers/random-pods.js';
import { createdPod, upstreamViolations } from './helpers/upstream-model.js';

const evaluator = createEvaluator();
const VERSIONS = [0, 7, 8, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 40];

function trickyPod(random: () => number, nullItems: boolean): Record<string, unknown> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = (p: number) => random() < p;
  const opt = <T>(make: () => T, p = 0.5): T | undefined => (maybe(p) ? make() : undefined);
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const list = <T>(max: number, make: () => T): (T | null)[] => Array.from({ length: Math.floor(random() * (max + 1)) }, () => (nullItems && maybe(0.08) ? null : make()));
  const names = ['a', 'b', 'a-b', 'a"b', '', 'é', 'Z', '\u00a0', '\uff41', '\u{1F600}'];
  const text = ['', 'Unconfined', 'RuntimeDefault', 'Localhost', 'unconfined', 'x"y', 'é', '\t', 'Z', '\u{1F600}', '\uff41', 'runtime/default', 'localhost/p', 'docker/default', 'localhost/', 'a\\b'];
  const bool = () => pick([true, false, null]);
  const profile = (types: string[]) => pick([null, {}, clean({ type: opt(() => pick([null, ...types, ...text]), 0.9) })]);
  const securityContext = (pod: boolean) =>
    clean({
      privileged: pod ? undefined : opt(bool, 0.3),
      allowPrivilegeEscalation: pod ? undefined : opt(bool, 0.6),
      runAsNonRoot: opt(bool),
      runAsUser: opt(() => pick([0, 1, null, 1000]), 0.3),
      procMount: pod ? undefined : opt(() => pick(['Default', 'Unmasked', null, ...text]), 0.2),
      capabilities: pod ? undefined : opt(() => pick([null, clean({ drop: opt(() => list(3, () => pick(['ALL', 'all', 'NET_RAW', '']))), add: opt(() => list(3, () => pick(['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN', '', 'é', 'a"b', 'ALL']))) })]), 0.6),
      seccompProfile: opt(() => profile(['RuntimeDefault', 'Localhost', 'Unconfined'])),
      appArmorProfile: opt(() => profile(['RuntimeDefault', 'Localhost', 'Unconfined']), 0.3),
      seLinuxOptions: opt(() => pick([null, {}, clean({ type: opt(() => pick(['container_t', 'container_engine_t', 'container_kvm_t', 'spc_t', null, ...text])), user: opt(() => pick(['', 'u', null])), role: opt(() => pick(['', 'r', null])), level: opt(() => 's0') })]), 0.3),
      windowsOptions: opt(() => pick([null, clean({ hostProcess: opt(bool, 0.8) })]), 0.15),
      sysctls: pod ? opt(() => list(3, () => ({ name: pick(['kernel.shm_rmid_forced', 'net.ipv4.tcp_rmem', 'kernel.msgmax', 'net.ipv4.tcp_notsent_lowat', '', 'é', 'net.ipv4.ip_local_reserved_ports']), value: '1' })), 0.3) : undefined,
    });
  const handler = () => pick([null, clean({ httpGet: opt(() => pick([null, clean({ port: 80, host: opt(() => pick(['', 'localhost', '10.0.0.1', 'a"b', 'é', null, 'Z'])) })])), tcpSocket: opt(() => pick([null, clean({ port: 80, host: opt(() => pick(['', '::1', 'localhost', null])) })])) })]);
  const container = () =>
    clean({
      name: pick(names),
      image: 'i',
      securityContext: opt(() => pick([null, securityContext(false)]), 0.85),
      ports: opt(() => list(3, () => clean({ containerPort: pick([80, 8080, undefined]), hostPort: opt(() => pick([0, 80, 9100, 100, 20, 9, null])) })), 0.4),
      livenessProbe: opt(handler, 0.2),
      readinessProbe: opt(handler, 0.1),
      startupProbe: opt(handler, 0.1),
      lifecycle: opt(() => pick([null, clean({ preStop: opt(handler), postStart: opt(handler) })]), 0.15),
    });
  const sources = ['emptyDir', 'configMap', 'hostPath', 'nfs', 'secret', 'image', 'gitRepo', 'csi', 'cephfs', 'storageos', 'ephemeral', 'rbd'];
  const volume = () => {
    const v: Record<string, unknown> = { name: pick(['data', 'h', 'x', '', 'é', 'a"b']) };
    for (const s of list(2, () => pick(sources))) if (s) v[s] = pick([{}, {}, null]);
    return v;
  };
  const annotationKey = () => pick(['seccomp.security.alpha.kubernetes.io/pod', 'container.seccomp.security.alpha.kubernetes.io/' + pick(names), 'container.apparmor.security.beta.kubernetes.io/' + pick(names), 'container.apparmor.security.beta.kubernetes.io/', 'container.apparmor.security.beta.kubernetes.io', 'other/x']);
  return {
    metadata: clean({ annotations: opt(() => Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [annotationKey(), pick(text)])), 0.4) }),
    spec: clean({
      hostNetwork: opt(bool, 0.3),
      hostPID: opt(bool, 0.1),
      hostIPC: opt(bool, 0.1),
      hostUsers: opt(bool, 0.3),
      os: opt(() => pick([null, { name: 'windows' }, { name: 'linux' }, {}]), 0.3),
      securityContext: opt(() => pick([null, securityContext(true)]), 0.7),
      initContainers: opt(() => list(2, container), 0.3),
      containers: list(3, container),
      ephemeralContainers: opt(() => list(2, container), 0.2),
      volumes: opt(() => list(3, volume), 0.4),
    }),
  };
}

function compare(t: Test, seed: number, count: number, defaulting: 'none' | 'pod') {
  const random = rng(seed);
  let failures = 0;
  for (let i = 0; i < count && failures < 5; i++) {
    const pod = trickyPod(random, defaulting === 'pod');
    const level = random() < 0.5 ? 'baseline' : 'restricted';
    const minor = VERSIONS[Math.floor(random() * VERSIONS.length)]!;
    // As podsec check reads a manifest: Go's zero values for null items, then the create-time defaults.
    const input = defaulting === 'pod' ? withZeroValues('Pod', pod) : pod;
    const got = evaluator.evaluate(input, { level, version: `v1.${minor}`, defaulting }).violations.map(({ checkId, reason, detail }) => ({ checkId, reason, detail }));
    const expected = upstreamViolations(defaulting === 'pod' ? createdPod(pod) : pod, level, minor);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      failures++;
      t.same(got, expected, `${level}:v1.${minor} ${JSON.stringify(pod)}`);
    }
  }
  if (failures === 0) t.pass(`${count} pods say what upstream says`);
}

t.test('already-defaulted pods (as admission sees them): the same checks fail, in the same words', async (t) => {
  compare(t, 1, 4000, 'none');
});

t.test('pods as created from a manifest (null items, API-server defaults): the same checks fail, in the same words', async (t) => {
  compare(t, 2, 4000, 'pod');
});
