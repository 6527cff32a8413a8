#!/usr/bin/env node
'use strict';
const { loadCli, notBuiltMessage } = require('./load-cli.js');

loadCli().then(
  async ({ main, processIO }) => {
    process.exitCode = await main(process.argv.slice(2), processIO());
  },
  (err) => {
    // A checkout that was never built says so, rather than a stack trace and exit code 1 (which
    // reads as "something denied").
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    process.stderr.write(notBuiltMessage(err, 'podsec'));
    process.exitCode = 2;
  },
);
