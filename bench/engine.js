// Engine benchmark: single thread, restricted:latest. Run with `npm run bench` (after a build).
import { createEvaluator } from '../dist/engine/index.js';
import { compliantPod, mixedCorpus } from './corpus.js';

function time(label, iterations, fn) {
  for (let i = 0; i < Math.min(iterations, 20000); i++) fn(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  console.log(`${label.padEnd(52)} ${ns.toFixed(0).padStart(7)} ns/pod`);
  return ns;
}

const loadStart = process.hrtime.bigint();
const evaluator = createEvaluator();
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
console.log(`${'load and compile all rule tables'.padEnd(52)} ${loadMs.toFixed(1).padStart(7)} ms`);
const uncachedStart = process.hrtime.bigint();
createEvaluator({ useCache: false });
const uncachedMs = Number(process.hrtime.bigint() - uncachedStart) / 1e6;
console.log(`${'  again, parsing and validating every YAML file'.padEnd(52)} ${uncachedMs.toFixed(1).padStart(7)} ms`);

const opts = { level: 'restricted', version: 'latest' };
const pod = compliantPod();
if (!evaluator.evaluate(pod, opts).allowed) throw new Error('bench pod must be compliant');
const compliant = time('compliant pod (1 init + 2 containers)', 2_000_000, () => evaluator.evaluate(pod, opts));

const corpus = mixedCorpus(1000);
let denied = 0;
for (const p of corpus) if (!evaluator.evaluate(p, opts).allowed) denied++;
const mixed = time(`mixed corpus (${denied / 10}% denied, messages built)`, 500_000, (i) => evaluator.evaluate(corpus[i % corpus.length], opts));
const baseline = time('mixed corpus, baseline:latest', 500_000, (i) => evaluator.evaluate(corpus[i % corpus.length], { level: 'baseline', version: 'latest' }));

const json = process.argv.includes('--json');
if (json) console.log(JSON.stringify({ loadMs, uncachedMs, compliantNs: compliant, mixedNs: mixed, baselineMixedNs: baseline }));
