import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';
import { ROLES, ROLE_LABELS, isRole } from '../../../domain/access/roles.ts';
import { asArray, bodyOf, domainFormError, formErrors, requestContext } from '../../forms.ts';
import type { FeatureOptions } from '../index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

const ADMIN = ['admin'] as const;

const userForm = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Name must be 200 characters or fewer'),
  email: z.email('Enter an email address in the correct format, like name@example.gov.uk').max(320),
  roles: z.array(z.string().refine(isRole, 'Select a role from the list')).min(1, 'Select at least one role'),
  password: z.string().min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`).max(256, 'Password must be 256 characters or fewer'),
});

const roleItems = (selected: string[]) => ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: selected.includes(r) }));
const idParam = z.object({ id: idSchema });

export async function adminRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  const { accounts } = services;

  app.get('/admin/users', { config: { access: ADMIN } }, async (_request, reply) => {
    const users = await accounts.listUsers();
    return reply.view('admin/users.njk', { title: 'Users', users });
  });

  app.get('/admin/users/new', { config: { access: ADMIN } }, async (_request, reply) =>
    reply.view('admin/new-user.njk', { title: 'Add a user', values: {}, roleItems: roleItems([]) }),
  );

  app.post('/admin/users/new', { config: { access: ADMIN } }, async (request, reply) => {
    const body = bodyOf(request);
    const input = { ...body, roles: asArray(body['roles']) };
    const parsed = userForm.safeParse(input);
    const values = { name: body['name'], email: body['email'] };
    const render = (errors: unknown) => {
      reply.code(400);
      return reply.view('admin/new-user.njk', { title: 'Add a user', errors, values, roleItems: roleItems(input.roles) });
    };
    if (!parsed.success) return render(formErrors(parsed.error));
    try {
      await accounts.createUser({ ...parsed.data, roles: parsed.data.roles.filter(isRole) }, requestContext(request));
    } catch (err) {
      return render(domainFormError(err));
    }
    return reply.redirect('/admin/users', 303);
  });

  app.get('/admin/users/:id', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const user = await accounts.getUser(id);
    return reply.view('admin/user.njk', { title: user.name, user, roleItems: roleItems(user.roles) });
  });

  app.post('/admin/users/:id/roles', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const roles = asArray(bodyOf(request)['roles']).filter(isRole);
    try {
      await accounts.setRoles(id, roles, requestContext(request));
    } catch (err) {
      const errors = domainFormError(err, { roles: 'roles' });
      const user = await accounts.getUser(id);
      reply.code(400);
      return reply.view('admin/user.njk', { title: user.name, user, errors, roleItems: roleItems(roles) });
    }
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post('/admin/users/:id/disable', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    try {
      await accounts.disableUser(id, requestContext(request));
    } catch (err) {
      const errors = domainFormError(err);
      const user = await accounts.getUser(id);
      reply.code(400);
      return reply.view('admin/user.njk', { title: user.name, user, errors, roleItems: roleItems(user.roles) });
    }
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post('/admin/users/:id/enable', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    await accounts.enableUser(id, requestContext(request));
    return reply.redirect(`/admin/users/${id}`, 303);
  });
}
