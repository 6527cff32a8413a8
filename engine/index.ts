// podsec's library API: what the README's "Library" section documents, and nothing else. The
// commands and tests import the engine's other functions from their own modules. Members tagged
// internal in these types are the engine's own: the build leaves them out of the published
// declarations (tsconfig stripInternal), so that changing them breaks no user.
export type { EvaluateOptions, EvaluationResult, FieldPath, Level, Violation } from './api.js';
export { LEVELS } from './api.js';
export { createEvaluator, type Evaluator, type EvaluatorOptions, type ResolvedPolicy } from './evaluator.js';
export type { CompiledCheck } from './compile.js';
export { PodsecArgumentError, RuleLoadError, formatProblem, type RuleProblem } from './errors.js';
export type { RuleTable } from './load.js';
export type { RuleDef, ResolvedVersion, FindingDef, Condition } from './model.js';
export { compareLevels } from './version.js';
export { formatFieldPath } from './paths.js';
