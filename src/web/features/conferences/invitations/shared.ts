/** What the invitation pages share: who may use them and the service they call. */
import type { Services } from '../../../../composition.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';

export const VIEW = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };

export interface InvitationServices {
  convening: Services['convening'];
}
