/** What the routes about the people linked to a child's record share. */
import { z } from 'zod';
import { errorResponse } from '../schemas.ts';
import { errors } from './schemas.ts';

export const TAGS = ['children'];
export const nameSearch = z.object({
  name: z.string().max(200).describe('Words that must all appear in the name'),
});
export const changes = { ...errors, 409: errorResponse, 422: errorResponse };

/** Someone already recorded, as a search shows them: enough to choose them, nothing more. */
export const foundPerson = z.object({
  id: z.uuid(),
  givenNames: z.string(),
  familyName: z.string(),
  dateOfBirth: z.iso.date().nullable(),
});
export const foundOut = (p: { id: string; givenNames: string; familyName: string; dateOfBirth: string | null }) => ({
  id: p.id,
  givenNames: p.givenNames,
  familyName: p.familyName,
  dateOfBirth: p.dateOfBirth,
});
