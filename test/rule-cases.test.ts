// Each rule's own cases (test/cases/<check>.yaml): exact reason and detail at each boundary.
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { readCaseFiles } from './helpers/cases.js';
import { violationText } from '../cli/rule-tests.js';

const evaluator = createEvaluator();
const levelOf = new Map(evaluator.table.rules.map((r) => [r.id, r.level]));

for (const file of readCaseFiles(evaluator)) {
  t.test(file.check, async (t) => {
    t.ok(levelOf.has(file.check), `${file.file} names a known check`);
    for (const c of file.cases) {
      for (const version of c.versions) {
        const level = c.level ?? levelOf.get(file.check)!;
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...((c.pod.metadata as object) ?? {}) }, spec: c.pod.spec };
        const result = evaluator.evaluate(pod, { level, version, defaulting: c.defaulting ?? 'pod' });
        const violation = result.violations.find((v) => v.checkId === file.check);
        const label = `${c.name} [${level}:${version}]`;
        if (c.expect === 'pass') {
          t.equal(violation, undefined, `${label}: passes`);
        } else {
          t.equal(c.expect.detail !== undefined, true, `${label}: the bundled rules' cases give the detail too`);
          t.same(violation && { reason: violation.reason, detail: violation.detail }, c.expect, `${label}: message`);
          t.ok(violation && violation.fields.length > 0, `${label}: names the offending fields`);
          t.ok(result.forbiddenDetail.includes(violationText(c.expect)), `${label}: aggregate`);
        }
      }
    }
  });
}
