/**
 * `podsec check` and the admission decision (what `podsec serve` answers) judge the same pod
 * under the same namespace labels independently: the modes check reports, and their messages,
 * must be the denial, audit annotation and warning admission gives. For a workload, check also
 * judges its template at enforce when warn and audit judge at other levels or versions: that
 * must be admission's decision on the pods it creates.
 */
import t from 'tap';
import { Admission, ANNOTATION_AUDIT_VIOLATIONS, ANNOTATION_ENFORCE_POLICY, type AdmissionAttributes } from '../admission/admission.js';
import { defaultAdmissionConfig, parseAdmissionConfig } from '../admission/config.js';
import { checkManifests } from '../cli/check/run.js';
import type { ModeEvaluation } from '../cli/report/model.js';
import { createEvaluator, type EvaluateOptions } from '../engine/index.js';
import { randomPod, rng } from './helpers/random-pods.js';

const evaluator = createEvaluator();
const P = 'pod-security.kubernetes.io/';

// A namespace without PodSecurity labels gets check's default, restricted:latest: admission configured so.
const RESTRICTED_DEFAULTS = parseAdmissionConfig(
  'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: restricted, audit: restricted, warn: restricted}\n',
);

/** Admission with the API server's defaulting of the subject done by the evaluator, as check does it. */
function admissionFor(labels: Record<string, string>, defaulting: 'pod' | 'template'): Admission {
  return new Admission({
    config: Object.keys(labels).length === 0 ? RESTRICTED_DEFAULTS : defaultAdmissionConfig(),
    evaluator: { evaluate: (pod: unknown, o: EvaluateOptions) => evaluator.evaluate(pod, { ...o, defaulting }), newestVersion: evaluator.newestVersion },
    getNamespace: (n) => ({ metadata: { name: n, labels } }),
    listPods: async () => [],
  });
}

function randomLabels(random: () => number): Record<string, string> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    if (random() < 0.6) labels[`${P}${mode}`] = pick(['privileged', 'baseline', 'restricted']);
    if (random() < 0.4) labels[`${P}${mode}-version`] = pick(['v1.0', 'v1.22', 'v1.25', 'v1.31', 'latest', 'v1.99']);
  }
  return labels;
}

function request(resource: 'pods' | 'deployments', object: unknown): AdmissionAttributes {
  return {
    operation: 'CREATE', group: resource === 'pods' ? '' : 'apps', resource, subresource: '', namespace: 'ns', name: 'p', username: 'alice', object,
    kindGroup: resource === 'pods' ? '' : 'apps', kind: resource === 'pods' ? 'Pod' : 'Deployment', kindVersion: 'v1',
  };
}

