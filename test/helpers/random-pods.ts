/** Seeded random pods that exercise every field the rules read, compliant or not. */

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomPod(random: () => number): Record<string, unknown> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = (p = 0.5) => random() < p;
  const opt = <T>(value: () => T, p = 0.5): T | undefined => (maybe(p) ? value() : undefined);
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const names = ['a', 'b', 'c', 'init', 'web', 'z', 'side-car'];

  const securityContext = (pod: boolean) =>
    clean({
      privileged: pod ? undefined : opt(() => maybe(0.3), 0.2),
      allowPrivilegeEscalation: pod ? undefined : opt(() => maybe(0.3), 0.6),
      runAsNonRoot: opt(() => maybe(0.7), 0.5),
      runAsUser: opt(() => pick([0, 1000, 65534]), 0.3),
      procMount: pod ? undefined : opt(() => pick(['Default', 'Unmasked', 'other']), 0.15),
      capabilities: pod ? undefined : opt(() => clean({ drop: opt(() => pick([['ALL'], ['all'], ['NET_RAW'], []]), 0.7), add: opt(() => [pick(['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN', 'NET_ADMIN', 'KILL'])], 0.3) }), 0.6),
      seccompProfile: opt(() => clean({ type: opt(() => pick(['RuntimeDefault', 'Localhost', 'Unconfined', 'unconfined']), 0.9) }), 0.5),
      appArmorProfile: opt(() => clean({ type: opt(() => pick(['RuntimeDefault', 'Localhost', 'Unconfined']), 0.9) }), 0.15),
      seLinuxOptions: opt(() => clean({ type: opt(() => pick(['container_t', 'container_engine_t', 'spc_t', '']), 0.7), user: opt(() => pick(['', 'system_u']), 0.2), role: opt(() => pick(['', 'r']), 0.2), level: opt(() => 's0', 0.2) }), 0.15),
      windowsOptions: opt(() => clean({ hostProcess: opt(() => maybe(0.3), 0.8) }), 0.1),
      sysctls: pod ? opt(() => [{ name: pick(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_rmem', 'kernel.msgmax', 'net.ipv4.tcp_notsent_lowat']), value: '1' }], 0.2) : undefined,
    });
  const probe = () => (maybe() ? { httpGet: clean({ port: 80, host: opt(() => pick(['', 'localhost', '10.0.0.1']), 0.4) }) } : { tcpSocket: clean({ port: 80, host: opt(() => pick(['', '::1']), 0.4) }) });
  const container = () =>
    clean({
      name: pick(names),
      image: 'img',
      securityContext: opt(() => securityContext(false), 0.85),
      ports: opt(() => [clean({ containerPort: pick([80, 8080]), hostPort: opt(() => pick([0, 80, 9100]), 0.3) })], 0.4),
      livenessProbe: opt(probe, 0.2),
      readinessProbe: opt(probe, 0.1),
      lifecycle: opt(() => ({ preStop: probe() }), 0.1),
    });
  const list = (max: number, make: () => unknown) => Array.from({ length: Math.floor(random() * (max + 1)) }, make);
  const volumeSources = ['emptyDir', 'configMap', 'hostPath', 'nfs', 'secret', 'image', 'gitRepo', 'csi', 'unknownSource'];
  const volume = () => {
    const v: Record<string, unknown> = { name: pick(['data', 'cfg', 'host', 'x']) };
    for (const source of list(2, () => pick(volumeSources)) as string[]) v[source] = {};
    return v;
  };
  const annotations = opt(
    () =>
      Object.fromEntries(
        list(3, () => [
          pick(['seccomp.security.alpha.kubernetes.io/pod', 'container.seccomp.security.alpha.kubernetes.io/a', 'container.apparmor.security.beta.kubernetes.io/web', 'container.apparmor.security.beta.kubernetes.io/', 'other/x']),
          pick(['runtime/default', 'docker/default', 'localhost/p', 'unconfined', '', 'say "hi"']),
        ]) as [string, string][],
      ),
    0.3,
  );
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: clean({ name: 'p', annotations }),
    spec: clean({
      hostNetwork: opt(() => maybe(0.3), 0.2),
      hostPID: opt(() => maybe(0.3), 0.1),
      hostIPC: opt(() => maybe(0.3), 0.1),
      hostUsers: opt(() => maybe(0.5), 0.15),
      os: opt(() => ({ name: pick(['linux', 'windows']) }), 0.2),
      securityContext: opt(() => securityContext(true), 0.7),
      initContainers: opt(() => list(2, container), 0.4),
      containers: list(3, container),
      ephemeralContainers: opt(() => list(1, container), 0.1),
      volumes: opt(() => list(3, volume), 0.5),
    }),
  };
}
