/**
 * A second reading of upstream's PodSecurity checks, written as plain code from the Go sources
 * (kubernetes/pod-security-admission, policy/check_*.go, the 1.37 line) rather than from
 * podsec's rule files, and the API server's create-time defaults that PodSecurity sees. Used
 * only in tests, to compare the rules' words with upstream's on many pods. It reads a pod as
 * Go's decoder fills it: null and absent fields are unset, a null list item is a zero value.
 */
import { goQuote } from '../../engine/text.js';

type Obj = Record<string, any>;
export interface ModelViolation {
  checkId: string;
  reason: string;
  detail: string;
}
type Result = { reason: string; detail: string } | null;
type CheckFn = (meta: Obj, spec: Obj, minor: number) => Result;

const set = (v: unknown): boolean => v !== undefined && v !== null;
const str = (v: unknown): string => (set(v) ? String(v) : '');
// Go's sets.List and sort.Strings: UTF-8 byte order.
const sorted = (values: Iterable<string>): string[] => [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
const joinQuote = (items: string[]): string => (items.length ? `"${items.join('", "')}"` : '');
const pluralize = (singular: string, plural: string, n: number): string => (n === 1 ? singular : plural);
const containers = (items: string[]): string => `${pluralize('container', 'containers', items.length)} ${joinQuote(items)}`;

function visit(spec: Obj, fn: (c: Obj) => void): void {
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) for (const c of spec[key] ?? []) fn(c ?? {});
}

/** Who sets securityContext.<field>.type to a type not allowed ("pod", `containers "a"`), and those types. */
function forbiddenProfileTypes(spec: Obj, field: string, allowed: (type: string) => boolean): { setters: string[]; values: Set<string> } {
  const setters: string[] = [];
  const values = new Set<string>();
  const pod = ctx(spec);
  if (pod && set(pod[field]) && !allowed(str(pod[field].type))) {
    setters.push('pod');
    values.add(str(pod[field].type));
  }
  const bad: string[] = [];
  visit(spec, (c) => {
    const s = ctx(c);
    if (s && set(s[field]) && !allowed(str(s[field].type))) {
      bad.push(str(c.name));
      values.add(str(s[field].type));
    }
  });
  if (bad.length) setters.push(containers(bad));
  return { setters, values };
}
const ctx = (o: Obj): Obj | null => (set(o.securityContext) ? o.securityContext : null);
const isWindows = (spec: Obj): boolean => set(spec.os) && spec.os.name === 'windows';
const userNamespace = (spec: Obj): boolean => spec.hostUsers === false;

const appArmorProfile: CheckFn = (meta, spec) => {
  const { setters, values } = forbiddenProfileTypes(spec, 'appArmorProfile', (t) => t === 'RuntimeDefault' || t === 'Localhost');
  const annotations: string[] = [];
  for (const [k, raw] of Object.entries<unknown>(meta.annotations ?? {})) {
    const v = str(raw);
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/'))) annotations.push(`${k}=${goQuote(v)}`);
  }
  let list = sorted(values);
  if (annotations.length) {
    list = list.concat(sorted(annotations));
    setters.push(pluralize('annotation', 'annotations', annotations.length));
  }
  if (!setters.length) return null;
  return { reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', list.length), detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(list)}` };
};

const DEFAULT_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const capabilitiesBaseline: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const caps = new Set<string>();
  visit(spec, (c) => {
    const s = ctx(c);
    if (!s || !set(s.capabilities)) return;
    let valid = true;
    for (const a of s.capabilities.add ?? []) {
      if (!DEFAULT_CAPS.has(str(a))) {
        valid = false;
        caps.add(str(a));
      }
    }
    if (!valid) bad.push(str(c.name));
  });
  return bad.length ? { reason: 'non-default capabilities', detail: `${containers(bad)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add` } : null;
};

