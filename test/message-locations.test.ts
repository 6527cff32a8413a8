// The fields a violation reports are those its message speaks of: the findings the rendered
// reason and detail used (a oneOf's chosen branch, the parts shown), not every finding that matched.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createEvaluator, type FieldPath, type Violation } from '../engine/index.js';
import { randomPod, rng } from './helpers/random-pods.js';

const evaluator = createEvaluator();

function violation(pod: unknown, level: string, checkId: string, ev = evaluator): Violation {
  const r = ev.evaluate(pod, { level, version: 'latest' });
  const v = r.violations.find((x) => x.checkId === checkId);
  if (!v) throw new Error(`${checkId} did not fail: ${r.forbiddenDetail}`);
  return v;
}

const sc = (i: number, ...rest: (string | number)[]): FieldPath => ['spec', 'containers', i, 'securityContext', ...rest];

t.test('runAsNonRoot: an explicit false on one container, another unset, points only at the false', async (t) => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', securityContext: { runAsNonRoot: false } }, { name: 'b', image: 'x' }] } };
  const v = violation(pod, 'restricted', 'runAsNonRoot');
  t.equal(v.detail, 'container "a" must not set securityContext.runAsNonRoot=false');
  t.same(v.fields, [sc(0, 'runAsNonRoot')]);
});

t.test('runAsNonRoot: with no explicit false, the implicit form is located', async (t) => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', securityContext: { runAsNonRoot: true } }, { name: 'b', image: 'x' }] } };
  const v = violation(pod, 'restricted', 'runAsNonRoot');
  t.equal(v.detail, 'pod or container "b" must set securityContext.runAsNonRoot=true');
  t.same(v.fields, [sc(1, 'runAsNonRoot')]);
});

t.test('seccompProfile_restricted: a bad type on one container, another unset, points only at the bad type', async (t) => {
  const pod = {
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'x', securityContext: { seccompProfile: { type: 'Unconfined' } } }, { name: 'b', image: 'x' }] },
  };
  const v = violation(pod, 'restricted', 'seccompProfile_restricted');
  t.equal(v.detail, 'container "a" must not set securityContext.seccompProfile.type to "Unconfined"');
  t.same(v.fields, [sc(0, 'seccompProfile')]);
});

t.test('seccompProfile_restricted: a bad pod-level type points at the pod, not the containers that inherit it', async (t) => {
  const pod = { metadata: { name: 'p' }, spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'a', image: 'x' }] } };
  const v = violation(pod, 'restricted', 'seccompProfile_restricted');
  t.equal(v.detail, 'pod must not set securityContext.seccompProfile.type to "Unconfined"');
  t.same(v.fields, [['spec', 'securityContext', 'seccompProfile']]);
});

t.test('parts: every part shown is located (capabilities_restricted, hostNamespaces)', async (t) => {
  const caps = violation({
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', securityContext: { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } }] },
  }, 'restricted', 'capabilities_restricted');
  t.equal(caps.detail, 'container "a" must set securityContext.capabilities.drop=["ALL"]; container "b" must not include "SYS_ADMIN" in securityContext.capabilities.add');
  t.same(caps.fields, [sc(0, 'capabilities', 'drop'), sc(1, 'capabilities', 'add', 0)]);
  const host = violation({ metadata: { name: 'p' }, spec: { hostNetwork: true, hostIPC: true, containers: [{ name: 'a', image: 'x' }] } }, 'baseline', 'hostNamespaces');
  t.equal(host.detail, 'hostNetwork=true, hostIPC=true');
  t.same(host.fields, [['spec', 'hostNetwork'], ['spec', 'hostIPC']]);
});

