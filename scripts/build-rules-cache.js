// Run after `tsc`: caches what start-up would otherwise compute from unchanged sources: the
// parsed, validated bundled rules and their fused verdict code, the field-type schema compiled by
// ajv and as fit tests, and the refusal tables' generated code.
import '../dist/admission/claim-refusals.js';
import '../dist/admission/pod-spec-refusals.js';
import '../dist/admission/workload-spec-refusals.js';
import { writePrecompiledFits, writePrecompiledValidators } from '../dist/admission/field-types.js';
import { writePrecompiledTables } from '../dist/admission/refusal-table.js';
import { loadRuleTable, writeBundledCache } from '../dist/engine/load.js';
import { writePrecompiledFused } from '../dist/engine/precompiled.js';
import { buildLevelTables } from '../dist/engine/registry.js';

console.log(`wrote ${writeBundledCache()}`);
// Read back through the cache just written: the fused code is for the rules as a run reads them.
const table = loadRuleTable();
console.log(`wrote ${writePrecompiledFused(table, buildLevelTables(table))}`);
for (const file of [...writePrecompiledValidators(), writePrecompiledFits(), ...writePrecompiledTables()]) console.log(`wrote ${file}`);
