/**
 * Report files no record refers to. Uploading stores the file first and then the report's row, and
 * deletes the file if the row cannot be saved; a crash between the two leaves a file behind. A sweep
 * lists the store's keys, takes away those still referred to, and deletes what is left once it is old
 * enough (a day) that no upload can still be about to save its row.
 */

/** The keys in `allKeys` that nothing refers to, each once, in the order first listed. Pure. */
export function orphanedKeys(allKeys: Iterable<string>, referenced: Iterable<string>): string[] {
  const kept = referenced instanceof Set ? (referenced as ReadonlySet<string>) : new Set(referenced);
  const out = new Set<string>();
  for (const key of allKeys) if (!kept.has(key)) out.add(key);
  return [...out];
}
