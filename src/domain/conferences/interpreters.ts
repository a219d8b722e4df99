/**
 * 002 §3.2: a family member or child who needs an interpreter, with no interpreter invited for that language. Pure:
 * a warning on the conference's page and, for conferences still planned, an item on the dashboard.
 */
import { mayUseInterpreter } from './invitees.ts';

/** Languages compared as a person would: case and surrounding spaces ignored. */
const languageKey = (language: string) => language.trim().toLocaleLowerCase('en-GB');

export interface InterpreterFacts {
  kind: string;
  interpreterLanguage: string | null;
}

/**
 * The languages someone invited needs an interpreter in and no invited interpreter interprets, each once (as first
 * written), in the order they are first needed, with how many people need it.
 */
export function interpretersNotBooked(
  invitees: readonly InterpreterFacts[],
): Array<{ language: string; people: number }> {
  const booked = new Set(
    invitees
      .filter((i) => i.kind === 'interpreter' && i.interpreterLanguage?.trim())
      .map((i) => languageKey(i.interpreterLanguage!)),
  );
  const out = new Map<string, { language: string; people: number }>();
  for (const i of invitees) {
    const language = i.interpreterLanguage?.trim();
    if (!language || !mayUseInterpreter(i.kind) || booked.has(languageKey(language))) continue;
    const key = languageKey(language);
    const entry = out.get(key) ?? { language, people: 0 };
    entry.people += 1;
    out.set(key, entry);
  }
  return [...out.values()];
}

/** "No interpreter is booked for Polish (2 people) or Tigrinya (1 person)." */
export function interpretersNotBookedText(missing: ReadonlyArray<{ language: string; people: number }>): string | null {
  if (!missing.length) return null;
  const parts = missing.map(
    (m) => `${m.language} (${m.people} ${m.people === 1 ? 'person needs' : 'people need'} one)`,
  );
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
  return `No interpreter is invited for ${list}. Invite an interpreter before the conference.`;
}
