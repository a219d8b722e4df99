import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';
import { ROLES, ROLE_LABELS, isRole } from '../../../domain/access/roles.ts';
import { asArray, bodyOf, problemsAsErrors, zodErrors, requestContext, fieldIds } from '../../forms/index.ts';
import type { FeatureOptions } from '../index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

const ADMIN = ['admin'] as const;

const userForm = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Name must be 200 characters or fewer'),
  email: z.email('Enter an email address in the correct format, like name@example.gov.uk').max(320),
  roles: z.array(z.string().refine(isRole, 'Select a role from the list')).min(1, 'Select at least one role'),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`)
    .max(256, 'Password must be 256 characters or fewer'),
});

const detailsForm = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Name must be 200 characters or fewer'),
  email: z
    .string()
    .trim()
    .min(1, 'Enter an email address')
    .max(320, 'Email address must be 320 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.gov.uk')),
});

const roleItems = (selected: string[]) =>
  ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: selected.includes(r) }));
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
      created = await accounts.createUser(
        { ...parsed.data, roles: parsed.data.roles.filter(isRole), mustChangePassword: true },
        requestContext(request),
      );
    } catch (err) {
      return render(problemsAsErrors(err));
    }
    reply.flash('user-created');
    return reply.redirect(`/admin/users/${created.id}`, 303);
  });

  const userPage = async (
    id: string,
    extra: { errors?: unknown; values?: Record<string, unknown>; roles?: string[] } = {},
  ) => {
    const user = await accounts.getUser(id);
    return {
      title: user.name,
      user,
      values: extra.values ?? { name: user.name, email: user.email },
      errors: extra.errors,
      roleItems: roleItems(extra.roles ?? user.roles),
    };
  };

  app.get('/admin/users/:id', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    return reply.view('admin/user.njk', await userPage(id));
  });

  app.post('/admin/users/:id/details', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const body = bodyOf(request);
    const values = { name: body['name'], email: body['email'] };
    const parsed = detailsForm.safeParse(body);
    const render = async (errors: unknown) => {
      reply.code(400);
      return reply.view('admin/user.njk', await userPage(id, { errors, values }));
    };
    if (!parsed.success) return render(zodErrors(parsed.error));
    try {
      await accounts.updateDetails(id, parsed.data, requestContext(request));
    } catch (err) {
      return render(problemsAsErrors(err));
    }
    reply.flash('user-details-saved');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  // The administrator never sets or sees the new password: the person gets a one-time link (emailed, or shown here once).
  app.post('/admin/users/:id/reset-password', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    let result;
    try {
      result = await accounts.resetPassword(id, requestContext(request));
    } catch (err) {
      const errors = problemsAsErrors(err);
      reply.code(400);
      return reply.view('admin/user.njk', await userPage(id, { errors }));
    }
    if (result.delivery === 'emailed') {
      reply.flash('password-reset-emailed');
      return reply.redirect(`/admin/users/${id}`, 303);
    }
    const user = await accounts.getUser(id);
    return reply.view('admin/reset-link.njk', {
      title: 'Password reset',
      user,
      link: result.link,
      expiresAt: result.expiresAt,
    });
  });

  app.post('/admin/users/:id/roles', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const roles = asArray(bodyOf(request)['roles']).filter(isRole);
    try {
      await accounts.setRoles(id, roles, requestContext(request));
    } catch (err) {
      const errors = problemsAsErrors(err, fieldIds({ renames: { roles: 'roles' } }));
      reply.code(400);
      return reply.view('admin/user.njk', await userPage(id, { errors, roles }));
    }
    reply.flash('user-roles-saved');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post('/admin/users/:id/disable', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    try {
      await accounts.disableUser(id, requestContext(request));
    } catch (err) {
      const errors = problemsAsErrors(err);
      reply.code(400);
      return reply.view('admin/user.njk', await userPage(id, { errors }));
    }
    reply.flash('user-disabled');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post('/admin/users/:id/enable', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    await accounts.enableUser(id, requestContext(request));
    reply.flash('user-enabled');
    return reply.redirect(`/admin/users/${id}`, 303);
  });
}
