// Runs s3rver (a local S3-compatible server) for the tests: `node --openssl-legacy-provider
// s3rver-process.ts DIRECTORY BUCKET`. Prints `{"port":N}` once listening on 127.0.0.1, and stops
// on SIGTERM or when its standard input closes (so it never outlives the test that started it).
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) {
  process.stderr.write('usage: s3rver-process.ts DIRECTORY BUCKET\n');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
