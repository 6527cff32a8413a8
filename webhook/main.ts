/** Standalone entry point: `node dist/webhook/main.js [flags]` runs `podsec serve`. */
import { runServe } from './serve.js';

runServe(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`podsec serve: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
