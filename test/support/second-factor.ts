/**
 * Test users' second factor, set up the way a person does it (through the service, with a code that otplib
 * computes from the secret at the test clock's time), and the code to give at each sign-in. A code is never
 * given twice: each sign-in uses a later time step within the window the service accepts (one step either
 * side of now), then recovery codes, renewed through the service when they run out. Nothing depends on
 * where the wall clock is within a 30-second step.
 */
import { generate } from 'otplib';
import type { TestContext } from './services.ts';

interface Enrolled {
  secret: string;
  recoveryCodes: string[];
  lastStep: number;
}

const PERIOD = 30;
const system = { actor: { id: null, label: 'test' } };
const enrolments = new WeakMap<object, Map<string, Enrolled>>();

function enrolledIn(ctx: TestContext): Map<string, Enrolled> {
  let m = enrolments.get(ctx.services);
  if (!m) enrolments.set(ctx.services, (m = new Map()));
  return m;
}

const stepAt = (d: Date) => Math.floor(d.getTime() / 1000 / PERIOD);

/** Notes an authenticator app set up through the pages (its key read from the page), for later sign-ins. */
export function noteEnrolment(
  ctx: TestContext,
  userId: string,
  secret: string,
  recoveryCodes: string[],
  at: Date,
): void {
  enrolledIn(ctx).set(userId, { secret, recoveryCodes: [...recoveryCodes], lastStep: stepAt(at) });
}

/** Sets up an authenticator app for the user (once per test context); returns its secret and recovery codes. */
export async function enrolTestAuthenticator(ctx: TestContext, userId: string): Promise<Enrolled> {
  const known = enrolledIn(ctx).get(userId);
  if (known) return known;
  const { secondFactor, accounts } = ctx.services;
  // Set up some other way (a test of its own): start again, as an administrator's reset would.
  if ((await secondFactor.status(userId)).enrolled) await secondFactor.resetFactors(userId, 'test set-up', system);
  const { secret } = await secondFactor.startAppEnrolment(await accounts.getUser(userId));
  const now = ctx.clock.now();
  const code = await generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
  const { recoveryCodes } = await secondFactor.confirmAppEnrolment(userId, code, null, system);
  const entry = { secret, recoveryCodes: [...recoveryCodes], lastStep: stepAt(now) };
  enrolledIn(ctx).set(userId, entry);
  return entry;
}

/** The authenticator app's code for a step, as the app would show it. */
export async function codeForStep(secret: string, step: number): Promise<string> {
  return generate({ secret, epoch: step * PERIOD });
}

/** A code the service will accept now, never one given before: the app's code if one is left in the window, else a recovery code. */
export async function nextSecondFactorCode(ctx: TestContext, userId: string): Promise<string> {
  const entry = await enrolTestAuthenticator(ctx, userId);
  const current = stepAt(ctx.clock.now());
  const step = Math.max(entry.lastStep + 1, current - 1);
  if (step <= current + 1) {
    entry.lastStep = step;
    return codeForStep(entry.secret, step);
  }
  if (entry.recoveryCodes.length === 0)
    entry.recoveryCodes = await ctx.services.secondFactor.renewRecoveryCodes(userId, system);
  return entry.recoveryCodes.shift()!;
}
