#!/usr/bin/env node
// Imported dynamically so that a checkout that was never built says so, rather than a stack
// trace and exit code 1 (which reads as "something denied").
let cli;
try {
  cli = await (await import('./load-cli.js')).loadCli();
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
  const missing = String(err.message).split('\n')[0].replace(/ imported from .*/, '');
  process.stderr.write(`podsec: cannot start: ${missing}; run "npm ci" (which also builds) or "npm run build" in ${root}\n`);
  process.exitCode = 2;
}
if (cli) {
  const { main, processIO } = cli;
  process.exitCode = await main(process.argv.slice(2), processIO());
}
