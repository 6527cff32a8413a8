/**
 * Locates the shared corpora (`../shared/conformance`, `../shared/realworld`) that sit next to
 * a checkout. A user's fresh clone has no such folder: tests that need it skip there, saying
 * why. Under CI (env CI set) they must run, so a missing folder fails loudly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedPath(...parts: string[]): string {
  return join(projectRoot, '..', 'shared', ...parts);
}

/** Returns the folder, or a skip reason; throws under CI when it is missing. */
export function requireShared(...parts: string[]): { dir: string; skip: false } | { dir: undefined; skip: string } {
  const dir = sharedPath(...parts);
  if (existsSync(dir)) return { dir, skip: false };
  if (process.env.CI) throw new Error(`CI is set but ${dir} is missing: the shared corpus must be present in CI`);
  return { dir: undefined, skip: `${dir} is not present (it exists next to the project checkout in CI only)` };
}

/** A skip reason when kubectl is not installed, null when it is; throws under CI, where it must be. */
export function kubectlMissing(): string | null {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (!r.error) return null;
  if (process.env.CI) throw new Error(`CI is set but kubectl is not installed: ${r.error.message}`);
  return 'kubectl is not installed';
}

function newestSource(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) m = Math.max(m, newestSource(p));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) m = Math.max(m, statSync(p).mtimeMs);
  }
  return m;
}

/** Builds dist/ as `npm run build` does when a source is newer, for tests that run the built command. */
export function ensureBuilt(): void {
  const out = join(projectRoot, 'dist', 'cli', 'main.js');
  const src = Math.max(...['cli', 'engine', 'admission', 'webhook'].map((d) => newestSource(join(projectRoot, d))));
  if (existsSync(out) && statSync(out).mtimeMs >= src) return;
  // The build's own steps (package.json's "build" script), so that they are written down once.
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}

/** A pod that passes restricted:latest, named as given. */
export function compliantPod(name: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`;
}
