// Pods for the engine benchmark.

export function compliantPod() {
  const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'init', image: 'busybox', securityContext: structuredClone(sc) }],
      containers: [
        { name: 'app', image: 'nginx', ports: [{ containerPort: 8080 }], securityContext: structuredClone(sc) },
        { name: 'sidecar', image: 'envoy', securityContext: structuredClone(sc) },
      ],
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg' } }],
    },
  };
}

/** Mostly non-compliant pods: each breaks one to several checks. */
export function mixedCorpus(n) {
  const mutations = [
    (p) => { delete p.spec.securityContext; },
    (p) => { p.spec.containers[0].securityContext.privileged = true; },
    (p) => { p.spec.hostNetwork = true; p.spec.hostPID = true; },
    (p) => { p.spec.containers[1].securityContext.capabilities.add = ['NET_ADMIN', 'SYS_TIME']; },
    (p) => { p.spec.volumes.push({ name: 'host', hostPath: { path: '/var' } }); },
    (p) => { p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; },
    (p) => { p.spec.containers[0].securityContext = {}; },
    (p) => { p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; },
    (p) => { p.spec.initContainers[0].securityContext.runAsUser = 0; },
    () => {},
  ];
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = compliantPod();
    p.metadata.name = `pod-${i}`;
    mutations[i % mutations.length](p);
    if (i % 3 === 0) mutations[(i * 7 + 3) % mutations.length](p);
    // As decoded from a request or a manifest: fresh objects, no deleted properties.
    out.push(JSON.parse(JSON.stringify(p)));
  }
  return out;
}
