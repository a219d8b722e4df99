/**
 * What the tests of recording a meeting by the family share (permission beforehand P-1…P-3, the day P-4…P-7, and
 * recording gone wrong P-8, P-9): the context a use case is called with, the problems a refusal names, the mother's
 * email address, a covert recording found, and the ways in of the pages and the API.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { NewCovertDiscovery } from '../../src/app/recording-incidents/recording-incident-service.ts';
import type { Actor } from '../../src/domain/access/roles.ts';
import { InvalidDetailsError } from '../../src/domain/shared/errors.ts';
import { people as peopleTable } from '../../src/infra/db/schema.ts';
import type { SiblingGroupConference } from './conferences.ts';
import { staff } from './people.ts';
import type { TestContext } from './services.ts';
import type { WebClient } from './web.ts';

/** The context a use case is called with by `a`. */
export const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

/** The field and message of each problem a check refused with; a check that does not refuse fails the test. */
export async function problemsOf(p: Promise<unknown>): Promise<Array<[string, string]>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => [x.field, x.message]);
    throw err;
  }
  throw new Error('expected the check to refuse');
}

/** The mother's email address on the record, so that a secure link can be sent to her (P-1). */
export async function giveMotherEmail(ctx: TestContext, g: SiblingGroupConference): Promise<void> {
  await ctx.services.database.db
    .update(peopleTable)
    .set({ email: 'grace@example.org' })
    .where(eq(peopleTable.id, g.people.mother));
}

/** A covert recording of the conference found by the school, published and not taken down (P-9). */
export const covertDiscovery = (childIds: string[], o: Partial<NewCovertDiscovery> = {}): NewCovertDiscovery => ({
  childIds,
  foundOn: '2026-03-04',
  foundBy: 'Tom Reid, designated safeguarding lead',
  howFound: 'A parent at the school played part of it to other parents.',
  published: 'yes',
  publishedWhere: 'A video sharing site',
  publishedOn: '2026-03-03',
  takenDown: 'no',
  takenDownOn: '',
  ...o,
});

// ------------------------------------------------------------------ the pages

/** The error summary's links, as `#id: message`. */
export function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

/** A file as the browser names and types it (the service never uses either). */
export interface UploadedFile {
  name: string;
  type: string;
  content: Buffer;
}

/** A multipart body as a browser sends it: the fields in order (the CSRF token first, plugins/csrf.ts), then the file. */
export function multipartBody(fields: Array<[string, string]>, file: UploadedFile | null) {
  const boundary = '----cpcrRecordingUpload7MA4YWxk';
  const parts: Buffer[] = [];
  for (const [k, v] of fields)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Opens `fromPage` for its CSRF token, then posts the fields and the file to `url` as the browser would. */
export async function postMultipart(
  app: FastifyInstance,
  client: WebClient,
  url: string,
  fromPage: string,
  fields: Array<[string, string]>,
  file: UploadedFile | null,
) {
  await client.get(fromPage);
  const { payload, contentType } = multipartBody([['_csrf', client.csrfToken()], ...fields], file);
  const res = await app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookieHeader(), 'content-type': contentType },
    payload,
  });
  client.lastHtml = res.body;
  return res;
}

// ------------------------------------------------------------------ the API

/** A call to the API with a bearer token (none: unauthenticated), and a JSON body when given. */
export const apiCaller =
  (app: FastifyInstance) => (method: 'GET' | 'POST', path: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url: path,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

/** An API token for `actor`. */
export async function apiToken(ctx: TestContext, actor: Actor): Promise<string> {
  return (
    await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } })
  ).token;
}

/** The conference's social worker and chair, and business support, each with an API token. */
export async function apiStaff(ctx: TestContext) {
  const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
  const chair = await staff(ctx, 'Cal Chair', ['chair']);
  const support = await staff(ctx, 'Bo Support', ['business_support']);
  const tokens = {
    sw: await apiToken(ctx, sw),
    chair: await apiToken(ctx, chair),
    support: await apiToken(ctx, support),
  };
  return { sw, chair, support, tokens };
}