const capabilitiesRestricted: CheckFn = (_meta, spec, minor) => {
  if (minor >= 25 && isWindows(spec)) return null;
  const caps = new Set<string>();
  const missing: string[] = [];
  const adding: string[] = [];
  visit(spec, (c) => {
    const s = ctx(c);
    if (!s || !set(s.capabilities)) {
      missing.push(str(c.name));
      return;
    }
    if (!(s.capabilities.drop ?? []).some((d: unknown) => str(d) === 'ALL')) missing.push(str(c.name));
    let forbidden = false;
    for (const a of s.capabilities.add ?? []) {
      if (str(a) !== 'NET_BIND_SERVICE') {
        forbidden = true;
        caps.add(str(a));
      }
    }
    if (forbidden) adding.push(str(c.name));
  });
  const details: string[] = [];
  if (missing.length) details.push(`${containers(missing)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) details.push(`${containers(adding)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add`);
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : null;
};

const hostNamespaces: CheckFn = (_meta, spec) => {
  const found = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
  return found.length ? { reason: 'host namespaces', detail: found.join(', ') } : null;
};

const hostPathVolumes: CheckFn = (_meta, spec) => {
  const bad = (spec.volumes ?? []).filter((v: Obj | null) => set(v?.hostPath)).map((v: Obj) => str(v.name));
  return bad.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` } : null;
};

const hostPorts: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const ports = new Set<string>();
  visit(spec, (c) => {
    let valid = true;
    for (const p of c.ports ?? []) {
      const port = p?.hostPort ?? 0;
      if (port !== 0) {
        valid = false;
        ports.add(String(port));
      }
    }
    if (!valid) bad.push(str(c.name));
  });
  if (!bad.length) return null;
  return { reason: 'hostPort', detail: `${containers(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', ports.size)} ${sorted(ports).join(', ')}` };
};

const hostProbesAndHostLifecycle: CheckFn = (_meta, spec) => {
  const bad = new Set<string>();
  const hosts = new Set<string>();
  const hostsOf = (handler: Obj | null | undefined): string[] => {
    if (!set(handler)) return [];
    return [handler!.httpGet, handler!.tcpSocket].filter((a) => set(a) && str(a.host) !== '').map((a) => str(a.host));
  };
  visit(spec, (c) => {
    const handlers = [c.livenessProbe, c.readinessProbe, c.startupProbe, ...(set(c.lifecycle) ? [c.lifecycle.postStart, c.lifecycle.preStop] : [])];
    for (const h of handlers) {
      const found = hostsOf(h);
      if (found.length) {
        bad.add(str(c.name));
        for (const x of found) hosts.add(x);
      }
    }
  });
  if (!bad.size) return null;
  const names = sorted(bad);
  return { reason: 'probe or lifecycle host', detail: `${containers(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.size)} ${joinQuote(sorted(hosts))}` };
};

const privileged: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  visit(spec, (c) => {
    if (ctx(c)?.privileged === true) bad.push(str(c.name));
  });
  return bad.length ? { reason: 'privileged', detail: `${containers(bad)} must not set securityContext.privileged=true` } : null;
};

const procMount: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  visit(spec, (c) => {
    const s = ctx(c);
    if (s && set(s.procMount) && str(s.procMount) !== 'Default') {
      bad.push(str(c.name));
      types.add(str(s.procMount));
    }
  });
  return bad.length ? { reason: 'procMount', detail: `${containers(bad)} must not set securityContext.procMount to ${joinQuote(sorted(types))}` } : null;
};

const seLinuxOptions: CheckFn = (_meta, spec, minor) => {
  const allowed = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])]);
  const setters: string[] = [];
  const types = new Set<string>();
  let user = false;
  let role = false;
  const valid = (o: Obj): boolean => {
    let ok = true;
    if (!allowed.has(str(o.type))) {
      ok = false;
      types.add(str(o.type));
    }
    if (str(o.user) !== '') {
      ok = false;
      user = true;
    }
    if (str(o.role) !== '') {
      ok = false;
      role = true;
    }
    return ok;
  };
  const pod = ctx(spec);
  if (pod && set(pod.seLinuxOptions) && !valid(pod.seLinuxOptions)) setters.push('pod');
  const bad: string[] = [];
  visit(spec, (c) => {
    const s = ctx(c);
    if (s && set(s.seLinuxOptions) && !valid(s.seLinuxOptions)) bad.push(str(c.name));
  });
  if (bad.length) setters.push(containers(bad));
  if (!setters.length) return null;
  const data: string[] = [];
  if (types.size) data.push(`${pluralize('type', 'types', types.size)} ${joinQuote(sorted(types))}`);
  if (user) data.push('user may not be set');
  if (role) data.push('role may not be set');
  return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
};

