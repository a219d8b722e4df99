/** The free-space probe (DiskSpace) on the data folder's file system, read with statfs. */
import { statfs } from 'node:fs/promises';
import type { DiskSpace } from '../../app/recordings/disk-space.ts';

export function diskSpace(dir: string, reserveBytes: number): DiskSpace {
  return {
    reserveBytes,
    async freeBytes() {
      const s = await statfs(dir);
      return Number(s.bavail) * Number(s.bsize);
    },
  };
}
