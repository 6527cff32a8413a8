/** Self-signed serving certificates for tests and benchmarks (needs the openssl binary). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCert {
  certFile: string;
  keyFile: string;
  cert: Buffer;
}

export function makeSelfSignedCert(dir: string, name = 'webhook', cn = 'localhost', san = 'IP:127.0.0.1,DNS:localhost'): TestCert {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`,
      '-addext', `subjectAltName=${san}`,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile) };
}