const validSeccomp = (t: string): boolean => t === 'RuntimeDefault' || t === 'Localhost';
const seccompProfileBaseline: CheckFn = (meta, spec, minor) => {
  if (minor < 19) {
    const annotations: Obj = meta.annotations ?? {};
    const found = new Set<string>();
    const check = (key: string) => {
      if (!Object.hasOwn(annotations, key)) return;
      const v = str(annotations[key]);
      if (!(v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/'))) found.add(`${key}=${goQuote(v)}`);
    };
    check('seccomp.security.alpha.kubernetes.io/pod');
    visit(spec, (c) => check('container.seccomp.security.alpha.kubernetes.io/' + str(c.name)));
    return found.size ? { reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', found.size)} ${sorted(found).join(', ')}` } : null;
  }
  const { setters, values } = forbiddenProfileTypes(spec, 'seccompProfile', validSeccomp);
  return setters.length ? { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` } : null;
};

const SYSCTLS: [number, string[]][] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];
const sysctls: CheckFn = (_meta, spec, minor) => {
  const allowed = new Set(SYSCTLS.filter(([since]) => minor >= since).flatMap(([, names]) => names));
  const bad = (ctx(spec)?.sysctls ?? []).map((s: Obj | null) => str(s?.name)).filter((n: string) => !allowed.has(n));
  return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : null;
};

const windowsHostProcess: CheckFn = (_meta, spec) => {
  const hostProcess = (s: Obj | null) => s !== null && set(s.windowsOptions) && s.windowsOptions.hostProcess === true;
  const bad: string[] = [];
  visit(spec, (c) => {
    if (hostProcess(ctx(c))) bad.push(str(c.name));
  });
  const setters = [...(hostProcess(ctx(spec)) ? ['pod'] : []), ...(bad.length ? [containers(bad)] : [])];
  return setters.length ? { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` } : null;
};

const allowPrivilegeEscalation: CheckFn = (_meta, spec, minor) => {
  if (minor >= 25 && isWindows(spec)) return null;
  const bad: string[] = [];
  visit(spec, (c) => {
    if (ctx(c)?.allowPrivilegeEscalation !== false) bad.push(str(c.name));
  });
  return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containers(bad)} must set securityContext.allowPrivilegeEscalation=false` } : null;
};

const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const RESTRICTED_VOLUMES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];
const restrictedVolumes: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const item of spec.volumes ?? []) {
    const v: Obj = item ?? {};
    if (ALLOWED_VOLUMES.some((k) => set(v[k]))) continue;
    bad.push(str(v.name));
    types.add(RESTRICTED_VOLUMES.find((k) => set(v[k])) ?? 'unknown');
  }
  if (!bad.length) return null;
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', types.size)} ${joinQuote(sorted(types))}`,
  };
};

const runAsNonRoot: CheckFn = (_meta, spec, minor) => {
  if (minor >= 35 && userNamespace(spec)) return null;
  const setters: string[] = [];
  let podTrue = false;
  const pod = ctx(spec);
  if (pod && set(pod.runAsNonRoot)) {
    if (pod.runAsNonRoot === false) setters.push('pod');
    else podTrue = true;
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  visit(spec, (c) => {
    const s = ctx(c);
    if (s && set(s.runAsNonRoot)) {
      if (s.runAsNonRoot === false) explicit.push(str(c.name));
    } else if (!podTrue) implicit.push(str(c.name));
  });
  if (explicit.length) setters.push(containers(explicit));
  if (setters.length) return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  if (implicit.length) return { reason: 'runAsNonRoot != true', detail: `pod or ${containers(implicit)} must set securityContext.runAsNonRoot=true` };
  return null;
};

const runAsUser: CheckFn = (_meta, spec, minor) => {
  if (minor >= 35 && userNamespace(spec)) return null;
  const bad: string[] = [];
  visit(spec, (c) => {
    if (ctx(c)?.runAsUser === 0) bad.push(str(c.name));
  });
  const setters = [...(ctx(spec)?.runAsUser === 0 ? ['pod'] : []), ...(bad.length ? [containers(bad)] : [])];
  return setters.length ? { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` } : null;
};

const seccompProfileRestricted: CheckFn = (_meta, spec, minor) => {
  if (minor >= 25 && isWindows(spec)) return null;
  const setters: string[] = [];
  const values = new Set<string>();
  let podValid = false;
  const pod = ctx(spec);
  if (pod && set(pod.seccompProfile)) {
    if (validSeccomp(str(pod.seccompProfile.type))) podValid = true;
    else {
      setters.push('pod');
      values.add(str(pod.seccompProfile.type));
    }
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  visit(spec, (c) => {
    const s = ctx(c);
    if (s && set(s.seccompProfile)) {
      if (!validSeccomp(str(s.seccompProfile.type))) {
        explicit.push(str(c.name));
        values.add(str(s.seccompProfile.type));
      }
    } else if (!podValid) implicit.push(str(c.name));
  });
  if (explicit.length) setters.push(containers(explicit));
  if (setters.length) return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` };
  if (implicit.length) return { reason: 'seccompProfile', detail: `pod or ${containers(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  return null;
};

// id, level, first version, function; restricted ids follow the baseline ones, each sorted byte-wise.
const CHECKS: [string, 'baseline' | 'restricted', number, CheckFn][] = [
  ['appArmorProfile', 'baseline', 0, appArmorProfile],
  ['capabilities_baseline', 'baseline', 0, capabilitiesBaseline],
  ['hostNamespaces', 'baseline', 0, hostNamespaces],
  ['hostPathVolumes', 'baseline', 0, hostPathVolumes],
  ['hostPorts', 'baseline', 0, hostPorts],
  ['hostProbesAndHostLifecycle', 'baseline', 34, hostProbesAndHostLifecycle],
  ['privileged', 'baseline', 0, privileged],
  ['procMount', 'baseline', 0, (m, s, v) => (v >= 35 && userNamespace(s) ? null : procMount(m, s, v))],
  ['seLinuxOptions', 'baseline', 0, seLinuxOptions],
  ['seccompProfile_baseline', 'baseline', 0, seccompProfileBaseline],
  ['sysctls', 'baseline', 0, sysctls],
  ['windowsHostProcess', 'baseline', 0, windowsHostProcess],
  ['allowPrivilegeEscalation', 'restricted', 8, allowPrivilegeEscalation],
  ['capabilities_restricted', 'restricted', 22, capabilitiesRestricted],
  ['procMount_restricted', 'restricted', 35, procMount],
  ['restrictedVolumes', 'restricted', 0, restrictedVolumes],
  ['runAsNonRoot', 'restricted', 0, runAsNonRoot],
  ['runAsUser', 'restricted', 23, runAsUser],
  ['seccompProfile_restricted', 'restricted', 19, seccompProfileRestricted],
];
const OVERRIDES: Record<string, string> = { capabilities_restricted: 'capabilities_baseline', procMount_restricted: 'procMount', restrictedVolumes: 'hostPathVolumes', seccompProfile_restricted: 'seccompProfile_baseline' };

/** Upstream's failing checks for a (Go-decoded) pod at a level and minor version, in its order. */
export function upstreamViolations(pod: Obj, level: 'baseline' | 'restricted', minor: number): ModelViolation[] {
  const v = Math.min(minor, 37);
  const active = CHECKS.filter(([, l, since]) => v >= since && (l === 'baseline' || level === 'restricted'));
  const replaced = new Set(active.map(([id]) => OVERRIDES[id]).filter((id) => id !== undefined && level === 'restricted'));
  const out: ModelViolation[] = [];
  for (const [checkId, , , fn] of active) {
    if (replaced.has(checkId)) continue;
    const r = fn(pod.metadata ?? {}, pod.spec ?? {}, v);
    if (r) out.push({ checkId, ...r });
  }
  return out;
}

const SOURCES = ['hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image'];

/**
 * What the API server changes in a created Pod before PodSecurity sees it: SetDefaults_Volume,
 * SetDefaults_Pod's hostNetwork ports, and applyAppArmorVersionSkew (annotation to field).
 */
export function createdPod(input: Obj): Obj {
  const pod: Obj = structuredClone(input);
  const spec: Obj = (pod.spec ??= {});
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) if (Array.isArray(spec[key])) spec[key] = spec[key].map((c: Obj | null) => c ?? {});
  if (Array.isArray(spec.volumes)) spec.volumes = spec.volumes.map((v: Obj | null) => (v && SOURCES.some((k) => set(v[k])) ? v : { ...(v ?? {}), emptyDir: {} }));
  if (spec.hostNetwork === true) {
    for (const key of ['initContainers', 'containers']) {
      for (const c of spec[key] ?? []) {
        if (Array.isArray(c?.ports)) c.ports = c.ports.map((p: Obj | null) => ((p?.hostPort ?? 0) === 0 ? { ...(p ?? {}), hostPort: p?.containerPort ?? 0 } : p));
      }
    }
  }
  if (!isWindows(spec)) {
    const podProfile: Obj | null = set(spec.securityContext?.appArmorProfile) ? spec.securityContext.appArmorProfile : null;
    const annotations: Obj = pod.metadata?.annotations ?? {};
    for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const c of spec[key] ?? []) {
        const name = 'container.apparmor.security.beta.kubernetes.io/' + str(c.name);
        if (!Object.hasOwn(annotations, name) || set(c.securityContext?.appArmorProfile)) continue;
        const a = str(annotations[name]);
        const field = a === 'unconfined' ? { type: 'Unconfined' } : a === 'runtime/default' ? { type: 'RuntimeDefault' } : a.startsWith('localhost/') && a.length > 10 ? { type: 'Localhost', localhostProfile: a.slice(10) } : null;
        if (!field) continue;
        const same = podProfile !== null && str(podProfile.type) === field.type && (set(podProfile.localhostProfile) ? podProfile.localhostProfile === (field as Obj).localhostProfile : !set((field as Obj).localhostProfile));
        if (!same) (c.securityContext ??= {}).appArmorProfile = field;
      }
    }
  }
  return pod;
}
