/** The list of users, and adding one. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';
import { isRole } from '../../../domain/access/roles.ts';
import { asArray, bodyOf, problemsAsErrors, requestContext, zodErrors } from '../../forms/index.ts';
import { ADMIN, roleItems } from './user-page.ts';

const userForm = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Name must be 200 characters or fewer'),
  email: z.email('Enter an email address in the correct format, like name@example.gov.uk').max(320),
  roles: z.array(z.string().refine(isRole, 'Select a role from the list')).min(1, 'Select at least one role'),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`)
    .max(256, 'Password must be 256 characters or fewer'),
});

export function usersPages(app: FastifyInstance, { accounts }: { accounts: AccountsService }): void {
  app.get('/admin/users', { config: ADMIN }, async (_request, reply) => {
    const users = await accounts.listUsers();
    return reply.view('admin/users.njk', { title: 'Users', users });
  });

  app.get('/admin/users/new', { config: ADMIN }, async (_request, reply) =>
    reply.view('admin/new-user.njk', { title: 'Add a user', values: {}, roleItems: roleItems([]) }),
  );

  app.post('/admin/users/new', { config: ADMIN }, async (request, reply) => {
    const body = bodyOf(request);
    const input = { ...body, roles: asArray(body['roles']) };
    const parsed = userForm.safeParse(input);
    const values = { name: body['name'], email: body['email'] };
    const render = (errors: unknown) => {
      reply.code(400);
      return reply.view('admin/new-user.njk', {
        title: 'Add a user',
        errors,
        values,
        roleItems: roleItems(input.roles),
      });
    };
    if (!parsed.success) return render(zodErrors(parsed.error));
    let created;
    try {
      // The administrator chose this password, so the person must replace it at first sign-in.
      const user = { ...parsed.data, roles: parsed.data.roles.filter(isRole), mustChangePassword: true };
      created = await accounts.createUser(user, requestContext(request));
    } catch (err) {
      return render(problemsAsErrors(err));
    }
    reply.flash('user-created');
    return reply.redirect(`/admin/users/${created.id}`, 303);
  });
}
