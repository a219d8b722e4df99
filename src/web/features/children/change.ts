/** Changing a child's details. A change made by someone else meanwhile is shown, never overwritten unseen. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PeopleService } from '../../../app/people/people-service.ts';
import type { ChildRecord } from '../../../app/people/ports.ts';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { StaleRecordError } from '../../../domain/shared/errors.ts';
import { type FormError, type FormValues, bodyOf, idParams, requestContext } from '../../forms/index.ts';
import { childFormContext, childFormValues } from './child-form.ts';
import { childErrors, childInputFrom, childProblems, childValues } from './forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

export function changePage(app: FastifyInstance, { people }: { people: PeopleService }): void {
  const render = async (
    reply: FastifyReply,
    actor: Actor,
    form: { child: ChildRecord; canManage: boolean; values: FormValues; version: number; errors?: FormError[] },
  ) =>
    reply.view('children/child-form.njk', {
      title: 'Change the child’s details',
      action: `/children/${form.child.id}/change`,
      backHref: `/children/${form.child.id}`,
      buttonText: 'Save changes',
      version: form.version,
      errors: form.errors ?? [],
      ...(await childFormContext(people, actor, form.values, { restrictionShown: form.canManage, child: form.child })),
    });

  app.get('/children/:id/change', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const { child, canManageRestriction } = await people.getChildForChange(request.actor!, id, requestContext(request));
    const values = childFormValues(child);
    return render(reply, request.actor!, { child, canManage: canManageRestriction, values, version: child.version });
  });

  app.post('/children/:id/change', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const actor = request.actor!;
    const body = bodyOf(request);
    const values = childValues(body);
    const version = Number(body['version']);
    const { input, errors } = childInputFrom(values);
    if (!Number.isSafeInteger(version)) return reply.code(400).view('errors/bad-request.njk');
    let ruleErrors: FormError[] = [];
    try {
      // Control characters are refused here, as field errors with the form's own; the access check below still runs.
      const ctx = requestContext(request);
      if (errors.length === 0) {
        await people.updateChild(actor, id, version, input, ctx);
        return reply.flash('child-saved').redirect(`/children/${id}`, 303);
      }
    } catch (err) {
      if (err instanceof StaleRecordError) {
        // Nothing was saved. Show what is saved now, so nobody overwrites a colleague's change unseen.
        const { child, canManageRestriction } = await people.getChildForChange(actor, id, requestContext(request));
        const text = `${err.message}. The form now shows the saved details: make your changes again`;
        reply.code(409);
        return render(reply, actor, {
          child,
          canManage: canManageRestriction,
          values: childFormValues(child),
          version: child.version,
          errors: [{ text, href: '#main-content' }],
        });
      }
      ruleErrors = childProblems(err);
    }
    const { child, canManageRestriction } = await people.getChildForChange(actor, id, requestContext(request));
    reply.code(400);
    const all = childErrors(errors, ruleErrors);
    return render(reply, actor, { child, canManage: canManageRestriction, values, version, errors: all });
  });
}
