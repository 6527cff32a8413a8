// Time the reader takes on hostile and very large inputs (the cases of
// test/manifest-hostile.test.ts, which checks what they give, not how fast).
// Build first: npm run build
//
//   node bench/read-hostile.js
//
// Each case is read once; a case over its budget is reported and the exit status is 1.
import { parseManifests } from '../dist/cli/manifest/read.js';

function randomBytes() {
  const random = Buffer.alloc(64 * 1024);
  let s = 7;
  for (let i = 0; i < random.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    random[i] = s >>> 24;
  }
  return random;
}

function aliasBomb() {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
  }
  return 'x: 1\n---\n' + lines.join('\n') + '\n---\nz: 2\n';
}

const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: ["v", {w: 'x'}]`).join('\n');

/** [name, input, budget in ms] */
const cases = [
  ['64 KB of random bytes', randomBytes(), 5000],
  ['alias bomb', aliasBomb(), 2000],
  ['100,000 [', '['.repeat(100000), 5000],
  ['100,000 [ as a value', 'a: ' + '['.repeat(100000) + ']'.repeat(100000), 5000],
  ['100,000 { as a value', 'a: ' + '{a: '.repeat(100000) + '}'.repeat(100000), 5000],
  ['100,000 {', '{"a":'.repeat(100000), 5000],
  ['100,000 "- "', '- '.repeat(100000) + 'x\n', 5000],
  ['2,000 nested block maps', Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + '\n', 5000],
  ['800 nested block sequences', Array.from({ length: 800 }, (_, i) => ' '.repeat(2 * i) + '-').join('\n') + '\n' + ' '.repeat(1600) + 'x\n', 5000],
  ['a quote after 5,000 keys', keys + '\nz: "open\n---\nb: 1\n', 5000],
  ['a bracket after 5,000 keys', keys + '\nz: [open, {a: b}\n---\nb: 1\n', 5000],
  ['400 nested unclosed [', 'a: ' + '[x, '.repeat(400) + '\n---\nb: 1\n', 5000],
  ['one 8 MB value', 'a: ' + 'x'.repeat(8e6) + '\n', 10000],
  ['200,000 keys', Array.from({ length: 200000 }, (_, i) => `k${i}: v${i}`).join('\n') + '\n', 10000],
  ['100,000 tiny documents', '---\na: 1\n'.repeat(100000), 10000],
  ['100,000 empty documents', '---\n'.repeat(100000), 10000],
  ['1 MB multi-line plain scalar', 'a: ' + 'word '.repeat(20).concat('\n  ').repeat(10000) + 'end\n', 10000],
  ['1 MB literal block', 'a: |\n' + '  line of text\n'.repeat(80000), 10000],
  ['100,000 comment lines', '# c\n'.repeat(100000) + 'a: 1\n', 10000],
  ['200,000 flow items', 'a: [' + Array.from({ length: 200000 }, (_, i) => String(i)).join(', ') + ']\n', 10000],
  ['100,000 flow lines indented too little', 'a:\n  b: [\n' + Array.from({ length: 100000 }, (_, i) => `${i},`).join('\n') + '\n0]\n', 10000],
];

let over = 0;
for (const [name, input, budget] of cases) {
  const t0 = performance.now();
  parseManifests(input, 'bench.yaml');
  const ms = performance.now() - t0;
  const late = ms > budget;
  if (late) over++;
  console.log(`${name.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms  (budget ${budget} ms)${late ? '  OVER BUDGET' : ''}`);
}
process.exitCode = over ? 1 : 0;
