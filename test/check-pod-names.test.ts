// `podsec check` refuses the container and volume names the API server's validation refuses
// (validateContainerCommon, validateContainers, validateInitContainers, validateVolumes), in a
// Pod and in a pod template, instead of judging the object.
import t from 'tap';
import { podNameRefusals } from '../admission/pod-names.js';
import type { Report } from '../cli/report/model.js';
import { cli } from './helpers/cli.js';

async function check(stdin: string): Promise<{ code: number; report: Report }> {
  const r = await cli(['check', '--format', 'json', '--level', 'privileged', '-'], { stdin });
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

const REFUSED = ' (the API server refuses the object)';
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const pod = (spec: string[]): string => ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', ...spec.map((l) => `  ${l}`), ''].join('\n');

t.test('container and volume names, where they are written, in upstream\'s words', async (t) => {
  const cases: [string, string, [number, number, string][]][] = [
    ['a container name in upper case', pod(['containers:', '- {name: Web, image: i}']),
      [[6, 6, `Pod default/p: spec.containers[0].name: Invalid value: "Web": ${LABEL}${REFUSED}`]]],
    ['a container name of 64 characters', pod(['containers:', `- {name: ${'c'.repeat(64)}, image: i}`]),
      [[6, 6, `Pod default/p: spec.containers[0].name: Invalid value: "${'c'.repeat(64)}": must be no more than 63 characters${REFUSED}`]]],
    ['two containers of one name', pod(['containers:', '- {name: app, image: i}', '- {name: app, image: j}']),
      [[7, 6, `Pod default/p: spec.containers[1].name: Duplicate value: "app"${REFUSED}`]]],
    ['an init container named as a later regular container', pod(['initContainers:', '- {name: app, image: i}', 'containers:', '- {name: app, image: j}']),
      [[6, 6, `Pod default/p: spec.initContainers[0].name: Duplicate value: "app"${REFUSED}`]]],
    ['two volumes of one name, one without, one in upper case', pod(['containers: [{name: a, image: i}]', 'volumes:', '- {name: data, emptyDir: {}}', '- {name: data, emptyDir: {}}', '- {emptyDir: {}}', '- {name: Logs, emptyDir: {}}']),
      [[8, 6, `Pod default/p: spec.volumes[1].name: Duplicate value: "data"${REFUSED}`], [9, 3, `Pod default/p: spec.volumes[2].name: Required value${REFUSED}`],
        [10, 6, `Pod default/p: spec.volumes[3].name: Invalid value: "Logs": ${LABEL}${REFUSED}`]]],
    // Upstream remembers a volume's name only when the volume has no error: the second "data" is
    // the first one kept (its mount is found), and the third the duplicate.
    ['a volume named as an earlier one refused for its source', pod(['containers: [{name: a, image: i, volumeMounts: [{name: data, mountPath: /d}]}]', 'volumes:',
      '- {name: data, hostPath: {path: ""}}', '- {name: data, emptyDir: {}}', '- {name: data, emptyDir: {}}']),
      [[7, 29, `Pod default/p: spec.volumes[0].hostPath.path: Required value${REFUSED}`], [9, 6, `Pod default/p: spec.volumes[2].name: Duplicate value: "data"${REFUSED}`]]],
    ['a Deployment\'s template', ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d}', 'spec:', '  selector: {matchLabels: {app: d}}', '  template:', '    metadata: {labels: {app: d}}',
      '    spec:', '      containers: [{name: a, image: i}, {name: a, image: i}]', ''].join('\n'),
      [[9, 42, `Deployment default/d: spec.template.spec.containers[1].name: Duplicate value: "a"${REFUSED}`]]],
  ];
  for (const [name, input, want] of cases) {
    const { code, report } = await check(input);
    t.equal(code, 2, name);
    t.same(report.resources, [], `${name}: not judged`);
    t.same(report.errors.map((e) => [e.line, e.column, e.message]), want, name);
  }
  const { report } = await check(pod(['containers: [{name: a, image: i}, {name: a, image: i}]']));
  t.equal(report.errors[0]!.hint, 'give each container, init or regular, a name of its own; podsec did not evaluate this object');
});

t.test('valid names pass, with nothing allocated for them', async (t) => {
  const spec = {
    initContainers: [{ name: 'init', image: 'i' }],
    containers: [{ name: 'app', image: 'i' }, { name: 'sidecar-2', image: 'i' }],
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cache', emptyDir: {} }],
  };
  const first = podNameRefusals(spec);
  t.same(first, []);
  t.equal(podNameRefusals({ containers: [{ name: 'x' }] }), first, 'one shared empty list');
  // An ephemeral container's name is the ephemeral containers' own rule (and a new pod has none).
  t.same(podNameRefusals({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'a' }] }), []);
  // An invalid volume is not remembered: a later one of its name is no duplicate, as upstream.
  t.same(podNameRefusals({ volumes: [{ name: 'V' }, { name: 'V' }] }).map((e) => e.body.slice(0, 22)), ['Invalid value: "V": a ', 'Invalid value: "V": a ']);
  // Nor is a volume other rules refuse (its source): a later one of its name is the one kept.
  t.same(podNameRefusals({ volumes: [{ name: 'v' }, { name: 'v' }, { name: 'v' }] }, new Set([0])).map((e) => e.path), [['volumes', 2, 'name']]);
  const { code, report } = await check(pod(['initContainers: [{name: init, image: i}]', 'containers: [{name: app, image: i}, {name: app-2, image: i}]', 'volumes: [{name: data, emptyDir: {}}]']));
  t.equal(code, 0);
  t.equal(report.resources.length, 1, 'judged');
});
