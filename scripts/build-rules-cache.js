// Run after `tsc`: caches what start-up would otherwise compute from unchanged sources: the
// parsed, validated bundled rules, the field-type schema compiled by ajv, and the refusal
// tables' generated code.
import '../dist/admission/claim-refusals.js';
import '../dist/admission/pod-spec-refusals.js';
import '../dist/admission/workload-spec-refusals.js';
import { writePrecompiledValidators } from '../dist/admission/field-types.js';
import { writePrecompiledTables } from '../dist/admission/refusal-table.js';
import { writeBundledCache } from '../dist/engine/load.js';

console.log(`wrote ${writeBundledCache()}`);
for (const file of [...writePrecompiledValidators(), ...writePrecompiledTables()]) console.log(`wrote ${file}`);
