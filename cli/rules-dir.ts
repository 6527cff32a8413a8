/** Loading the rules a command's --rules-dir values name. */
import { resolve } from 'node:path';
import { createEvaluator, PodsecArgumentError, RuleLoadError, type Evaluator, type RuleProblem } from '../engine/index.js';
import { UsageError, type CliIO } from './io.js';
import { printableLines } from './report/text.js';

/**
 * The evaluator for a command's --rules-dir values, resolved from the command's directory; a
 * rules problem is printed (the caller exits 2), and fields custom rules misspell are warned of.
 * A directory that is not there is a usage error.
 */
export function evaluatorFor(rulesDirs: string[], io: CliIO, command: string, onProblems?: (problems: readonly RuleProblem[]) => void): Evaluator | undefined {
  const cwd = io.cwd ?? process.cwd();
  let evaluator: Evaluator;
  const dirs = rulesDirs.map((d) => (cwd === process.cwd() ? d : resolve(cwd, d)));
  try {
    // As typed when that is where the loader resolves it from, so that its messages show it.
    evaluator = createEvaluator({ rulesDirs: dirs });
  } catch (err) {
    if (err instanceof PodsecArgumentError) throw new UsageError(err.message, '--rules-dir takes a directory that holds baseline/ and/or restricted/ rule files');
    if (!(err instanceof RuleLoadError)) throw err;
    // Rule files' problems quote their keys: shown escaped, as reports show the manifests'.
    io.stderr.write(`podsec ${command}: ${printableLines(err.message)}\n`);
    onProblems?.(err.problems);
    return undefined;
  }
  for (const w of evaluator.warnings) io.stderr.write(printableLines(`warning: ${w.file}:${w.line}:${w.column}: ${w.message} (${w.hint})`) + '\n');
  return evaluator;
}
