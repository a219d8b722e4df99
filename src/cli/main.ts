/** Entry point for `npx cpcr` (see bin/cpcr.js). Runs one command, then exits with its code. */
import { processIo } from './io.ts';
import { run } from './program.ts';

const code = await run(process.argv, processIo);
process.exitCode = code;
// Exit once output is flushed, even if a failed start-up left a database connection open.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