t.test('seLinuxOptions: the deciding finding locates; the message-only ones shape the words', async (t) => {
  const v = violation({
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'x', securityContext: { seLinuxOptions: { type: 'spc_t' } } }, { name: 'b', image: 'x', securityContext: { seLinuxOptions: { user: 'u' } } }] },
  }, 'baseline', 'seLinuxOptions');
  t.equal(v.detail, 'containers "a", "b" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set');
  t.equal(v.fields.length, 2);
  t.same(v.fields, [['spec', 'containers', 0, 'securityContext', 'seLinuxOptions'], ['spec', 'containers', 1, 'securityContext', 'seLinuxOptions']], 'the options themselves, whichever of type, user or role is set');
});

// The generic rule, on a rule written for it.
const RULE = `schemaVersion: 1
id: locations
level: baseline
title: Locations
summary: test rule
standard: https://example.com
versions:
  - since: v1.0
    findings:
      first:
        in: "#containers"
        when: { path: "$.securityContext.privileged", operator: equal, value: true }
      second:
        in: "#containers"
        when: { path: "$.securityContext.procMount", operator: equal, value: Unmasked }
      third:
        in: "#pod"
        when: { path: "$.hostPID", operator: equal, value: true }
      context:
        messageOnly: true
        in: "#containers"
        when: { path: "$.image", operator: equal, value: busybox }
    message:
      reason: MESSAGE
`;

function customEvaluator(message: string) {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-locations-'));
  mkdirSync(join(dir, 'baseline'));
  writeFileSync(join(dir, 'baseline', 'locations.yaml'), RULE.replace('      reason: MESSAGE\n', message));
  return createEvaluator({ rulesDirs: [dir] });
}

const pod = {
  metadata: { name: 'p' },
  spec: { hostPID: true, containers: [{ name: 'a', image: 'busybox', securityContext: { privileged: true } }, { name: 'b', image: 'x', securityContext: { procMount: 'Unmasked' } }] },
};
const FIRST = sc(0, 'privileged');
const SECOND = sc(1, 'procMount');
const THIRD = ['spec', 'hostPID'];

t.test('generic: what the message used decides the locations', async (t) => {
  const cases: [string, string, string, FieldPath[]][] = [
    ['a literal message: every deciding finding', '      reason: literal\n', 'literal', [FIRST, SECOND, THIRD]],
    ['the reason names one finding', '      reason: "{{setters second}} differ"\n', 'container "b" differ', [SECOND]],
    ['reason and detail together', '      reason: "{{plural subjects first \\"x\\" \\"y\\"}}"\n      detail: "{{setters third}}"\n', 'x', [FIRST, THIRD]],
    ['a oneOf takes its first branch that holds', '      reason: r\n      detail:\n        oneOf:\n          - { when: [third], text: "{{setters first}}" }\n          - { text: "{{setters second}}" }\n', 'r', [FIRST]],
    ['a literal leaf speaks of its when', '      reason: r\n      detail:\n        oneOf:\n          - { when: [second, third], text: "literal" }\n          - { text: "{{setters first}}" }\n', 'r', [SECOND, THIRD]],
    ['a leaf with calls speaks only of what they name', '      reason: r\n      detail:\n        oneOf:\n          - { when: [second, third], text: "{{setters third}}" }\n', 'r', [THIRD]],
    ['parts not shown do not count', '      reason: r\n      detail:\n        join: "; "\n        parts:\n          - { when: [context], text: "{{setters first}}" }\n          - { when: [second], text: "{{setters second}}" }\n', 'r', [FIRST, SECOND]],
    ['text and its parts both count, in finding order', '      reason: r\n      detail:\n        text: "{{setters third}}: {{parts}}"\n        parts:\n          - { when: [first], text: "{{setters first}}" }\n', 'r', [FIRST, THIRD]],
    ['a message-only finding does not locate; nothing else used: every deciding finding', '      reason: "{{setters context}}"\n', 'container "a"', [FIRST, SECOND, THIRD]],
  ];
  for (const [label, message, reason, fields] of cases) {
    const v = violation(pod, 'baseline', 'locations', customEvaluator(message));
    t.equal(v.reason, reason, `${label}: reason`);
    t.same(v.fields, fields, `${label}: fields`);
  }
});

