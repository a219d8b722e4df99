import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where the server keeps its files. */
  directory: string;
  stop(): Promise<void>;
}

const PROCESS_FILE = fileURLToPath(new URL('./s3rver-process.ts', import.meta.url));

/**
 * Starts s3rver on a random port of 127.0.0.1 with a new temporary directory and one bucket, in a
 * child process. The child runs with `--openssl-legacy-provider` because s3rver makes its
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17 and later) offers only
 * through its legacy provider: without it every listing that needs a second page fails with 500.
 * s3rver checks SigV4 signatures against the fixed credentials S3RVER / S3RVER.
 */
export async function startLocalS3(bucket = 'cpcr-test'): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'cpcr-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', PROCESS_FILE, directory, bucket], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let port: number;
  try {
    port = await readPort(child);
  } catch (err) {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'eu-west-2',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    directory,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s: ${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(`s3rver said something unexpected: ${line}`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before it was ready: ${err}`));
    });
  });
}
