/** Reads the per-rule case files in test/cases/, as `podsec test` reads case files (schema included). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem } from '../../engine/index.js';
import type { Evaluator } from '../../engine/index.js';
import { loadCaseFile, type CaseFile } from '../../cli/rule-tests.js';
import { projectRoot } from './shared.js';

export type { CaseFile, RuleCase } from '../../cli/rule-tests.js';

export const casesDir = join(projectRoot, 'test', 'cases');

export function readCaseFiles(evaluator: Evaluator): CaseFile[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const { caseFile, problems } = loadCaseFile(join(casesDir, f), f, evaluator);
      if (!caseFile) throw new Error(`test/cases/${f} is invalid:\n${problems.map(formatProblem).join('\n')}`);
      return caseFile;
    });
}
