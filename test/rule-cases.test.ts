// Each rule's own cases (test/cases/<check>.yaml), run as `podsec test` runs them: exact reason
// and detail at each boundary; a failing case also names fields and reads as upstream aggregates it.
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { readCaseFiles } from './helpers/cases.js';
import { runCaseFile, violationText } from '../cli/rule-tests.js';

const evaluator = createEvaluator();
const levelOf = new Map(evaluator.table.rules.map((r) => [r.id, r.level]));

for (const file of readCaseFiles(evaluator)) {
  t.test(file.check, async (t) => {
    t.ok(levelOf.has(file.check), `${file.file} names a known check`);
    const { runs, problems } = runCaseFile(file, evaluator);
    t.same(problems, [], 'every case is a pod the evaluator takes');
    t.equal(runs.length, file.cases.reduce((n, c) => n + c.versions.length, 0), 'one run per case and version');
    for (const run of runs) {
      const c = run.case;
      const label = `${c.name} [${run.level}:${run.version}]`;
      t.ok(run.ok, label, { expected: c.expect, actual: run.actual });
      if (c.expect === 'pass') continue;
      t.equal(c.expect.detail !== undefined, true, `${label}: the bundled rules' cases give the detail too`);
      t.ok(run.actual && run.actual.fields.length > 0, `${label}: names the offending fields`);
      const result = evaluator.evaluate(c.pod, { level: run.level, version: run.version, defaulting: c.defaulting ?? 'pod' });
      t.ok(result.forbiddenDetail.includes(violationText(c.expect)), `${label}: aggregate`);
    }
  });
}
