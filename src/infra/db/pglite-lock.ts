import { open, readFile, unlink } from 'node:fs/promises';

export class DatabaseInUseError extends Error {
  /** The data directory, and the process that has its embedded database open. */
  readonly dir: string;
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. Stop the service (or the other command) first, or set DATABASE_URL to use PostgreSQL. If no such process is using it, delete ${dir}/cpcr.lock.`,
    );
    this.name = 'DatabaseInUseError';
    this.dir = dir;
    this.pid = pid;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: two processes opening the same directory corrupt it. A lock
 * file holding the owner's pid keeps a second one out; a lock left by a process that died is taken over.
 */
export async function acquirePgliteLock(dir: string): Promise<() => Promise<void>> {
  const file = `${dir}/cpcr.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => {
        await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DatabaseInUseError(dir, pid);
      if (pid === process.pid) throw new DatabaseInUseError(dir, pid);
      await unlink(file).catch(() => undefined);
    }
  }
  throw new Error(`Could not lock the embedded database in ${dir}`);
}
