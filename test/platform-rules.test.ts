// An organisation's own rules (test/fixtures/platform-rules), written only with what the docs
// describe: their case files hold, and the generated code judges as the closures do.
import { join } from 'node:path';
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { loadBundledCases, runCaseFile } from '../cli/rule-tests.js';
import { projectRoot } from './helpers/shared.js';

const rulesDir = join(projectRoot, 'test', 'fixtures', 'platform-rules');
const evaluator = createEvaluator({ rulesDirs: [rulesDir] });
const files = loadBundledCases(join(projectRoot, 'test', 'fixtures', 'platform-rules-tests'), evaluator);

t.test('the rules load without warnings', async (t) => {
  t.same(evaluator.warnings, []);
  t.same(files.map((f) => f.check).sort(), ['approvedImages', 'dockerSocket', 'hostPathVolumes', 'memoryLimits', 'runAsAppUser', 'serviceAccountToken']);
});

for (const file of files) {
  t.test(file.check, async (t) => {
    const { runs, problems } = runCaseFile(file, evaluator);
    t.same(problems, []);
    t.equal(runs.length, file.cases.reduce((n, c) => n + c.versions.length, 0), 'one run per case and version');
    for (const run of runs) {
      t.ok(run.checkRuns && run.ok, `${run.case.name} [${run.level}:${run.version}]`, { expected: run.case.expect, actual: run.actual });
      const check = evaluator.resolvePolicy(run.level, run.version).checks.find((c) => c.id === file.check)!;
      t.equal(check.fails(run.case.pod), check.failsInterpreted(run.case.pod), `${run.case.name}: generated code and closures agree`);
    }
  });
}

t.test('a replaced bundled check keeps its id and level, with the new behaviour', async (t) => {
  const pod = { spec: { containers: [{ name: 'a' }], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] } };
  t.equal(createEvaluator().evaluate(pod, { level: 'baseline' }).forbiddenReason, 'hostPath volumes');
  t.same(evaluator.evaluate(pod, { level: 'baseline' }).violations.filter((v) => v.checkId === 'hostPathVolumes'), []);
});
