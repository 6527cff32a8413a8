// Run after `tsc`: caches the parsed, validated bundled rules for fast start-up.
import { writeBundledCache } from '../dist/engine/load.js';

console.log(`wrote ${writeBundledCache()}`);
