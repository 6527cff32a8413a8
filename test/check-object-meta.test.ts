// `podsec check` refuses what the API server's validation refuses in an object's metadata, its pod
// template's and its selector (ValidateObjectMeta, ValidatePodTemplateSpec, the apps kinds',
// ReplicationController's and batch kinds' validation), instead of judging the object.
import t from 'tap';
import type { Report } from '../cli/report/model.js';
import { cli } from './helpers/cli.js';

async function check(stdin: string, ...args: string[]): Promise<{ code: number; report: Report }> {
  const r = await cli(['check', '--format', 'json', ...args, '-'], { stdin });
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

const REFUSED = ' (the API server refuses the object)';
const CONTAINERS = 'containers: [{name: a, image: i}]';
const pod = (meta: string[]): string => ['apiVersion: v1', 'kind: Pod', 'metadata:', ...meta.map((l) => `  ${l}`), 'spec:', `  ${CONTAINERS}`, ''].join('\n');
const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const KEY_NAME = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Each error as [line, column, message], in the report's order. */
const placed = (report: Report): [number | undefined, number | undefined, string][] => report.errors.map((e) => [e.line, e.column, e.message]);

t.test("metadata's generation, owner references and finalizers, the name a generateName makes, as ValidateObjectMeta takes them; a Job's template labels against the ones it generates", async (t) => {
  const cases: [string, string, [number, number, string][]][] = [
    ['a negative generation', pod(['name: p', 'generation: -1']),
      [[5, 3, `Pod default/p: metadata.generation: Invalid value: -1: must be greater than or equal to 0${REFUSED}`]]],
    ['finalizers: a name that is not qualified, a bare one that is not standard, orphan with foregroundDeletion',
      pod(['name: p', 'finalizers:', '- bad finalizer', '- orphan', '- foregroundDeletion', '- cleanup', '- example.com/cleanup', '- kubernetes']),
      [[5, 3, `Pod default/p: metadata.finalizers: Invalid value: ["bad finalizer","orphan","foregroundDeletion","cleanup","example.com/cleanup","kubernetes"]: finalizer orphan and foregroundDeletion cannot be both set${REFUSED}`],
        [6, 3, `Pod default/p: metadata.finalizers: Invalid value: "bad finalizer": ${KEY_NAME}${REFUSED}`],
        [6, 3, `Pod default/p: metadata.finalizers[0]: Invalid value: "bad finalizer": name is neither a standard finalizer name nor is it fully qualified${REFUSED}`],
        [9, 3, `Pod default/p: metadata.finalizers[3]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified${REFUSED}`]]],
    ['owner references: empty parts (printed without their index, as upstream does), an Event, two controllers',
      pod(['name: p', 'ownerReferences:', '- {apiVersion: apps, kind: "", name: "", uid: ""}', '- {apiVersion: v1, kind: Event, name: e, uid: u0}',
        '- {apiVersion: apps/v1, kind: ReplicaSet, name: a, uid: u1, controller: true}', '- {apiVersion: batch/v1, kind: Job, name: b, uid: u2, controller: true, blockOwnerDeletion: false}']),
      [[6, 24, `Pod default/p: metadata.ownerReferences.kind: Invalid value: "": must not be empty${REFUSED}`],
        [6, 34, `Pod default/p: metadata.ownerReferences.name: Invalid value: "": must not be empty${REFUSED}`],
        [6, 44, `Pod default/p: metadata.ownerReferences.uid: Invalid value: "": must not be empty${REFUSED}`],
        [7, 3, `Pod default/p: metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u0"}: /v1, Kind=Event is disallowed from being an owner${REFUSED}`],
        [9, 57, `Pod default/p: metadata.ownerReferences: Invalid value: [{"apiVersion":"apps","kind":"","name":"","uid":""},{"apiVersion":"v1","kind":"Event","name":"e","uid":"u0"},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"u1","controller":true},{"apiVersion":"batch/v1","kind":"Job","name":"b","uid":"u2","controller":true,"blockOwnerDeletion":false}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and Job/b${REFUSED}`]]],
    ['an owner reference\'s apiVersion without a version', pod(['name: p', 'ownerReferences: [{apiVersion: "apps/", kind: K, name: owner, uid: u1}]']),
      [[5, 22, `Pod default/p: metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty${REFUSED}`]]],
  ];
  for (const [name, input, want] of cases) {
    const { code, report } = await check(input);
    t.equal(code, 2, name);
    t.same(report.resources, [], `${name}: not judged`);
    t.same(placed(report), want, name);
  }
  // A Job's pods get labels of its uid and name; labels of the template that say otherwise are refused.
  const job = (labels: string) => ['apiVersion: batch/v1', 'kind: Job', 'metadata: {name: pi}', 'spec:', '  template:', `    metadata: {labels: ${labels}}`, `    spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n');
  const labelled = await check(job('{job-name: other, controller-uid: abc, app: pi}'));
  const after = '{"app":"pi","batch.kubernetes.io/controller-uid":"<uid>","batch.kubernetes.io/job-name":"pi","controller-uid":"abc","job-name":"other"}';
  t.same(placed(labelled.report), [
    [6, 25, `Job default/pi: spec.template.metadata.labels[job-name]: Invalid value: ${after}: must be 'pi'${REFUSED}`],
    [6, 42, `Job default/pi: spec.template.metadata.labels[controller-uid]: Invalid value: ${after}: must be '<uid>'${REFUSED}`],
  ]);
  for (const fine of ['{job-name: pi, batch.kubernetes.io/job-name: pi}', '{app: pi}']) t.same((await check(job(fine))).report.errors, [], `${fine}: as the API server would set them`);
  t.same((await check(job('{controller-uid: abc}').replace('spec:\n', 'spec:\n  manualSelector: true\n  selector: {matchLabels: {controller-uid: abc}}\n'))).report.errors, [], 'a manual selector: the labels are the manifest\'s');
  // A generateName is validated as a prefix, and the name the API server makes of it (5 random characters added, shown as xxxxx) as a name.
  const cronJob = (meta: string) => ['apiVersion: batch/v1', 'kind: CronJob', `metadata: {${meta}}`, 'spec:', '  schedule: "@daily"', `  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, ${CONTAINERS}}}}}`, ''].join('\n');
  const generated = await check(pod(['generateName: "a.-"']) + '---\n' + cronJob(`generateName: ${'c'.repeat(48)}`) + '---\n' +
    ['apiVersion: batch/v1', 'kind: Job', 'metadata: {generateName: a.b-}', 'spec:', '  completionMode: Indexed', '  completions: 1', '  template:', `    spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n'));
  t.same(generated.report.errors.map((e) => [e.index, e.line, e.column, e.message]), [
    [0, 4, 3, `Pod default/a.-: metadata.name: Invalid value: "a.-xxxxx": ${SUBDOMAIN}${REFUSED}`],
    [1, 10, 12, `CronJob default/${'c'.repeat(48)}: metadata.name: Invalid value: "${'c'.repeat(48)}xxxxx": must be no more than 52 characters${REFUSED}`],
    [2, 17, 12, `Job default/a.b-: metadata.name: Invalid value: "a.b-xxxxx": will not able to create pod with invalid DNS label: a.b-xxxxx-0${REFUSED}`],
  ]);
  t.match(generated.report.errors[1]!.hint, /shorten the generateName to at most 47 characters/);
  t.same((await check(pod(['generateName: web-']) + '---\n' + cronJob(`generateName: ${'c'.repeat(47)}`))).report.errors, [], 'names that are valid once made');
  // What is valid is judged: qualified and standard finalizers, one controller among owners.
  const fine = await check(pod(['name: p', 'generation: 3', 'finalizers: [example.com/cleanup, kubernetes, orphan]',
    'ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: a, uid: u1, controller: true}, {apiVersion: v1, kind: ConfigMap, name: c, uid: u2}]']));
  t.same(fine.report.errors, []);
  t.equal(fine.report.resources.length, 1, 'judged');
});

