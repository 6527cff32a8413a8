// Run after `tsc`: caches what start-up would otherwise compute from unchanged sources: the
// parsed, validated bundled rules, and the pod field-type schema compiled by ajv.
import { writePrecompiledValidator } from '../dist/admission/pod-fields.js';
import { writeBundledCache } from '../dist/engine/load.js';

console.log(`wrote ${writeBundledCache()}`);
console.log(`wrote ${writePrecompiledValidator()}`);
