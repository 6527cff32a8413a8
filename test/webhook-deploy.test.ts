// deploy/ must build with kustomize, follow least privilege, and run under "restricted" itself.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { parseAdmissionConfig } from '../admission/config.js';
import { POD_SPEC_KINDS, podSpecKind } from '../admission/extract.js';
import { createEvaluator } from '../engine/index.js';
import { parseServeFlags } from '../webhook/serve.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let kubectl = true;
try {
  execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
} catch {
  kubectl = false;
}

// A developer's machine may lack kubectl: skipped there, saying why; CI must have it.
if (!kubectl && process.env.CI) throw new Error('CI is set but kubectl is not installed: deploy/ cannot be built');
t.test('kubectl kustomize deploy/', { skip: kubectl ? false : 'kubectl is not installed, so deploy/ cannot be built with kustomize' }, async (t) => {
  const out = execFileSync('kubectl', ['kustomize', 'deploy/'], { cwd: root, encoding: 'utf8' });
  const docs = parseAllDocuments(out).map((d) => d.toJS() as any);
  const find = (kind: string, name?: string) => docs.filter((d) => d.kind === kind && (!name || d.metadata.name === name));

  const deploy = find('Deployment')[0];
  t.ok(deploy.spec.replicas >= 2, 'at least two replicas');
  t.ok(deploy.spec.template.spec.topologySpreadConstraints.some((c: any) => c.topologyKey === 'kubernetes.io/hostname'), 'spread across nodes');
  const pod = { metadata: deploy.spec.template.metadata, spec: deploy.spec.template.spec };
  const r = createEvaluator().evaluate(pod, { level: 'restricted', version: 'latest', defaulting: 'template' });
  t.same(r.violations, [], 'the webhook pod passes restricted:latest');
  const c = deploy.spec.template.spec.containers[0];
  t.equal(c.securityContext.readOnlyRootFilesystem, true);
  t.ok(c.args.includes('--config=/etc/podsec/config/podsecurity.yaml'));
  // The arguments are ones podsec serve takes, and the certificate comes from the mounted Secret.
  const flags = parseServeFlags(c.args);
  t.equal(flags.certDir, '/etc/podsec/tls');
  const tlsMount = c.volumeMounts.find((m: any) => m.mountPath === flags.certDir);
  const tlsVolume = deploy.spec.template.spec.volumes.find((v: any) => v.name === tlsMount?.name);
  t.equal(tlsVolume?.secret?.secretName, find('Certificate')[0]?.spec?.secretName ?? 'podsec-webhook-tls');

  t.ok(find('PodDisruptionBudget')[0], 'PodDisruptionBudget');
  t.ok(find('Service')[0], 'Service');
  t.ok(find('ServiceAccount')[0], 'ServiceAccount');
  const role = find('ClusterRole')[0];
  t.same(role.rules, [
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
  ]);

  const cm = find('ConfigMap')[0];
  const cfg = parseAdmissionConfig(cm.data['podsecurity.yaml']);
  t.ok(cfg.exemptions.namespaces.has('kube-system'), 'the shipped configuration is valid');

  const [enforcing] = find('ValidatingWebhookConfiguration', 'podsec-webhook');
  const [advisory] = find('ValidatingWebhookConfiguration', 'podsec-webhook-advisory');
  const e = enforcing.webhooks.find((w: any) => w.rules[0].resources.includes('pods'));
  t.equal(e.failurePolicy, 'Fail');
  t.ok(e.timeoutSeconds > 0 && e.timeoutSeconds <= 10);
  t.same(e.rules[0].resources, ['pods', 'pods/ephemeralcontainers']);
  // Namespaces in an entry of their own: skipping an exempt namespace there would change
  // decisions (its invalid labels accepted, no warning that they are ignored).
  const n = enforcing.webhooks.find((w: any) => w.rules[0].resources.includes('namespaces'));
  t.equal(n?.failurePolicy, 'Fail');
  t.same(n?.rules.flatMap((r: any) => r.resources), ['namespaces']);
  t.same(n?.namespaceSelector?.matchExpressions, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['podsec-system'] }], 'only its own namespace skipped, as upstream');
  t.equal(n?.clientConfig.service.namespace, 'podsec-system');
  t.equal(enforcing.webhooks.length, 2);
  const a = advisory.webhooks[0];
  t.equal(a.failurePolicy, 'Ignore');
  t.same(
    a.rules.flatMap((r: any) => r.resources.map((x: string) => `${r.apiGroups[0]}/${x}`)).sort(),
    POD_SPEC_KINDS.filter((k) => k !== 'Pod').map((k) => `${podSpecKind(k)!.group}/${podSpecKind(k)!.resource}`).sort(),
    'every pod controller admission/extract.ts knows',
  );
  for (const w of [e, a]) {
    const [skipped, ...more] = w.namespaceSelector.matchExpressions;
    t.same(more, []);
    t.match(skipped, { key: 'kubernetes.io/metadata.name', operator: 'NotIn' });
    t.ok(skipped.values.includes('podsec-system'), 'own namespace skipped');
    // Skipping a namespace must change no decision: every other one skipped is exempt.
    for (const ns of skipped.values.filter((n: string) => n !== 'podsec-system')) t.ok(cfg.exemptions.namespaces.has(ns), `${ns}, skipped by ${w.name}, is exempt in the configuration`);
    t.ok(skipped.values.includes('kube-system'), 'kube-system skipped: the cluster network starts while the webhook is down');
    t.equal(w.clientConfig.service.namespace, 'podsec-system');
  }
});

