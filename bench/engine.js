// Engine benchmark: single thread. Run with `npm run bench -- engine` (after a build).
// Each figure is the median of several rounds; pass --json for machine-readable output.
import { createEvaluator } from '../dist/engine/index.js';
import { compliantPod, mixedCorpus } from './corpus.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);

function measure(iterations, fn) {
  for (let i = 0; i < Math.min(iterations, 50000); i++) fn(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / iterations;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const restricted = { level: 'restricted', version: 'latest' };
// Start-up: the rules loaded and the first pod judged, which makes the policy's verdict function.
const loadStart = process.hrtime.bigint();
const evaluator = createEvaluator();
evaluator.evaluate(compliantPod(), restricted);
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
const uncachedStart = process.hrtime.bigint();
createEvaluator({ useCache: false }).evaluate(compliantPod(), restricted);
const uncachedMs = Number(process.hrtime.bigint() - uncachedStart) / 1e6;

const baseline = { level: 'baseline', version: 'latest' };
const restrictedAsAdmitted = { level: 'restricted', version: 'latest', defaulting: 'none' };
const pod = compliantPod();
if (!evaluator.evaluate(pod, restricted).allowed) throw new Error('bench pod must be compliant');
// Most real pods carry annotations: the API-server defaults podsec applies read them.
const annotated = { ...pod, metadata: { ...pod.metadata, annotations: { 'prometheus.io/scrape': 'true', 'checksum/config': 'a1b2c3' } } };
if (!evaluator.evaluate(annotated, restricted).allowed) throw new Error('bench pod must be compliant');
const compliantCopies = Array.from({ length: 1000 }, () => JSON.parse(JSON.stringify(compliantPod())));
const corpus = mixedCorpus(1000);
const denied = corpus.filter((p) => !evaluator.evaluate(p, restricted).allowed).length;
const violations = corpus.reduce((n, p) => n + evaluator.evaluate(p, restricted).violations.length, 0);

// The first figure runs before the engine has seen other pods, as a one-pod loop does (upstream's
// Go benchmark evaluates one pod); the rounds after it interleave all cases, so the JIT has seen
// pods of many shapes, as a webhook or a CI run does.
const firstCompliant = measure(2_000_000, () => evaluator.evaluate(pod, restricted));
const cases = {
  compliant: () => measure(1_000_000, () => evaluator.evaluate(pod, restricted)),
  annotated: () => measure(1_000_000, () => evaluator.evaluate(annotated, restricted)),
  annotatedNoDefaulting: () => measure(1_000_000, () => evaluator.evaluate(annotated, restrictedAsAdmitted)),
  compliantCopies: () => measure(1_000_000, (i) => evaluator.evaluate(compliantCopies[i % 1000], restricted)),
  mixed: () => measure(300_000, (i) => evaluator.evaluate(corpus[i % 1000], restricted)),
  mixedBaseline: () => measure(300_000, (i) => evaluator.evaluate(corpus[i % 1000], baseline)),
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, run] of Object.entries(cases)) samples[k].push(run());
const result = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));

const line = (label, value, unit) => console.log(`${label.padEnd(72)} ${value.toFixed(unit === 'ms' ? 1 : 0).padStart(7)} ${unit}`);
line('load the rule tables and judge a first pod (restricted:latest)', loadMs, 'ms');
line('  the same, parsing and validating every YAML file (no build cache)', uncachedMs, 'ms');
line('restricted:latest, one compliant pod (1 init + 2 containers), first', firstCompliant, 'ns/pod');
line('restricted:latest, the same pod, after the mixed rounds', result.compliant, 'ns/pod');
line('restricted:latest, the same pod with two annotations', result.annotated, 'ns/pod');
line('  the same, defaulting: none (as admission requests are judged)', result.annotatedNoDefaulting, 'ns/pod');
line('restricted:latest, 1,000 compliant pods decoded from JSON', result.compliantCopies, 'ns/pod');
line(`restricted:latest, mixed corpus (${denied / 10}% denied, ${(violations / 1000).toFixed(1)} violations/pod)`, result.mixed, 'ns/pod');
line('baseline:latest, the same mixed corpus', result.mixedBaseline, 'ns/pod');
console.log(`(single thread; medians of ${ROUNDS} rounds)`);
if (process.argv.includes('--json')) console.log(JSON.stringify({ loadMs, uncachedMs, firstCompliant, ...result }));
