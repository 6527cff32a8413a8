// Writes schemas/*.schema.json from engine/schema.ts, their single source (run after a build).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../dist/engine/schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(join(root, 'schemas', name), text);
  console.log(`wrote schemas/${name}`);
}
