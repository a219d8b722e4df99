/** Requests for copies of conference recordings (A-1 … A-10): the pure rules. */
export * from './errors.ts';
export * from './requesters.ts';
export * from './referral.ts';
export * from './verification.ts';
export * from './workflow.ts';
export * from './queue.ts';