// The scheduler's rule for whenUnsatisfiable: DoNotSchedule, as the Kubernetes API documents
// it: a node fits if, with the new pod, its count of matching pods exceeds the minimum over the
// eligible domains by at most maxSkew. nodeTaintsPolicy Ignore (the default) counts tainted
// nodes as domains; matchLabelKeys narrows "matching" to pods with the same values.
interface SimNode { name: string; tainted: boolean }
interface SimPod { node: string; labels: Record<string, string> }
function fitsSpread(c: any, nodes: SimNode[], pods: SimPod[], incoming: Record<string, string>): string[] {
  const eligible = nodes.filter((n) => !(c.nodeTaintsPolicy === 'Honor' && n.tainted));
  const selector: Record<string, string> = { ...c.labelSelector.matchLabels };
  for (const k of c.matchLabelKeys ?? []) if (incoming[k] !== undefined) selector[k] = incoming[k]!;
  const count = (node: string) => pods.filter((p) => p.node === node && Object.entries(selector).every(([k, v]) => p.labels[k] === v)).length;
  const min = Math.min(...eligible.map((n) => count(n.name)));
  return nodes.filter((n) => !n.tainted && count(n.name) + 1 - min <= c.maxSkew).map((n) => n.name);
}

t.test('the replicas can be scheduled, and rolled out, on two workers beside a tainted control-plane node', async (t) => {
  const deploy = parseAllDocuments(readFileSync(join(root, 'deploy', 'deployment.yaml'), 'utf8')).map((d) => d.toJS() as any).find((d) => d.kind === 'Deployment');
  t.same(deploy.spec.template.spec.tolerations ?? [], [], 'the pods tolerate no taint');
  const hard = deploy.spec.template.spec.topologySpreadConstraints.filter((c: any) => c.whenUnsatisfiable === 'DoNotSchedule');
  t.ok(hard.length > 0);
  const nodes: SimNode[] = [{ name: 'control-plane', tainted: true }, { name: 'w1', tainted: false }, { name: 'w2', tainted: false }];
  const app = deploy.spec.template.metadata.labels;
  const old = { ...app, 'pod-template-hash': 'old' };
  const running: SimPod[] = [{ node: 'w1', labels: old }, { node: 'w2', labels: old }];
  for (const c of hard) {
    t.same(fitsSpread(c, nodes, [running[0]!], old), ['w2'], `${c.topologyKey}: the second replica goes to the other worker`);
    t.ok(fitsSpread(c, nodes, running, { ...app, 'pod-template-hash': 'new' }).length > 0, `${c.topologyKey}: a rollout's surge pod has a node (maxUnavailable is 0, so it must)`);
  }
  t.equal(deploy.spec.strategy.rollingUpdate.maxUnavailable, 0);
});

