/**
 * Text typed into the service may hold any character a person can type, plus tab and line breaks
 * (a browser's textarea sends CRLF). Other control characters are refused: PostgreSQL cannot store
 * NUL at all, and the rest are invisible in pages, letters and exports, where they can hide or
 * change what a record says.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\r(?!\n)/;

export function hasControlCharacter(value: string): boolean {
  return FORBIDDEN.test(value);
}

/** The message for a field, as the GOV.UK pattern words it: "Name must not contain …". */
export function controlCharacterMessage(label: string): string {
  return `${label} must not contain hidden control characters (such as a null character): retype it without them`;
}

/** "givenNames" → "Given names", "speakers[0].name" → "Name": a field's words when no label is known. */
export function fieldLabel(field: string): string {
  const last =
    field
      .split(/[.[\]]/)
      .filter((p) => p && !/^\d+$/.test(p))
      .at(-1) ?? field;
  const words = last
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'This answer';
}

/**
 * Every string field in a (parsed) body with a forbidden character, as `{ field, message }` with the
 * field's path in bracket-and-dot form (`speakers[0].name`). Keys are checked too.
 */
export function controlCharacterProblems(body: unknown, path = ''): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  const visit = (v: unknown, p: string, depth: number) => {
    if (depth > 20) return;
    if (typeof v === 'string') {
      if (hasControlCharacter(v)) out.push({ field: p, message: controlCharacterMessage(fieldLabel(p)) });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${p}[${i}]`, depth + 1));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const child = p ? `${p}.${k}` : k;
        if (hasControlCharacter(k)) out.push({ field: child, message: controlCharacterMessage(fieldLabel(child)) });
        else visit(x, child, depth + 1);
      }
    }
  };
  visit(body, path, 0);
  // One problem per form field: a repeated name (array) reports once.
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = p.field.replace(/\[\d+\]$/, '');
    if (seen.has(key)) return false;
    seen.add(key);
    p.field = key;
    return true;
  });
}
