/** Route parameters: every record id in a path is parsed into the one canonical form (`idSchema`). */
import { z } from 'zod';
import { idSchema } from '../../domain/shared/ids.ts';

export { idSchema };

/** A schema for a path's id parameters: `idParams('id', 'childId').parse(request.params)`. */
export function idParams<const K extends string>(...names: K[]): z.ZodObject<{ [P in K]: typeof idSchema }> {
  return z.object(Object.fromEntries(names.map((n) => [n, idSchema])) as { [P in K]: typeof idSchema });
}
