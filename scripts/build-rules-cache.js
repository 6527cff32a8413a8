// Run after `tsc`: caches what start-up would otherwise compute from unchanged sources: the
// parsed, validated bundled rules, and the field-type schema compiled by ajv.
import { writePrecompiledValidators } from '../dist/admission/field-types.js';
import { writeBundledCache } from '../dist/engine/load.js';

console.log(`wrote ${writeBundledCache()}`);
for (const file of writePrecompiledValidators()) console.log(`wrote ${file}`);
