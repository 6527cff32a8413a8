/** The bundled rules' test cases in test/cases/, read as `podsec test` reads case files (schema included). */
import { join } from 'node:path';
import type { Evaluator } from '../../engine/index.js';
import { loadBundledCases, type CaseFile } from '../../cli/rule-tests.js';
import { projectRoot } from './shared.js';

export type { CaseFile, RuleCase } from '../../cli/rule-tests.js';

export const casesDir = join(projectRoot, 'test', 'cases');

export function readCaseFiles(evaluator: Evaluator): CaseFile[] {
  return loadBundledCases(casesDir, evaluator);
}
