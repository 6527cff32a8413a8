import { readFileSync } from 'node:fs';
const { parseManifests } = await import('./dist/cli/manifest/read.js');
for (const f of process.argv.slice(2)) {
  const text = readFileSync(f, 'utf8');
  const r = parseManifests(text, f, { onDocument: (i, p) => console.log(i, p) });
  console.log(JSON.stringify(r.documents.map(d=>d.value)), JSON.stringify(r.errors));
}
