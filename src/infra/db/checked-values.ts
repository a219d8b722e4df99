/** A value read back from a text column, checked against the domain's list (a bad row is a bug, not a guess). */
export function oneOf<T extends string>(list: readonly T[], v: string, what: string): T {
  if ((list as readonly string[]).includes(v)) return v as T;
  throw new Error(`Unexpected ${what} in the database: ${v}`);
}
