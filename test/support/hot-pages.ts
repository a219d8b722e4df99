/**
 * The pages read most under load, on a seeded council: the child with the most conferences, the conference with the
 * most invitees (both unrestricted, so business support may see them), the request queue and the deadlines API,
 * with a business support account to ask for them and an API token of theirs. (A seeded review whose previous
 * conference falls before the seeded years has none recorded, and its page cannot say when it was due: not chosen.)
 */
import type { Services } from '../../src/composition.ts';
import { londonDateOf } from '../../src/domain/calendar/index.ts';
import type { Actor } from '../../src/domain/access/roles.ts';

export interface HotPage {
  readonly label: string;
  readonly path: string;
  /** Asked for with the API token (bearer), not the session cookie. */
  readonly api: boolean;
}

export interface HotPages {
  viewer: Actor;
  apiToken: string;
  childId: string;
  conferenceId: string;
  list: HotPage[];
}

export async function hotPages(services: Services): Promise<HotPages> {
  const one = async (text: string) => {
    const { rows } = await services.database.execute(text);
    const row = rows[0] as { id: string } | undefined;
    if (!row) throw new Error(`Nothing seeded for: ${text}`);
    return row.id;
  };
  const viewerId = await one(
    `select id from users where 'business_support' = any(roles) and disabled_at is null order by email limit 1`,
  );
  const childId = await one(
    `select c.id from children c join conference_children cc on cc.child_id = c.id
      where not c.restricted group by c.id order by count(*) desc, c.id limit 1`,
  );
  const conferenceId = await one(
    `select f.id from conferences f join conference_invitees i on i.conference_id = f.id
      where (f.type <> 'review' or f.previous_conference_id is not null)
        and not exists (select 1 from conference_children cc join children c on c.id = cc.child_id
                         where cc.conference_id = f.id and c.restricted)
      group by f.id order by count(*) desc, f.id limit 1`,
  );
  const user = await services.accounts.getUser(viewerId);
  const { token } = await services.accounts.createApiToken(viewerId, 'pages under load', null, {
    actor: { id: viewerId, label: user.name },
  });
  return {
    viewer: { id: user.id, name: user.name, roles: user.roles },
    apiToken: token,
    childId,
    conferenceId,
    list: [
      { label: "a child's page", path: `/children/${childId}`, api: false },
      { label: "a conference's page", path: `/conferences/${conferenceId}`, api: false },
      { label: 'the request queue', path: '/requests', api: false },
      { label: 'the deadlines API', path: '/api/v1/deadlines/initial-conference?from=2026-03-02', api: true },
    ],
  };
}

/**
 * Receives `count` open requests for copies from a court, through the service as staff would, on held
 * conferences with no restricted child that have none yet, each for its conference's chair: the queue then shows
 * that many more rows.
 */
export async function receiveCourtRequests(services: Services, by: Actor, count: number): Promise<void> {
  const { rows } = await services.database.execute(
    `select f.id, f.chair_user_id as chair from conferences f
      where f.status = 'held'
        and not exists (select 1 from copy_requests r where r.conference_id = f.id)
        and not exists (select 1 from conference_children cc join children c on c.id = cc.child_id
                         where cc.conference_id = f.id and c.restricted)
      order by f.scheduled_date desc, f.id limit $1`,
    [count],
  );
  if (rows.length < count) throw new Error(`Only ${rows.length} held conferences to receive requests on`);
  const receivedOn = londonDateOf(services.clock.now());
  for (const [i, row] of (rows as Array<{ id: string; chair: string | null }>).entries()) {
    await services.requests.receive(
      by,
      {
        conferenceId: row.id,
        // The conference's own chair, as business support would choose.
        ...(row.chair ? { chairId: row.chair } : {}),
        receivedOn,
        requester: {
          type: 'court',
          contactName: 'Court listing officer',
          courtName: 'Family Court at Northtown',
          courtReference: `NT26C${String(10_000 + i)}`,
        },
      },
      { actor: { id: by.id, label: by.name } },
    );
  }
}
