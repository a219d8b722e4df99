/** One user: their page, and changing their name and email address. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bodyOf, idParams, problemsAsErrors, requestContext, zodErrors } from '../../forms/index.ts';
import { ADMIN, type AdminDeps, userPage, userPageWithErrors } from './user-page.ts';

const detailsForm = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Name must be 200 characters or fewer'),
  email: z
    .string()
    .trim()
    .min(1, 'Enter an email address')
    .max(320, 'Email address must be 320 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.gov.uk')),
});

export function userPages(app: FastifyInstance, deps: AdminDeps): void {
  const { accounts } = deps;
  app.get('/admin/users/:id', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    return reply.view('admin/user.njk', await userPage(deps, id));
  });

  app.post('/admin/users/:id/details', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const body = bodyOf(request);
    const values = { name: body['name'], email: body['email'] };
    const parsed = detailsForm.safeParse(body);
    if (!parsed.success) return userPageWithErrors(reply, deps, id, { errors: zodErrors(parsed.error), values });
    try {
      await accounts.updateDetails(id, parsed.data, requestContext(request));
    } catch (err) {
      return userPageWithErrors(reply, deps, id, { errors: problemsAsErrors(err), values });
    }
    reply.flash('user-details-saved');
    return reply.redirect(`/admin/users/${id}`, 303);
  });
}
