// Writes docs/rules.md from the code and the bundled rules (run after a build).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesReference } from '../dist/cli/docs.js';
import { createEvaluator } from '../dist/engine/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(root, 'docs', 'rules.md'), renderRulesReference(createEvaluator()));
console.log('wrote docs/rules.md');
