// The command line's entry modules: the bundle that `npm run build` writes (it starts sooner),
// unless `tsc` rewrote dist/ after it, when the bundle would run older code than dist/ holds.
// (tsc rewrites every module it emits; npm pack gives all files one time, which counts as current.)
import { statSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);

export function bundleIsCurrent() {
  try {
    return statSync(new URL('bundle/main.js', dist)).mtimeMs >= statSync(new URL('cli/main.js', dist)).mtimeMs;
  } catch {
    return false;
  }
}

/** Throws ERR_MODULE_NOT_FOUND when podsec was never built. */
export async function loadCli() {
  const dir = bundleIsCurrent() ? 'bundle/' : 'cli/';
  const [{ main }, { processIO }] = await Promise.all([import(new URL(`${dir}main.js`, dist).href), import(new URL(`${dir}io.js`, dist).href)]);
  return { main, processIO };
}
