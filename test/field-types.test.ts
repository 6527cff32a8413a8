// Every field a bundled rule reads must be typed in schemas/decode.schema.json, so a wrongly
// typed value there (privileged: "true") is reported by podsec check and the webhook, never passed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSONPath } from 'jsonpath-plus';
import t from 'tap';
import { fieldsOf } from '../cli/commands/rule-docs.js';
import { createEvaluator } from '../engine/index.js';
import { projectRoot } from './helpers/shared.js';

interface Schema {
  $ref?: string;
  $defs?: Record<string, Schema>;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
}

const decode = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'decode.schema.json'), 'utf8')) as Schema & { roots: Record<string, string> };
// The rules read pods: walk from the Pod definition.
const schema: Schema = { $defs: decode.$defs, $ref: decode.roots.Pod! };

function expandBraces(path: string): string[] {
  const m = /\{([^{}]+)\}/.exec(path);
  if (!m || m[1] === 'name') return [path];
  return m[1]!.split(',').flatMap((alt) => expandBraces(path.slice(0, m.index) + alt + path.slice(m.index + m[0].length)));
}

const deref = (node: Schema | undefined): Schema | undefined => (node?.$ref ? deref(decode.$defs?.[node.$ref.replace('#/$defs/', '')]) : node);

function typed(path: string): boolean {
  let node: Schema | undefined = schema;
  for (const seg of (JSONPath.toPathArray('$.' + path) as string[]).slice(1)) {
    node = deref(node);
    if (!node) return false;
    if (seg === '*') node = node.items ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    else node = node.properties?.[seg] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return deref(node)?.type !== undefined;
}

/** A pod with `value` at `path`, the objects and lists on the way created. */
function podWith(path: (string | number)[], value: unknown): Record<string, unknown> {
  const pod: Record<string, unknown> = { apiVersion: 'v1', kind: 'Pod' };
  let cur: Record<string | number, unknown> = pod;
  path.forEach((seg, i) => {
    if (i === path.length - 1) cur[seg] = value;
    else cur = (cur[seg] ??= typeof path[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
  });
  return pod;
}

/** Every place in a pod whose schema node has a format (a map's entries get the key `mapKey`). */
function formattedFields(mapKey: string): { path: (string | number)[]; format: string }[] {
  const places: { path: (string | number)[]; format: string }[] = [];
  const walk = (node: Schema | undefined, path: (string | number)[], depth: number): void => {
    node = deref(node);
    if (!node || depth > 12) return;
    const format = (node as { format?: string }).format;
    if (format) places.push({ path, format });
    else if (node.properties) for (const [k, sub] of Object.entries(node.properties)) walk(sub, [...path, k], depth + 1);
    else if (node.items) walk(node.items, [...path, 0], depth + 1);
    else if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, [...path, mapKey], depth + 1);
  };
  walk(schema, [], 0);
  return places;
}

t.test('the decode schema types every pod field the rules read', async (t) => {
  const evaluator = createEvaluator();
  const scopePaths = Object.fromEntries(Object.entries(evaluator.table.scopes).map(([k, s]) => [k, s.def.paths]));
  const paths = new Set<string>();
  for (const rule of evaluator.table.rules) {
    for (const v of rule.versions) for (const f of fieldsOf(v, scopePaths)) if (!f.endsWith('(keys)')) for (const p of expandBraces(f)) paths.add(p);
  }
  t.ok(paths.size > 40, `${paths.size} field paths read by the rules`);
  const untyped = [...paths].filter((p) => !typed(p));
  t.same(untyped, [], 'every one is typed');
});

t.test('podsec check and the webhook report the same wrongly typed fields, each at its path', async (t) => {
  // Every typed leaf of the schema, with a value of another type at that place in a pod.
  const leaves: { path: (string | number)[]; type: string }[] = [];
  const walk = (node: Schema | undefined, path: (string | number)[], depth: number): void => {
    node = deref(node);
    if (!node || depth > 12) return;
    const types = (Array.isArray(node.type) ? node.type : [node.type]).filter((x) => x && x !== 'null') as string[];
    if (node.properties) for (const [k, sub] of Object.entries(node.properties)) walk(sub, [...path, k], depth + 1);
    else if (node.items) walk(node.items, [...path, 0], depth + 1);
    else if (types.length === 1 && path.length > 0) leaves.push({ path, type: types[0]! });
  };
  walk(schema, [], 0);
  // apiVersion and kind say what the object is; the webhook reports them in their own words.
  leaves.splice(0, leaves.length, ...leaves.filter((l) => !(l.path.length === 1 && (l.path[0] === 'apiVersion' || l.path[0] === 'kind'))));
  t.ok(leaves.length > 80, `${leaves.length} typed leaves`);
  const wrong: Record<string, unknown> = { string: 5, boolean: 'true', integer: '1', object: 'x', array: 'x' };
  const { validateObjectFields } = await import('../cli/check/validate.js');
  const { decodeError } = await import('../admission/extract.js');
  const { formatFieldPath } = await import('../engine/index.js');
  const misses: string[] = [];
  for (const { path, type } of leaves) {
    const pod = podWith(path, wrong[type]);
    const where = formatFieldPath(path);
    const fromCheck = validateObjectFields('Pod', pod).map((e) => formatFieldPath(e.path));
    const fromWebhook = decodeError('', 'pods', pod);
    if (!fromCheck.includes(where)) misses.push(`check: ${where}`);
    if (!fromWebhook?.startsWith(`${where}: expected `)) misses.push(`webhook: ${where} (${fromWebhook})`);
  }
  t.same(misses, [], 'both report each one, at its path');
});

t.test('the generated fit test agrees with ajv and the schema walk on random pods with random values planted in them', async (t) => {
  const { objectFits, schemaValidators } = await import('../admission/field-types.js');
  const { randomPod, rng } = await import('./helpers/random-pods.js');
  const validate = schemaValidators('decode').Pod!;
  const random = rng(20261127);
  const values: unknown[] = [null, 0, 1.5, -3, 'x', '', true, false, [], [1], ['a'], {}, { a: 1 }, { a: 'b' }];
  // Replaces one value somewhere in the object (or adds a key) with one of the values above.
  const plant = (node: unknown, depth: number): void => {
    if (node === null || typeof node !== 'object') return;
    const keys = Object.keys(node);
    const key = keys.length && random() < 0.7 ? keys[Math.floor(random() * keys.length)]! : Array.isArray(node) ? '0' : 'extra';
    const child = (node as Record<string, unknown>)[key];
    if (depth < 8 && child !== null && typeof child === 'object' && random() < 0.75) plant(child, depth + 1);
    else (node as Record<string, unknown>)[key] = values[Math.floor(random() * values.length)];
  };
  const { valueProblems } = await import('../admission/field-types.js');
  let disagreements = 0;
  let misfits = 0;
  let strictMisfits = 0;
  for (let i = 0; i < 3000; i++) {
    const pod = randomPod(random);
    const planted = random() < 0.8;
    if (planted) plant(pod, 0);
    const full = (validate(pod) as boolean) && valueProblems('Pod', pod, 1).length === 0;
    if (!full) misfits++;
    if (objectFits('Pod', pod) !== full) disagreements++;
    // Strict: a key the type does not have (the planted "extra") is a misfit too.
    const strictFull = full && valueProblems('Pod', pod, 1, true).length === 0;
    if (!strictFull) strictMisfits++;
    if (objectFits('Pod', pod, true) !== strictFull) disagreements++;
  }
  t.ok(misfits > 300 && misfits < 2700, `${misfits} of 3000 do not fit`);
  t.ok(strictMisfits > misfits, `${strictMisfits} of 3000 do not fit strictly`);
  t.equal(disagreements, 0, 'the same verdict on every one, lenient and strict');
});

t.test("null list items and map values become the zero values Go's decoder stores; the input is not modified", async (t) => {
  const { objectFits, withZeroValues } = await import('../admission/field-types.js');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', annotations: { a: null, b: 'x' }, labels: null },
    spec: {
      securityContext: null,
      containers: [{ name: 'c', args: [null, 'x'], resources: { limits: { cpu: null } }, securityContext: { capabilities: { add: [null] } } }],
      nodeSelector: JSON.parse('{"__proto__": null}'),
    },
  };
  const before = JSON.stringify(pod);
  t.ok(objectFits('Pod', pod));
  const filled = withZeroValues('Pod', pod) as typeof pod;
  t.equal(JSON.stringify(pod), before, 'the input is left as it was');
  t.same(filled.metadata.annotations, { a: '', b: 'x' }, 'a null annotation is the empty string');
  t.equal(filled.metadata.labels, null, 'a null map field stays null: Go leaves it unset');
  t.equal(filled.spec.securityContext, null, 'a null struct field stays null');
  t.same(filled.spec.containers[0]!.args, ['', 'x']);
  t.same(filled.spec.containers[0]!.resources.limits, { cpu: '0' }, "a quantity's zero value");
  t.same(filled.spec.containers[0]!.securityContext.capabilities.add, ['']);
  t.equal(Object.getPrototypeOf(filled.spec.nodeSelector), Object.prototype, 'a "__proto__" key is a key, not a prototype');
  t.same(Object.entries(filled.spec.nodeSelector), [['__proto__', '']]);
  // Only what leads to a change is copied.
  t.not(filled, pod);
  t.equal(filled.metadata.labels, pod.metadata.labels);
  // Without null items, the object itself comes back, whether or not objectFits saw it last.
  const clean = { apiVersion: 'v1', kind: 'Pod', metadata: { annotations: { a: 'x' } }, spec: { containers: [{ name: 'c' }] } };
  t.equal(withZeroValues('Pod', clean), clean);
  t.ok(objectFits('Pod', clean));
  t.equal(withZeroValues('Pod', clean), clean);
  // A strict fit that fails early (at an unknown field) has not seen the nulls after it: they are still filled.
  const early = { apiVersion: 'v1', kind: 'Pod', spec: { bogus: 1, containers: [{ name: 'c', securityContext: { capabilities: { add: [null] } } }] } };
  t.ok(objectFits('Pod', early));
  t.notOk(objectFits('Pod', early, true));
  t.same((withZeroValues('Pod', early) as typeof early).spec.containers[0]!.securityContext.capabilities.add, ['']);
  // Kinds without a type are returned as they are.
  const other = { kind: 'ConfigMap', data: { a: null } };
  t.equal(withZeroValues('ConfigMap', other), other);
});

/**
 * Where podsec's two decoders (check's and the webhook's) disagree with the API server's: each
 * good value must pass at every place, each bad one be reported there alone, in its words.
 */
async function decodingMisses(places: (string | number)[][], goods: unknown[], bads: (readonly [string, string])[]): Promise<string[]> {
  const { validateObjectFields } = await import('../cli/check/validate.js');
  const { decodeError } = await import('../admission/extract.js');
  const { formatFieldPath } = await import('../engine/index.js');
  const misses: string[] = [];
  for (const path of places) {
    const at = formatFieldPath(path);
    for (const good of goods) {
      const pod = podWith(path, good);
      if (validateObjectFields('Pod', pod).length || decodeError('', 'pods', pod)) misses.push(`${at}=${JSON.stringify(good)} rejected`);
    }
    for (const [bad, problem] of bads) {
      const pod = podWith(path, bad);
      const fromCheck = validateObjectFields('Pod', pod);
      if (fromCheck.length !== 1 || formatFieldPath(fromCheck[0]!.path) !== at || !fromCheck[0]!.message.includes(problem)) misses.push(`check: ${at}=${bad}: ${JSON.stringify(fromCheck)}`);
      const fromWebhook = decodeError('', 'pods', pod);
      if (!fromWebhook?.startsWith(`${at}: ${problem}`)) misses.push(`webhook: ${at}=${bad}: ${fromWebhook}`);
    }
  }
  return misses;
}

t.test('a quantity is checked as the API server parses it, at every quantity field, by both', async (t) => {
  // Every place a quantity may stand in a pod (a map of quantities gets the key "cpu").
  const places = formattedFields('cpu').filter((p) => p.format === 'quantity').map((p) => p.path);
  const where = places.map((p) => p.join('.'));
  t.ok(where.includes('spec.containers.0.resources.limits.cpu') && where.includes('spec.volumes.0.emptyDir.sizeLimit') && where.includes('spec.overhead.cpu'), `${places.length} quantity fields`);
  // Also fields newer than kubernetes-types, which the client models write as plain strings.
  t.ok(where.includes('status.allocatedResources.cpu') && where.includes('status.nodeAllocatableResourceClaimStatuses.0.resources.cpu'), 'quantity fields added since kubernetes-types');
  const misses = await decodingMisses(places, ['250m', '1.5', 512, 'Gi', ' 2Gi '],
    [['512MB', 'quantities must match'], ['1K', "unable to parse quantity's suffix"]]);
  t.same(misses, [], 'valid quantities pass everywhere; both report each invalid one at its path with the decoder\'s words');
});

t.test('a time is checked as metav1.Time parses it, at every time field, by both', async (t) => {
  // Every place a metav1.Time stands in a pod, and in a workload's status and metadata.
  const places = formattedFields('k').filter((p) => p.format === 'time').map((p) => p.path);
  const where = places.map((p) => p.join('.'));
  t.ok(where.includes('metadata.creationTimestamp') && where.includes('metadata.managedFields.0.time') && where.includes('status.startTime'), `${places.length} time fields`);
  const misses = await decodingMisses(places, ['2024-01-31T12:00:00Z', '2024-01-31T12:00:00.5+01:00', null],
    ['2024-01-31', ''].map((bad) => [bad, `parsing time ${JSON.stringify(bad)} as "2006-01-02T15:04:05Z07:00"`] as const));
  t.same(misses, [], "valid times and null pass everywhere; both report each invalid one at its path with the decoder's words");
  // A workload's own timestamps too.
  const { validateObjectFields } = await import('../cli/check/validate.js');
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', creationTimestamp: '2024-01-31' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  t.same(validateObjectFields('Job', job).map((e) => e.path.join('.')), ['metadata.creationTimestamp']);
});

t.test('an integer must fit its Go type (int32, int64), at every integer field, by both', async (t) => {
  const places = formattedFields('k').filter((p) => p.format !== 'quantity' && p.format !== 'time');
  const formats = new Set(places.map((p) => p.format));
  t.same([...formats].sort(), ['int-or-string', 'int32', 'int64'], `${places.length} integer fields`);
  const where = places.map((p) => `${p.path.join('.')}=${p.format}`);
  for (const expected of ['spec.containers.0.ports.0.hostPort=int32', 'spec.securityContext.runAsUser=int64', 'spec.securityContext.supplementalGroups.0=int64', 'spec.containers.0.livenessProbe.httpGet.port=int-or-string']) {
    t.ok(where.includes(expected), expected);
  }
  const { validateObjectFields } = await import('../cli/check/validate.js');
  const { decodeError } = await import('../admission/extract.js');
  const { formatFieldPath } = await import('../engine/index.js');
  const misses: string[] = [];
  for (const { path, format } of places) {
    const at = formatFieldPath(path);
    const int32 = format !== 'int64';
    const fits = int32 ? [2147483647, -2147483648, 0] : [2 ** 53, -(2 ** 62), 0];
    const overflows = int32 ? [2147483648, -2147483649] : [1e20, -1e19];
    for (const good of fits) {
      const pod = podWith(path, good);
      if (validateObjectFields('Pod', pod).length || decodeError('', 'pods', pod)) misses.push(`${at}=${good} rejected`);
    }
    for (const bad of overflows) {
      const pod = podWith(path, bad);
      const words = `cannot unmarshal number ${JSON.stringify(bad)} into Go value of type ${int32 ? 'int32' : 'int64'}`;
      const fromCheck = validateObjectFields('Pod', pod);
      if (fromCheck.length !== 1 || formatFieldPath(fromCheck[0]!.path) !== at || !fromCheck[0]!.message.includes(words)) misses.push(`check: ${at}=${bad}: ${JSON.stringify(fromCheck)}`);
      if (decodeError('', 'pods', pod) !== `${at}: ${words}`) misses.push(`webhook: ${at}=${bad}: ${decodeError('', 'pods', pod)}`);
    }
  }
  t.same(misses, [], 'in-range integers pass everywhere; both report each overflow at its path with the decoder\'s words');
  // The bounds themselves fit, also when another field's error has the whole object walked for problems.
  for (const bound of [2147483647, -2147483648]) {
    const pod = podWith(['spec', 'containers', 0, 'ports', 0, 'hostPort'], bound);
    (pod.spec as Record<string, unknown>).hostPID = 'yes';
    t.same(validateObjectFields('Pod', pod).map((e) => formatFieldPath(e.path)), ['spec.hostPID'], `hostPort=${bound} beside a wrong hostPID: only hostPID is reported`);
  }
});

t.test("fields of the newest API the decode schema was generated from are known under strict validation", async (t) => {
  const { validateObjectFields } = await import('../cli/check/validate.js');
  const release = /Kubernetes (\d+\.\d+)'s API/.exec((decode as { description?: string }).description ?? '')?.[1];
  t.ok(release && Number(release.split('.')[1]) >= 36, `generated from Kubernetes ${release}`);
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          // 1.35 and 1.36 additions: pod scheduling groups, image volumes, SELinux change policy.
          schedulingGroup: { podGroupName: 'batch' },
          securityContext: { seLinuxChangePolicy: 'MountOption' },
          volumes: [{ name: 'model', image: { reference: 'registry.example/model:1', pullPolicy: 'IfNotPresent' } }],
          containers: [{ name: 'web', image: 'web:1', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] }],
        },
      },
    },
  };
  t.same(validateObjectFields('Deployment', deployment, 10, true), [], 'no unknown field');
  const misspelt = structuredClone(deployment) as { spec: { template: { spec: Record<string, unknown> } } };
  misspelt.spec.template.spec.schedulingGrop = misspelt.spec.template.spec.schedulingGroup;
  delete misspelt.spec.template.spec.schedulingGroup;
  const errors = validateObjectFields('Deployment', misspelt, 10, true);
  t.same(errors.map((e) => [e.path.join('.'), e.unknown]), [['spec.template.spec.schedulingGrop', true]], 'a misspelt one is still unknown');
  t.match(errors[0]?.hint, /schedulingGroup/, 'with the real field as a suggestion');
});

t.test('an unknown field differing from a known one only in case is always suggested', async (t) => {
  const { closestKey } = await import('../engine/nearest.js');
  const known = ['hostNetwork', 'hostPID', 'hostIPC'];
  t.equal(closestKey('HOSTNETWORK', known), 'hostNetwork', 'all letters but the case differ');
  t.equal(closestKey('hostnetwork', known), 'hostNetwork');
  t.equal(closestKey('HOSTPID', ['hostIPC', 'hostPID']), 'hostPID', 'before a key fewer case-sensitive edits away');
  t.equal(closestKey('networking', known), undefined, 'nothing close');
});