t.test('generic: used findings that collected nothing fall back to every deciding finding', async (t) => {
  const ev = customEvaluator('      reason: r\n      detail: "{{setters first}}"\n');
  const v = violation({ metadata: { name: 'p' }, spec: { hostPID: true, containers: [{ name: 'a', image: 'x' }] } }, 'baseline', 'locations', ev);
  t.same(v.fields, [THIRD]);
});

t.test('repeated explains do not carry what one message used into the next', async (t) => {
  const a = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', securityContext: { runAsNonRoot: false } }, { name: 'b', image: 'x' }] } };
  const b = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', securityContext: { runAsNonRoot: true } }, { name: 'b', image: 'x' }] } };
  for (let i = 0; i < 3; i++) {
    t.same(violation(a, 'restricted', 'runAsNonRoot').fields, [sc(0, 'runAsNonRoot')]);
    t.same(violation(b, 'restricted', 'runAsNonRoot').fields, [sc(1, 'runAsNonRoot')]);
  }
});

t.test('random pods: every located container, volume and annotation is named in the message', async (t) => {
  const random = rng(20240611);
  // Each version at which some check changes, so that every revision is judged.
  const versions = [...new Set(evaluator.table.rules.flatMap((r) => r.versions.map((v) => v.since)))].sort((x, y) => x - y).map((m) => `v1.${m}`);
  let located = 0;
  const wrong: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const pod = randomPod(random) as { metadata: { annotations?: Record<string, string> }; spec: Record<string, { name: string }[] | undefined> };
    for (const level of ['baseline', 'restricted']) {
      const version = versions[i % versions.length]!;
      for (const v of evaluator.evaluate(pod, { level, version }).violations) {
        if (v.fields.length === 0) wrong.push(`${level}:${version} ${v.checkId}: no field`);
        const message = `${v.reason} (${v.detail})`;
        for (const f of v.fields) {
          let named: string | undefined;
          if (f[0] === 'spec' && typeof f[2] === 'number') named = `"${pod.spec[f[1] as string]![f[2]]!.name}"`;
          else if (f[0] === 'metadata' && f[1] === 'annotations') named = String(f[2]);
          if (named === undefined) continue;
          located++;
          if (!message.includes(named)) wrong.push(`${level}:${version} ${v.checkId}: ${JSON.stringify(f)} not in: ${message}`);
        }
      }
    }
  }
  t.ok(located > 1000, `${located} located subjects`);
  t.same(wrong.slice(0, 10), []);
});

// Positions in real inputs, as every report format gives them (docs/cli.md, "Outputs").
t.test('reported positions: aliases, merge keys, keys given twice, multi-byte text, CRLF', async (t) => {
  const { cli } = await import('./helpers/cli.js');
  const yaml = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: "p", annotations: {note: "日本😀"}}',
    'spec:',
    '  containers:',
    '  - name: a',
    '    image: nginx',
    '    securityContext: &sc',
    '      privileged: true',
    '  - name: b',
    '    image: nginx',
    '    securityContext: *sc',
    '  - name: c',
    '    image: nginx',
    '    securityContext: {<<: *sc, privileged: false, privileged: true}',
    '  - {name: d, image: "😀😀", securityContext: {privileged: true}}',
    '',
  ].join('\r\n');
  const dir = t.testdir({ 'pod.yaml': yaml });
  const r = await cli(['check', '-l', 'baseline', '-f', 'json', 'pod.yaml'], { cwd: dir });
  const v = JSON.parse(r.stdout).resources[0].violations.find((x: { checkId: string }) => x.checkId === 'privileged');
  t.same(v.locations.map((l: { line: number; column: number }) => [l.line, l.column]), [
    [9, 7], // the field itself
    [9, 7], // through an alias: at the anchor's text
    [15, 51], // written twice after a merge: the last one
    [16, 48], // after two emoji: UTF-16 code units
  ]);
});