t.test('metadata.name and generateName, by the kind\'s name function, where they are written', async (t) => {
  const cases: [string, string, [number, number, string][]][] = [
    ['a name that is no subdomain', pod(['name: Bad_Name']),
      [[4, 3, `Pod default/Bad_Name: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}${REFUSED}`]]],
    ['neither name nor generateName', pod(['labels: {app: x}']),
      [[3, 1, `Pod default/(unnamed): metadata.name: Required value: name or generateName is required${REFUSED}`]]],
    ['a name of 254 characters', pod([`name: ${'a'.repeat(254)}`]),
      [[4, 3, `Pod default/${'a'.repeat(254)}: metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters${REFUSED}`]]],
    ['a generateName, checked as a prefix', pod(['generateName: Web_']),
      [[4, 3, `Pod default/Web_: metadata.generateName: Invalid value: "Web_": ${SUBDOMAIN}${REFUSED}`]]],
    ['a StatefulSet\'s name is a DNS label', ['apiVersion: apps/v1', 'kind: StatefulSet', 'metadata:', '  name: db.main', 'spec:', '  selector: {matchLabels: {app: db}}', '  template:', '    metadata: {labels: {app: db}}', `    spec: {${CONTAINERS}}`, ''].join('\n'),
      [[4, 3, `StatefulSet default/db.main: metadata.name: Invalid value: "db.main": must not contain dots${REFUSED}`]]],
    ['a StatefulSet\'s name of 64 characters', ['apiVersion: apps/v1', 'kind: StatefulSet', 'metadata:', `  name: ${'d'.repeat(64)}`, 'spec:', '  selector: {matchLabels: {app: db}}', '  template:', '    metadata: {labels: {app: db}}', `    spec: {${CONTAINERS}}`, ''].join('\n'),
      [[4, 3, `StatefulSet default/${'d'.repeat(64)}: metadata.name: Invalid value: "${'d'.repeat(64)}": must be no more than 63 characters${REFUSED}`]]],
    ['a StatefulSet\'s generateName, a DNS label\'s prefix', ['apiVersion: apps/v1', 'kind: StatefulSet', 'metadata:', '  generateName: DB-', 'spec:', '  selector: {matchLabels: {app: db}}', '  template:', '    metadata: {labels: {app: db}}', `    spec: {${CONTAINERS}}`, ''].join('\n'),
      [[4, 3, `StatefulSet default/DB-: metadata.generateName: Invalid value: "DB-": ${DNS_LABEL}${REFUSED}`]]],
    ['a CronJob\'s name over 52 characters (its Jobs add 11)', ['apiVersion: batch/v1', 'kind: CronJob', 'metadata:', `  name: ${'c'.repeat(53)}`, 'spec:', '  schedule: "@daily"', '  jobTemplate:', '    spec:', '      template:', `        spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n'),
      [[4, 3, `CronJob default/${'c'.repeat(53)}: metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters${REFUSED}`]]],
    ['a Job\'s name over 63 characters (it becomes the value of its pods\' job-name label)', ['apiVersion: batch/v1', 'kind: Job', 'metadata:', `  name: ${'j'.repeat(64)}`, 'spec:', '  template:', `    spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n'),
      [[4, 3, `Job default/${'j'.repeat(64)}: spec.template.labels: Invalid value: "${'j'.repeat(64)}": must be no more than 63 bytes${REFUSED}`]]],
    ['an Indexed Job whose last pod\'s hostname is no DNS label', ['apiVersion: batch/v1', 'kind: Job', 'metadata:', '  name: batch.nightly', 'spec:', '  completionMode: Indexed', '  completions: 10', '  template:', `    spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n'),
      [[4, 3, `Job default/batch.nightly: metadata.name: Invalid value: "batch.nightly": will not able to create pod with invalid DNS label: batch.nightly-9${REFUSED}`]]],
  ];
  for (const [name, input, want] of cases) {
    const { code, report } = await check(input);
    t.equal(code, 2, name);
    t.same(report.resources, [], `${name}: not judged`);
    t.same(placed(report), want, name);
    t.ok(report.errors.every((e) => e.hint.endsWith('; podsec did not evaluate this object') && e.index === 0), `${name}: hint, document`);
  }
  const hints = await check(pod(['name: Bad_Name']) + '---\n' + pod(['labels: {app: x}']));
  t.same(hints.report.errors.map((e) => e.hint), [
    "a name is at most 253 lower case letters, digits, '-' and '.', starting and ending with a letter or digit; podsec did not evaluate this object",
    'give the object a metadata.name (or a metadata.generateName, for the API server to complete); podsec did not evaluate this object',
  ]);
});

t.test('names the API server accepts are judged', async (t) => {
  const accepted: [string, string][] = [
    ['a subdomain of 253 characters', pod([`name: ${'a'.repeat(61)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`])],
    ['a generateName ending in "-", without a name', pod(['generateName: web-'])],
    ['a name beside a generateName ending in "-"', pod(['name: web', 'generateName: web-'])],
    ['a StatefulSet\'s name of 63 characters', ['apiVersion: apps/v1', 'kind: StatefulSet', 'metadata:', `  name: ${'d'.repeat(63)}`, 'spec:', '  selector: {matchLabels: {app: db}}', '  template:', '    metadata: {labels: {app: db}}', `    spec: {${CONTAINERS}}`, ''].join('\n')],
    ['a CronJob\'s name of 52 characters', ['apiVersion: batch/v1', 'kind: CronJob', 'metadata:', `  name: ${'c'.repeat(52)}`, 'spec:', '  schedule: "@daily"', '  jobTemplate:', '    spec:', '      template:', `        spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n')],
    ['a Job\'s name of 63 characters', ['apiVersion: batch/v1', 'kind: Job', 'metadata:', `  name: ${'j'.repeat(63)}`, 'spec:', '  template:', `    spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n')],
    ['a Job\'s long name with a manual selector (no job-name label is generated)', ['apiVersion: batch/v1', 'kind: Job', 'metadata:', `  name: ${'j'.repeat(64)}`, 'spec:', '  manualSelector: true', '  selector: {matchLabels: {app: j}}', '  template:', '    metadata: {labels: {app: j}}', `    spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n')],
  ];
  for (const [name, input] of accepted) {
    const { report } = await check(input);
    t.same(report.errors, [], name);
    t.equal(report.resources.length, 1, `${name}: judged`);
  }
});

t.test('labels and annotations, of the object and of its pod template, in upstream\'s words', async (t) => {
  const { code, report } = await check(pod([
    'name: web',
    'labels:',
    '  "bad key": x',
    `  long: ${'v'.repeat(64)}`,
    '  tier: -front',
    'annotations:',
    '  a/b/c: x',
  ]));
  t.equal(code, 2);
  t.same(placed(report), [
    [6, 5, `Pod default/web: metadata.labels: Invalid value: "bad key": ${KEY_NAME}${REFUSED}`],
    [7, 5, `Pod default/web: metadata.labels: Invalid value: "${'v'.repeat(64)}": must be no more than 63 bytes${REFUSED}`],
    [8, 5, `Pod default/web: metadata.labels: Invalid value: "-front": ${VALUE}${REFUSED}`],
    [10, 5, `Pod default/web: metadata.annotations: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')${REFUSED}`],
  ]);
  t.match(report.errors[0]!.hint, /^a label key is a name of at most 63 letters/);
  t.match(report.errors[1]!.hint, /^a label value is empty or at most 63 letters/);

  // A pod template's are printed without "metadata", as ValidatePodTemplateSpec names them.
  const template = await check(['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  selector: {matchLabels: {app: web}}', '  template:', '    metadata:', '      labels: {app: web, example.com/: x}', '      annotations: {"Ünïcode": x}', `    spec: {${CONTAINERS}}`, ''].join('\n'));
  t.same(placed(template.report), [
    [8, 26, `Deployment default/web: spec.template.labels: Invalid value: "example.com/": name part must be non-empty${REFUSED}`],
    [8, 26, `Deployment default/web: spec.template.labels: Invalid value: "example.com/": ${KEY_NAME}${REFUSED}`],
    [9, 21, `Deployment default/web: spec.template.annotations: Invalid value: "Ünïcode": ${KEY_NAME}${REFUSED}`],
  ]);

  // 256 KiB of annotations, keys and values together: one byte more is refused, where the key is.
  const big = await check(pod(['name: web', 'annotations:', `  a: ${'x'.repeat(131072)}`, `  b: ${'x'.repeat(131071)}`]));
  t.same(placed(big.report), [[5, 3, `Pod default/web: metadata.annotations: Too long: must have at most 262144 bytes${REFUSED}`]]);
  t.match(big.report.errors[0]!.hint, /keep large data in a ConfigMap/);
});

t.test('labels and annotations the API server accepts are judged', async (t) => {
  const { code, report } = await check(pod([
    'name: web',
    'labels:',
    `  app.kubernetes.io/name: ${'v'.repeat(63)}`,
    '  empty: ""',
    '  nothing: ~',
    `  ${'k'.repeat(63)}: "1.0"`,
    `  ${'p'.repeat(253)}/x: Upper_and.dots-9`,
    // 256 KiB to the byte, keys and values together.
    'annotations:',
    '  Example.COM/Upper: any text, {{ }} included',
    `  a: ${'x'.repeat(131072)}`,
    `  b: ${'x'.repeat(131029)}`,
  ]));
  t.same(report.errors, []);
  t.equal(report.resources.length, 1, 'judged');
  t.equal(code, 1, 'and fails restricted, as such a pod does');
});

t.test('a value holding {{ }} says to render the template first', async (t) => {
  const { report } = await check(pod(['name: vttablet-{{uid}}', 'labels:', '  keyspace: "{{keyspace}}"', '  app: vitess']));
  t.same(report.errors.map((e) => [e.line, e.column, e.hint]), [
    [4, 3, 'metadata.name contains {{ }} template syntax: render it first (for example with `helm template`); podsec did not evaluate this object'],
    [6, 5, 'metadata.labels.keyspace contains {{ }} template syntax: render it first (for example with `helm template`); podsec did not evaluate this object'],
  ]);
  t.match(report.errors[0]!.message, /^Pod default\/vttablet-\{\{uid\}\}: metadata\.name: Invalid value: "vttablet-\{\{uid\}\}": a lowercase RFC 1123 subdomain/);
});

const workload = (kind: string, apiVersion: string, spec: string[], tail = ''): string =>
  [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata: {name: web}', 'spec:', ...spec.map((l) => `  ${l}`), ''].join('\n') + tail;
const TEMPLATE = ['template:', '  metadata: {labels: {app: web, tier: front}}', `  spec: {${CONTAINERS}}`];

t.test('workload selectors, where the API server refuses them', async (t) => {
  const mismatch = 'spec.template.metadata.labels: Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`';
  const cases: [string, string, [number, number, string][]][] = [
    ['a Deployment without a selector', workload('Deployment', 'apps/v1', TEMPLATE),
      [[4, 1, `Deployment default/web: spec.selector: Required value${REFUSED}`], [6, 16, `Deployment default/web: ${mismatch}${REFUSED}`]]],
    ['an apps/v1beta2 Deployment without a selector (that version no longer defaulted it)', workload('Deployment', 'apps/v1beta2', TEMPLATE),
      [[4, 1, `Deployment default/web: spec.selector: Required value${REFUSED}`], [6, 16, `Deployment default/web: ${mismatch}${REFUSED}`]]],
    ['a ReplicaSet with an empty selector (upstream says "deployment")', workload('ReplicaSet', 'apps/v1', ['selector: {}', ...TEMPLATE]),
      [[5, 3, `ReplicaSet default/web: spec.selector: Invalid value: {}: empty selector is invalid for deployment${REFUSED}`]]],
    ['a StatefulSet whose selector does not select its template', workload('StatefulSet', 'apps/v1', ['selector: {matchLabels: {app: db}}', ...TEMPLATE]),
      [[7, 16, `StatefulSet default/web: ${mismatch}${REFUSED}`]]],
    ['a DaemonSet without a selector: no Required, but nothing is selected', workload('DaemonSet', 'apps/v1', TEMPLATE),
      [[6, 16, `DaemonSet default/web: ${mismatch}${REFUSED}`]]],
    ['a DaemonSet with an empty selector', workload('DaemonSet', 'apps/v1', ['selector: {matchLabels: {}}', ...TEMPLATE]),
      [[5, 3, `DaemonSet default/web: spec.selector: Invalid value: {}: empty selector is invalid for daemonset${REFUSED}`]]],
    ['a Deployment selecting with an expression the template fails', workload('Deployment', 'apps/v1', ['selector:', '  matchLabels: {app: web}', '  matchExpressions: [{key: tier, operator: NotIn, values: [front, back]}]', ...TEMPLATE]),
      [[9, 16, `Deployment default/web: ${mismatch}${REFUSED}`]]],
    ['a Deployment whose selector does not parse: no match is tried', workload('Deployment', 'apps/v1', ['selector:', '  matchLabels: {app: web}', '  matchExpressions: [{key: tier, operator: in, values: [front]}]', ...TEMPLATE]),
      [[5, 3, `Deployment default/web: spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"in","values":["front"]}]}: invalid label selector${REFUSED}`],
        [7, 36, `Deployment default/web: spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator${REFUSED}`]]],
    ['a StatefulSet whose selector does not parse: upstream gives no detail', workload('StatefulSet', 'apps/v1', ['selector:', '  matchExpressions: [{key: tier, operator: Exists, values: [front]}]', ...TEMPLATE]),
      [[5, 3, `StatefulSet default/web: spec.selector: Invalid value: {"matchExpressions":[{"key":"tier","operator":"Exists","values":["front"]}]}${REFUSED}`],
        [6, 54, `StatefulSet default/web: spec.selector.matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'${REFUSED}`]]],
    ['a ReplicationController whose selector does not select its template', workload('ReplicationController', 'v1', ['selector: {app: db}', ...TEMPLATE]),
      [[7, 16, `ReplicationController default/web: ${mismatch}${REFUSED}`]]],
    ['a ReplicationController without a selector nor template labels', workload('ReplicationController', 'v1', ['template:', `  spec: {${CONTAINERS}}`]),
      [[4, 1, `ReplicationController default/web: spec.selector: Required value${REFUSED}`]]],
    ['a Job with manualSelector: true and no selector', workload('Job', 'batch/v1', ['manualSelector: true', 'template:', '  metadata: {labels: {app: web, tier: front}}', `  spec: {restartPolicy: Never, ${CONTAINERS}}`]),
      [[4, 1, `Job default/web: spec.selector: Required value${REFUSED}`], [7, 16, `Job default/web: ${mismatch}${REFUSED}`]]],
    ['a Job with manualSelector: true whose selector does not select its template', workload('Job', 'batch/v1', ['manualSelector: true', 'selector: {matchLabels: {app: db}}', 'template:', '  metadata: {labels: {app: web, tier: front}}', `  spec: {restartPolicy: Never, ${CONTAINERS}}`]),
      [[8, 16, `Job default/web: ${mismatch}${REFUSED}`]]],
    // The API server adds its uid label to the selector, which then selects none of its own labels.
    ['a Job with a selector of its own but no manualSelector: true', workload('Job', 'batch/v1', ['selector: {matchLabels: {app: web}}', 'template:', '  metadata: {labels: {app: web, tier: front}}', `  spec: {restartPolicy: Never, ${CONTAINERS}}`]),
      [[5, 3, `Job default/web: spec.selector: Invalid value: {"matchLabels":{"app":"web","batch.kubernetes.io/controller-uid":"<uid>"}}: \`selector\` not auto-generated${REFUSED}`]]],
    // Validated as a label selector first: one that does not parse is not matched.
    ['a Job with a selector of its own that does not parse', workload('Job', 'batch/v1', ['selector: {matchExpressions: [{key: job-name, operator: in, values: [web]}]}', 'template:', `  spec: {restartPolicy: Never, ${CONTAINERS}}`]),
      [[5, 49, `Job default/web: spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator${REFUSED}`]]],
    ['a CronJob\'s Job template with a selector and manualSelector', workload('CronJob', 'batch/v1', ['schedule: "@daily"', 'jobTemplate:', '  spec:', '    manualSelector: true', '    selector: {matchLabels: {app: web}}', '    template:', `      spec: {restartPolicy: Never, ${CONTAINERS}}`]),
      [[8, 7, `CronJob default/web: spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"${REFUSED}`],
        [9, 7, `CronJob default/web: spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"app":"web"}}: \`selector\` will be auto-generated${REFUSED}`]]],
  ];
  for (const [name, input, want] of cases) {
    const { code, report } = await check(input);
    t.equal(code, 2, name);
    t.same(report.resources, [], `${name}: not judged`);
    t.same(placed(report), want, name);
  }
  // A selector's pair that its template has too is refused in both places.
  const both = await check(workload('Deployment', 'apps/v1', ['selector: {matchLabels: {app: -web}}', 'template:', '  metadata: {labels: {app: -web}}', `  spec: {${CONTAINERS}}`]));
  t.same(placed(both.report), [
    [5, 3, `Deployment default/web: spec.selector: Invalid value: {"matchLabels":{"app":"-web"}}: invalid label selector${REFUSED}`],
    [5, 28, `Deployment default/web: spec.selector.matchLabels: Invalid value: "-web": ${VALUE}${REFUSED}`],
    [7, 25, `Deployment default/web: spec.template.labels: Invalid value: "-web": ${VALUE}${REFUSED}`],
  ]);
  const { report } = await check(workload('Deployment', 'apps/v1', TEMPLATE));
  t.same(report.errors.map((e) => e.hint), [
    'add spec.selector.matchLabels with labels of the pod template (metadata.labels under template); podsec did not evaluate this object',
    "every requirement of spec.selector must hold for the pod template's labels: add the labels it selects to the template, or select the template's; podsec did not evaluate this object",
  ]);
  // Without labels, the template's are a nil map, which Go prints as such.
  const bare = await check(workload('Deployment', 'apps/v1', ['selector: {matchLabels: {app: web}}', 'template:', `  spec: {${CONTAINERS}}`]));
  t.same(bare.report.errors.map((e) => e.message), ['Deployment default/web: spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`' + REFUSED]);
});

t.test('selectors the API server accepts are judged', async (t) => {
  const accepted: [string, string][] = [
    ['a Deployment selecting some of its template\'s labels', workload('Deployment', 'apps/v1', ['selector: {matchLabels: {app: web}}', ...TEMPLATE])],
    ['expressions the template passes', workload('StatefulSet', 'apps/v1', ['selector:', '  matchExpressions:', '  - {key: app, operator: In, values: [web, api]}', '  - {key: tier, operator: Exists}', '  - {key: canary, operator: DoesNotExist}', '  - {key: zone, operator: NotIn, values: [a]}', ...TEMPLATE])],
    ['an extensions/v1beta1 Deployment without a selector (it was defaulted from the template)', workload('Deployment', 'extensions/v1beta1', TEMPLATE)],
    ['an apps/v1beta1 StatefulSet without a selector (defaulted as well)', workload('StatefulSet', 'apps/v1beta1', TEMPLATE)],
    ['a ReplicationController without a selector: the template\'s labels are its selector', workload('ReplicationController', 'v1', TEMPLATE)],
    ['a Job without a selector: it is generated', workload('Job', 'batch/v1', ['template:', '  metadata: {labels: {app: web}}', `  spec: {restartPolicy: Never, ${CONTAINERS}}`])],
    ['a Job whose selector selects what the API server labels its pods with', workload('Job', 'batch/v1', ['selector: {matchExpressions: [{key: job-name, operator: Exists}]}', 'template:', `  spec: {restartPolicy: Never, ${CONTAINERS}}`])],
    ['a Job with manualSelector: true and an empty selector (it selects everything)', workload('Job', 'batch/v1', ['manualSelector: true', 'selector: {}', 'template:', `  spec: {restartPolicy: Never, ${CONTAINERS}}`])],
  ];
  for (const [name, input] of accepted) {
    const { report } = await check(input);
    t.same(report.errors, [], name);
    t.equal(report.resources.length, 1, `${name}: judged`);
  }
});

t.test('a ReplicationController without labels of its own takes its template\'s, and the API server validates them as its own', async (t) => {
  const { report } = await check(workload('ReplicationController', 'v1', ['template:', '  metadata: {labels: {app: "-web"}}', `  spec: {${CONTAINERS}}`]));
  t.same(placed(report), [
    [6, 25, `ReplicationController default/web: metadata.labels: Invalid value: "-web": ${VALUE}${REFUSED}`],
    [6, 25, `ReplicationController default/web: spec.template.labels: Invalid value: "-web": ${VALUE}${REFUSED}`],
  ]);
  t.match(report.errors[0]!.hint, /; the ReplicationController has no labels of its own, so it takes its template's, and the API server validates them as its own; podsec did not evaluate this object$/);
});

t.test('an object read from a cluster is judged as stored; the other documents are still checked', async (t) => {
  const stored = pod(['name: Legacy_Name', 'uid: 6f1c2d4e-0000-4000-8000-000000000001', 'resourceVersion: "4711"', 'labels: {bad key: x}']);
  const storedDeployment = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  resourceVersion: "12"', 'spec:', ...TEMPLATE.map((l) => `  ${l}`), ''].join('\n');
  const { code, report } = await check([stored, storedDeployment, pod(['name: Bad_Name']), pod(['name: good'])].join('---\n'));
  t.equal(code, 2);
  t.same(report.errors.map((e) => [e.index, e.name]), [[2, 'Bad_Name']]);
  t.same(report.resources.map((r) => r.name), ['Legacy_Name', 'web', 'good'], 'the stored objects and the valid one are judged');
});

t.test("restartPolicy and activeDeadlineSeconds: any pod's rules, then the rules of the kind that makes the pods", async (t) => {
  const SELECTOR = 'selector: {matchLabels: {app: web}}';
  const tpl = (spec: string): string[] => ['template:', '  metadata: {labels: {app: web}}', `  spec: {${spec}${CONTAINERS}}`];
  const podWith = (spec: string): string => ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', `spec: {${spec}${CONTAINERS}}`, ''].join('\n');
  const cases: [string, string, [number, number, string][]][] = [
    ['a Pod\'s restartPolicy in the wrong case', podWith('restartPolicy: never, '),
      [[4, 8, `Pod default/p: spec.restartPolicy: Unsupported value: "never": supported values: "Always", "OnFailure", "Never"${REFUSED}`]]],
    ['a Pod\'s activeDeadlineSeconds of 0', podWith('activeDeadlineSeconds: 0, '),
      [[4, 8, `Pod default/p: spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive${REFUSED}`]]],
    ['a Deployment whose pods would not restart', workload('Deployment', 'apps/v1', [SELECTOR, ...tpl('restartPolicy: Never, ')]),
      [[8, 12, `Deployment default/web: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"${REFUSED}`]]],
    ['a Deployment with a deadline (worded for a ReplicaSet, as upstream validates it)', workload('Deployment', 'apps/v1', [SELECTOR, ...tpl('activeDeadlineSeconds: 60, ')]),
      [[8, 12, `Deployment default/web: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported${REFUSED}`]]],
    ['a StatefulSet whose restartPolicy is no policy at all: both rules', workload('StatefulSet', 'apps/v1', [SELECTOR, ...tpl('restartPolicy: Sometimes, ')]),
      [[8, 12, `StatefulSet default/web: spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"${REFUSED}`],
        [8, 12, `StatefulSet default/web: spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always"${REFUSED}`]]],
    ['a DaemonSet with a deadline', workload('DaemonSet', 'apps/v1', [SELECTOR, ...tpl('activeDeadlineSeconds: 60, ')]),
      [[8, 12, `DaemonSet default/web: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported${REFUSED}`]]],
    ['a ReplicationController with OnFailure', workload('ReplicationController', 'v1', tpl('restartPolicy: OnFailure, ')),
      [[7, 12, `ReplicationController default/web: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"${REFUSED}`]]],
    ['a Job without a restartPolicy (it would be Always)', workload('Job', 'batch/v1', tpl('')),
      [[7, 5, `Job default/web: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"${REFUSED}`]]],
    ['a Job with Always written', workload('Job', 'batch/v1', tpl('restartPolicy: Always, ')),
      [[7, 12, `Job default/web: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"${REFUSED}`]]],
    ['a CronJob\'s Job with OnFailure beside a podFailurePolicy', workload('CronJob', 'batch/v1', ['schedule: "@daily"', 'jobTemplate:', '  spec:',
      '    podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget}]}]}', ...tpl('restartPolicy: OnFailure, ').map((l) => `    ${l}`)]),
      [[11, 16, `CronJob default/web: spec.jobTemplate.spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified${REFUSED}`]]],
  ];
  for (const [name, input, want] of cases) {
    const { code, report } = await check(input);
    t.equal(code, 2, name);
    t.same(report.resources, [], `${name}: not judged`);
    t.same(placed(report), want, name);
  }
  // A template without a spec has an empty one, defaulted as any: both of its errors are given.
  const bare = await check(workload('Job', 'batch/v1', ['template:', '  metadata: {labels: {app: web}}']));
  t.same(bare.report.errors.map((e) => e.message), [
    `Job default/web: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"${REFUSED}`,
    'Job default/web: spec.template.spec.containers: Required value (the API server refuses a pod without containers)',
  ]);
  const jobHint = (await check(workload('Job', 'batch/v1', tpl('')))).report.errors[0]!.hint;
  t.equal(jobHint, "a Job's pods run to completion: set restartPolicy to OnFailure (restart the container in place) or Never (count a failure and make a new pod); podsec did not evaluate this object");

  const accepted: [string, string][] = [
    ['a Pod with each policy', ['Always', 'OnFailure', 'Never'].map((p) => podWith(`restartPolicy: ${p}, activeDeadlineSeconds: 2147483647, `)).join('---\n')],
    ['a Deployment with Always written, or none', workload('Deployment', 'apps/v1', [SELECTOR, ...tpl('restartPolicy: Always, ')]) + '---\n' + workload('Deployment', 'apps/v1', [SELECTOR, ...tpl('')])],
    ['a Job with OnFailure and a deadline', workload('Job', 'batch/v1', ['activeDeadlineSeconds: 600', ...tpl('restartPolicy: OnFailure, activeDeadlineSeconds: 60, ')])],
    ['a Job with Never beside a podFailurePolicy', workload('Job', 'batch/v1', ['podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget}]}]}', ...tpl('restartPolicy: Never, ')])],
    ['a PodTemplate with any policy', ['apiVersion: v1', 'kind: PodTemplate', 'metadata: {name: t}', 'template:', `  spec: {restartPolicy: Never, ${CONTAINERS}}`, ''].join('\n')],
  ];
  for (const [name, input] of accepted) {
    const { report } = await check(input);
    t.same(report.errors, [], name);
    t.ok(report.resources.length > 0, `${name}: judged`);
  }
});
