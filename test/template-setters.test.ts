// {{setters A B}} over findings that share a scope: each scope is labelled once, and a subject
// that several findings collect is named once, in the order the scope visits them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createEvaluator } from '../engine/index.js';

function evaluatorWith(detail: string, sortT = false): ReturnType<typeof createEvaluator> {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-setters-'));
  mkdirSync(join(dir, 'restricted'));
  writeFileSync(join(dir, 'restricted', 'parts.yaml'), [
    'schemaVersion: 1',
    'id: parts',
    'level: restricted',
    'title: Parts',
    'summary: No stdin or tty.',
    'standard: https://example.com/parts',
    'versions:',
    '  - since: v1.0',
    '    findings:',
    '      s: { in: "#containers", when: { path: "$.stdin", operator: equal, value: true } }',
    `      t: { in: ["#pod", "#containers"], when: { path: "$.tty", operator: equal, value: true }${sortT ? ', sortSubjects: true' : ''} }`,
    '    message:',
    '      reason: r',
    `      detail: '${detail}'`,
    '',
  ].join('\n'));
  return createEvaluator({ rulesDirs: [dir] });
}

const pod = (spec: Record<string, unknown>) => ({ metadata: { name: 'p' }, spec });
const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'x', ...extra });

t.test('subjects several findings collect are listed once per scope, in visit order', async (t) => {
  const ev = evaluatorWith('{{setters s t}} {{plural subjects s t "sets" "set"}} it');
  const detail = (spec: Record<string, unknown>) => ev.evaluate(pod(spec), { level: 'restricted' }).violations.find((v) => v.checkId === 'parts')!.detail;
  t.equal(detail({ containers: [c('a', { stdin: true }), c('b', { stdin: true, tty: true })] }), 'containers "a", "b" set it');
  t.equal(detail({ containers: [c('a', { tty: true }), c('b', { stdin: true })] }), 'containers "a", "b" set it', 'visit order, not finding order');
  t.equal(detail({ initContainers: [c('i', { tty: true })], containers: [c('a', { stdin: true, tty: true })] }), 'containers "i", "a" set it');
  t.equal(detail({ containers: [c('b', { stdin: true, tty: true })] }), 'container "b" sets it', 'one subject, counted once');
  t.equal(detail({ tty: true, containers: [c('a', { stdin: true })] }), 'container "a" and pod set it', 'scopes in the order the findings name them');
});

t.test('with sortSubjects the merged names are sorted', async (t) => {
  const ev = evaluatorWith('{{setters s t}}', true);
  const r = ev.evaluate(pod({ containers: [c('b', { stdin: true }), c('a', { tty: true })] }), { level: 'restricted' });
  t.equal(r.violations.find((v) => v.checkId === 'parts')!.detail, 'containers "a", "b"');
});
