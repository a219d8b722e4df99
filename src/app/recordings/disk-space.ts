/**
 * Free disk space under the data folder, where uploads and live recordings wait before they are stored.
 * A configured reserve (DISK_RESERVE_MB) is kept free: an upload that would eat into it is refused with
 * 507 Insufficient Storage and a message saying so, instead of being accepted and failing part-way with
 * a "will try again" that clients retry for ever; /health reports the service degraded below it.
 */
import { DomainError } from '../../domain/shared/errors.ts';

/** What the sender is told: the disk is full, what they sent is kept, and what to do. */
export const DISK_FULL_MESSAGE =
  'The server has no room to store this recording just now. What has been sent so far is kept. Tell the people who look after the service, and try again once they have made room.';

export class DiskFullError extends DomainError {
  constructor() {
    super('DISK_FULL', DISK_FULL_MESSAGE);
    this.name = 'DiskFullError';
  }
}

/** The free-space probe: a port, so tests can simulate a full disk. */
export interface DiskSpace {
  /** Bytes always kept free under the data folder. */
  readonly reserveBytes: number;
  /** Bytes free for the service's user under the data folder now. */
  freeBytes(): Promise<number>;
}

/** Throws DiskFullError unless `bytes` more can be written and still leave the reserve free. */
export async function assertRoomFor(disk: DiskSpace, bytes: number): Promise<void> {
  const free = await disk.freeBytes();
  if (free - Math.max(0, bytes) < disk.reserveBytes) throw new DiskFullError();
}

/** A write that failed because the disk (or the user's quota) is full. */
export function isNoSpace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
