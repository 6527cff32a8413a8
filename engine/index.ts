/** podsec's library API. */
export type { EvaluateOptions, EvaluationResult, FieldPath, Level, Violation } from './api.js';
export { LEVELS } from './api.js';
export { createEvaluator, type Evaluator, type EvaluatorOptions, type ResolvedPolicy } from './evaluator.js';
export type { CompiledCheck } from './compile.js';
export { PodsecArgumentError, RuleLoadError, formatProblem, type RuleProblem } from './errors.js';
export { loadRuleTable, bundledRulesDir, type RuleTable, type LoadOptions } from './load.js';
export type { RuleDef, ResolvedVersion, FindingDef, ScopeDef, Condition } from './model.js';
export { compareLevels, compareVersions, formatVersion, parseLevel, parseVersion, LATEST, type PolicyVersion } from './version.js';
export { formatFieldPath } from './paths.js';
export { goQuote, joinQuote, compareBytewise } from './text.js';