t.test('check reports each mode as admission decides it, on random pods and namespace labels', async (t) => {
  const random = rng(20261127);
  let compared = 0;
  let denied = 0;
  let audited = 0;
  let warned = 0;
  let podsDenied = 0;
  const mismatches: string[] = [];
  // Many random pods are refused by validation before admission: drawn until 400 are compared.
  let drawn = 0;
  for (; compared < 400 && drawn < 5000; drawn++) {
    const labels = randomLabels(random);
    const pod = randomPod(random);
    const asDeployment = random() < 0.4;
    const object = asDeployment
      ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'p', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'p' } }, template: { metadata: { ...(pod.metadata as object), labels: { app: 'p' } }, spec: pod.spec } } }
      : { ...pod, metadata: { ...(pod.metadata as object), namespace: 'ns' } };
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels } };
    const report = checkManifests([{ file: 'ns.json', content: JSON.stringify(namespace) }, { file: 'obj.json', content: JSON.stringify(object) }], { evaluator });
    // Random pods may have no containers, an unknown volume source, a field validation refuses
    // for their OS or fields it refuses together (admission never sees those); only objects check
    // judges are compared.
    const judged = report.resources.find((r) => r.kind !== 'Namespace');
    if (!judged) continue;
    compared++;
    const byMode = (mode: string): ModeEvaluation | undefined => judged.evaluations.find((e) => e.mode === mode);
    const { response } = await admissionFor(labels, asDeployment ? 'template' : 'pod').validate(request(asDeployment ? 'deployments' : 'pods', object));
    const failedMessage = (mode: string) => {
      const e = byMode(mode);
      return e && !e.allowed ? e.message : undefined;
    };
    const expectedStatus = asDeployment ? undefined : failedMessage('enforce');
    const gotStatus = response.allowed ? undefined : response.status?.message;
    // The pods a workload creates, as admission judges them; compared when check judged them.
    let podsRefused: string | undefined;
    let podsSame = true;
    if (asDeployment) {
      const made = { apiVersion: 'v1', kind: 'Pod', metadata: { ...(pod.metadata as object), name: 'p', namespace: 'ns' }, spec: pod.spec };
      const forPods = (await admissionFor(labels, 'pod').validate(request('pods', made))).response;
      podsRefused = forPods.allowed ? undefined : forPods.status?.message;
      if (byMode('enforce')) {
        podsSame = podsRefused === undefined ? failedMessage('enforce') === undefined : podsRefused === `pods "p" is forbidden: ${failedMessage('enforce')}`;
      } else {
        // Judged by the warn or audit step at the enforce level and version: the same findings.
        const [level, version] = forPods.auditAnnotations![ANNOTATION_ENFORCE_POLICY]!.split(':') as [string, string];
        const evaluated = evaluator.resolvePolicy(level, version).evaluatedVersion;
        const alike = judged.evaluations.find((e) => e.level === level && e.evaluatedVersion === evaluated);
        const findings = (m: string | undefined) => m?.slice(m.indexOf('": ') + 3);
        podsSame = level === 'privileged' || alike !== undefined;
        if (alike) podsSame = findings(podsRefused) === (alike.allowed ? undefined : findings(alike.message));
      }
      if (podsRefused) podsDenied++;
    }
    const expectedAudit = failedMessage('audit');
    const gotAudit = response.auditAnnotations?.[ANNOTATION_AUDIT_VIOLATIONS];
    const expectedWarnings = failedMessage('warn') === undefined ? [] : [failedMessage('warn')];
    const gotWarnings = (response.warnings ?? []).filter((w) => w.startsWith('would violate'));
    const same =
      (expectedStatus === undefined ? gotStatus === undefined : gotStatus === `pods "p" is forbidden: ${expectedStatus}`) &&
      expectedAudit === gotAudit &&
      JSON.stringify(expectedWarnings) === JSON.stringify(gotWarnings) && podsSame &&
      judged.allowed === (expectedStatus === undefined && expectedAudit === undefined && expectedWarnings.length === 0 && podsRefused === undefined);
    if (!same) mismatches.push(JSON.stringify({ labels, asDeployment, check: judged.evaluations, admission: response }).slice(0, 600));
    if (gotStatus) denied++;
    if (gotAudit) audited++;
    if (gotWarnings.length) warned++;
  }
  t.ok(compared === 400, `${compared} of ${drawn} objects compared`);
  // The sample must exercise every outcome for the comparison to mean something.
  t.ok(denied > 30 && audited > 30 && warned > 30 && podsDenied > 10, `denied ${denied}, audited ${audited}, warned ${warned}, workloads whose pods enforce denies ${podsDenied}`);
  t.same(mismatches, [], 'no disagreement');
});

t.test('an exempt runtime class: check calls a pod exempt when admission does, invalid labels included', async (t) => {
  const { ANNOTATION_EXEMPT } = await import('../admission/admission.js');
  const configText = 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions: {runtimeClasses: [kata]}\n';
  const config = parseAdmissionConfig(configText);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { runtimeClassName: 'kata', containers: [{ name: 'c', image: 'i' }] } };
  // Fully privileged labels (and no labels: the configuration's defaults are privileged) are allowed
  // before the runtime class is looked at, unless a label is invalid.
  const cases: [Record<string, string>, string | undefined][] = [
    [{}, undefined], [{ [`${P}enforce`]: 'privileged' }, undefined], [{ [`${P}audit`]: 'bogus' }, 'runtimeClass'],
    [{ [`${P}enforce-version`]: 'v1.x' }, 'runtimeClass'], [{ [`${P}enforce`]: 'baseline' }, 'runtimeClass'],
  ];
  for (const [labels, exempt] of cases) {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels } };
    const report = checkManifests([{ file: 'ns.json', content: JSON.stringify(namespace) }, { file: 'pod.json', content: JSON.stringify(pod) }], { evaluator, config });
    const admission = new Admission({ config, evaluator, getNamespace: (n) => ({ metadata: { name: n, labels } }), listPods: async () => [] });
    const { response } = await admission.validate(request('pods', pod));
    t.equal(response.auditAnnotations?.[ANNOTATION_EXEMPT], exempt, `admission, ${JSON.stringify(labels)}`);
    t.equal(report.resources.find((r) => r.kind === 'Pod')!.exempt, exempt, `check, ${JSON.stringify(labels)}`);
  }
});
