/** One report, written in any of the formats `podsec check --format` takes. */
import type { RuleDef } from '../../engine/index.js';
import { bundledRulesDir } from '../../engine/load.js';
import { isInside } from '../io.js';
import { githubReport } from './github.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import type { Report } from './model.js';
import { formatSarif } from './sarif.js';
import { textReport } from './text.js';

/** The report formats, each with the extension its report file takes. */
export const REPORT_FORMATS = { text: 'txt', json: 'json', sarif: 'sarif', github: 'txt', junit: 'xml' } as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

export interface ReportWriterOptions {
  /** text: ANSI colours. */
  color: boolean;
  /** text: passing and not evaluated objects too (what --quiet leaves out). */
  verbose: boolean;
  /** sarif, github: the directory file names are made relative to (the repository's root). */
  root: string;
  /** Where relative input names are resolved from. */
  cwd: string;
  /** sarif: the rules the report's checks come from. */
  rules: readonly RuleDef[];
  /** sarif: the text a report's lines refer to, to quote them. */
  sourceText?: (file: string) => string | undefined;
  /** sarif: `--stdin-name`, when given. */
  stdinName?: string;
  /** sarif: the command users run (`kubectl podsec`); default `podsec`. */
  command?: string;
}

/**
 * The report in `format`, given to `emit` in pieces (a whole report can be longer than the
 * longest string V8 makes; SARIF is bounded, and comes in one).
 */
export function writeReport(report: Report, format: ReportFormat, options: ReportWriterOptions, emit: (piece: string) => void): void {
  switch (format) {
    case 'json':
      return jsonReport(report, emit);
    case 'junit':
      return junitReport(report, emit);
    case 'github':
      return githubReport(report, { root: options.root, cwd: options.cwd }, emit);
    case 'sarif':
      return emit(formatSarif(report, {
        rules: options.rules,
        // The Pod Security Standards podsec ships; other rules are a team's own.
        isStandard: (rule) => isInside(bundledRulesDir(), rule.file),
        root: options.root,
        cwd: options.cwd,
        ...(options.sourceText ? { sourceText: options.sourceText } : {}),
        ...(options.stdinName !== undefined ? { stdinName: options.stdinName } : {}),
        ...(options.command !== undefined ? { command: options.command } : {}),
      }));
    case 'text':
      return textReport(report, { color: options.color, verbose: options.verbose }, emit);
  }
}