t.test('deploy/cert-manager.yaml: a CA of its own signs the serving certificate, so its renewal keeps caBundle', async (t) => {
  const docs = parseAllDocuments(readFileSync(join(root, 'deploy', 'cert-manager.yaml'), 'utf8')).map((d) => d.toJS() as any);
  const named = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
  const webhooks = parseAllDocuments(readFileSync(join(root, 'deploy', 'webhooks.yaml'), 'utf8')).map((d) => d.toJS() as any);
  const injected = new Set(webhooks.map((w) => w.metadata.annotations['cert-manager.io/inject-ca-from']));
  t.equal(injected.size, 1, 'both webhooks trust the same CA');
  const serving = named('Certificate', [...injected][0].split('/')[1]);
  t.equal(serving?.spec.secretName, 'podsec-webhook-tls', 'caBundle comes from the certificate the pods serve');
  const issuer = named(serving.spec.issuerRef.kind, serving.spec.issuerRef.name);
  t.ok(issuer?.spec.ca, 'the serving certificate is signed by a CA issuer, not self-signed');
  const ca = docs.find((d) => d.kind === 'Certificate' && d.spec.secretName === issuer.spec.ca.secretName);
  t.equal(ca?.spec.isCA, true, 'whose CA is a certificate of its own');
  const hours = (d: string) => Number(/^(\d+)h$/.exec(d)![1]);
  t.ok(hours(ca.spec.duration) > 10 * hours(serving.spec.duration), 'that outlives many serving certificates');
  t.equal(named(ca.spec.issuerRef.kind, ca.spec.issuerRef.name)?.spec.selfSigned !== undefined, true, 'and is self-signed');
});

// No container runtime here: the Dockerfile is checked against the tree and deploy/ instead
// (its steps were run by hand in a scratch directory: npm ci, build, prune, serve, check).
t.test('the Dockerfile builds what the package ships and runs as deploy/ expects', async (t) => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const stages = text.split(/^FROM /m).slice(1);
  t.equal(stages.length, 2, 'a build stage and a runtime stage');
  const copies = (stage: string) =>
    [...stage.matchAll(/^COPY (--from=\w+ )?(.+) (\S+)$/gm)].flatMap((m) => m[2]!.split(' ').map((src) => src.replace(/^\/src\//, '')));
  const buildCopies = copies(stages[0]!);
  for (const src of buildCopies) t.ok(existsSync(join(root, src)), `build stage copies ${src}, which exists`);
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  for (const pattern of tsconfig.include as string[]) t.ok(buildCopies.includes(pattern.split('/')[0]!), `build stage copies the sources of ${pattern}`);
  t.ok(buildCopies.includes('scripts'), 'the build script that writes the caches');
  t.ok(buildCopies.includes('examples'), 'the examples, which the build runs the commands on to save their code cache');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const runtimeCopies = copies(stages[1]!);
  // Documentation and the deploy manifests ship in the npm package; the image runs without them.
  const notRun = ['README.md', 'docs', 'deploy', 'cli/manifest/README.md'];
  for (const f of (pkg.files as string[]).filter((f) => !notRun.includes(f))) t.ok(runtimeCopies.includes(f), `runtime stage has ${f}`);
  t.ok(runtimeCopies.includes('node_modules'), 'runtime stage has the production dependencies');
  t.match(stages[0]!, /npm prune --omit=dev/, 'development dependencies are left out');

  const deployment = parseAllDocuments(readFileSync(join(root, 'deploy', 'deployment.yaml'), 'utf8')).map((d) => d.toJS() as any).find((d) => d.kind === 'Deployment');
  const user = /^USER (\d+):(\d+)$/m.exec(stages[1]!);
  t.ok(user, 'a numeric USER, so the kubelet can check runAsNonRoot');
  t.equal(Number(user![1]), deployment.spec.template.spec.securityContext.runAsUser);
  const command = deployment.spec.template.spec.containers[0].command[0];
  t.match(stages[1]!, new RegExp(`ln -s /app/${pkg.bin[command].replace(/^\.\//, '')} /usr/local/bin/${command}`), `${command} is on PATH in the image`);
});
