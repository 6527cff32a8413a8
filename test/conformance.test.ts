// Upstream's generated fixtures: every pod at its folder's level and version.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { createEvaluator } from '../engine/index.js';
import { projectRoot, requireShared } from './helpers/shared.js';

const shared = requireShared('conformance');

t.test('upstream conformance fixtures', { skip: shared.skip }, async (t) => {
  const root = shared.dir!;
  const expectations = JSON.parse(readFileSync(join(root, 'expectations.json'), 'utf8')).failSubstringByPrefix as Record<string, string>;
  const evaluator = createEvaluator();
  const counts = { pass: 0, fail: 0, wrong: 0 };
  const wrong: string[] = [];
  for (const level of ['baseline', 'restricted']) {
    for (const version of readdirSync(join(root, 'psa-testdata', level))) {
      for (const outcome of ['pass', 'fail']) {
        const dir = join(root, 'psa-testdata', level, version, outcome);
        let files: string[];
        try {
          files = readdirSync(dir);
        } catch {
          continue;
        }
        for (const file of files) {
          const pod = parse(readFileSync(join(dir, file), 'utf8'));
          const result = evaluator.evaluate(pod, { level, version });
          let ok: boolean;
          if (outcome === 'pass') ok = result.allowed;
          else {
            const prefix = file.replace(/[0-9]*\.yaml$/, '');
            const expected = expectations[prefix];
            if (expected === undefined) throw new Error(`no expectation for prefix ${prefix}`);
            ok = !result.allowed && result.forbiddenDetail.includes(expected);
          }
          counts[outcome as 'pass' | 'fail']++;
          if (!ok) {
            counts.wrong++;
            wrong.push(`${level}/${version}/${outcome}/${file}: ${result.allowed ? 'allowed' : result.forbiddenDetail}`);
          }
        }
      }
    }
  }
  const total = counts.pass + counts.fail;
  t.comment(`conformance: ${total - counts.wrong}/${total} fixtures agree (${counts.pass} pass, ${counts.fail} fail fixtures)`);
  t.equal(total, 4537, 'every fixture was evaluated');
  t.same(wrong.slice(0, 20), [], 'no fixture disagrees');
  t.equal(counts.wrong, 0);
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  t.match(readme, `all ${total.toLocaleString('en-US')} of upstream's generated fixtures`, 'the README gives the count');
  t.match(readme, `it is ${total - counts.wrong}/${total}.`, 'and the result');
});
