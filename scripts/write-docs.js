// Writes docs/rules.md from the code, the bundled rules and their test cases (run after a build).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesReference } from '../dist/cli/docs.js';
import { loadBundledCases } from '../dist/cli/rule-tests.js';
import { createEvaluator } from '../dist/engine/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const evaluator = createEvaluator();
// The examples come from the bundled rules' test cases.
const cases = loadBundledCases(join(root, 'test', 'cases'), evaluator);
writeFileSync(join(root, 'docs', 'rules.md'), renderRulesReference(evaluator, cases));
console.log('wrote docs/rules.md');
