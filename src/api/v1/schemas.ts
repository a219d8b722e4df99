import { z } from 'zod';

/** The one error shape of the API. */
export const errorResponse = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string().optional() })).optional(),
});
