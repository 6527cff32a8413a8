// Manifest reading speed: podsec's reader against the `yaml` package on ~4 MB of
// `helm template`-shaped Deployments, and on ../shared/realworld where it is there.
// Build first: npm run build
//
//   node bench/read-manifests.js [count]

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { parseManifests } from '../dist/cli/manifest/read.js';

// Small deterministic PRNG so every run reads the same text.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function deployment(i, rand) {
  const app = `app-${i}`;
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const lines = [
    '---',
    `# Source: platform/templates/${app}.yaml`,
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: release-${app}`,
    '  namespace: "production"',
    '  labels:',
    `    app: ${app}`,
    `    version: "1.${i % 20}.${i % 7}"`,
    'spec:',
    `  replicas: ${1 + (i % 4)}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${app}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${app}`,
  ];
  if (rand() < 0.3) {
    lines.push('      annotations:', `        checksum/config: ${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}e3b0c44298fc1c1`);
  }
  lines.push('    spec:');
  if (rand() < 0.7) {
    lines.push('      securityContext:', '        runAsNonRoot: true', '        seccompProfile:', '          type: RuntimeDefault');
  }
  lines.push(
    '      containers:',
    `        - name: ${app}`,
    `          image: "ghcr.io/acme/${app}:${pick(['v1.2.3', 'latest', 'sha-4f2a9c1'])}"`,
  );
  if (rand() < 0.5) lines.push('          imagePullPolicy: IfNotPresent');
  if (rand() < 0.5) lines.push('          args:', '            - --port=8080', `            - --log-level=${pick(['info', 'debug'])}`);
  lines.push(
    '          ports:',
    '            - name: http',
    '              containerPort: 8080',
  );
  if (rand() < 0.3) {
    lines.push(
      '          env:',
      '            - name: APP_CONFIG',
      '              value: |',
      '                listen: 0.0.0.0:8080',
      `                workers: ${1 + (i % 8)}`,
    );
  }
  lines.push(
    '          resources:',
    '            requests:',
    '              cpu: 100m',
    '              memory: 128Mi',
  );
  const sc = rand();
  if (sc < 0.6) {
    lines.push(
      '          securityContext:',
      '            allowPrivilegeEscalation: false',
      '            capabilities:',
      '              drop:',
      '              - ALL',
    );
  } else if (sc < 0.8) {
    lines.push('          securityContext:', '            privileged: true');
  }
  lines.push('      nodeSelector: {}', '      tolerations: []', '');
  return lines.join('\n');
}

export function corpus(count) {
  const rand = rng(42);
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(deployment(i, rand));
  return parts.join('');
}

function time(fn, runs) {
  const times = [];
  let out;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    out = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)], out };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const count = Number(process.argv[2] ?? 5000);
  const text = corpus(count);
  const bytes = Buffer.byteLength(text);
  const mb = bytes / 1e6;
  console.log(`${count} Deployments, ${mb.toFixed(2)} MB`);

  const paths = { fast: 0, full: 0 };
  const warm = parseManifests(text, 'bench.yaml', { onDocument: (_i, p) => { paths[p] = (paths[p] ?? 0) + 1; } });
  if (warm.errors.length > 0 || warm.documents.length !== count) {
    throw new Error(`unexpected read result: ${warm.documents.length} documents, ${warm.errors.length} errors`);
  }
  console.log(`documents read by the fast reader: ${paths.fast}, by the full parser: ${paths.full}`);

  const report = (name, r) =>
    console.log(`${name.padEnd(34)} best ${r.best.toFixed(0).padStart(5)} ms  median ${r.median.toFixed(0).padStart(5)} ms  ${(mb / (r.best / 1000)).toFixed(1).padStart(6)} MB/s`);

  report('podsec parseManifests', time(() => parseManifests(text, 'bench.yaml'), 7));
  report('podsec parseManifests (bytes)', time(() => parseManifests(Buffer.from(text), 'bench.yaml'), 5));
  const docs = warm.documents;
  report('  + locate() on every document', time(() => {
    for (const d of docs) d.locate(['spec', 'template', 'spec', 'containers', 0, 'securityContext']);
  }, 1));
  report('podsec, full parser for all docs', time(() => parseManifests(text, 'bench.yaml', { path: 'full' }), 3));
  report('yaml parseAllDocuments + toJS', time(() => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()), 3));

  // Real manifests, as projects publish them (CustomResourceDefinitions, rules, examples).
  const realworld = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'realworld');
  if (!existsSync(realworld)) {
    console.log(`(${realworld} is not there: no figures for real manifests)`);
  } else {
    const walk = (dir) => readdirSync(dir).sort().flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
    const files = walk(realworld).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => [f, readFileSync(f)]);
    const realMb = files.reduce((n, [, b]) => n + b.length, 0) / 1e6;
    const split = { fast: 0, full: 0 };
    for (const [f, b] of files) parseManifests(b, f, { onDocument: (_i, p) => { split[p] = (split[p] ?? 0) + 1; } });
    console.log(`${files.length} real manifest files in ${realworld}, ${realMb.toFixed(2)} MB: documents read by the fast reader: ${split.fast}, by the full parser: ${split.full}`);
    const r = time(() => { for (const [f, b] of files) parseManifests(b, f); }, 5);
    console.log(`${'podsec parseManifests, real files'.padEnd(34)} best ${r.best.toFixed(0).padStart(5)} ms  median ${r.median.toFixed(0).padStart(5)} ms  ${(realMb / (r.best / 1000)).toFixed(1).padStart(6)} MB/s`);
  }
}
