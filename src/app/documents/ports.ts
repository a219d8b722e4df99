/**
 * Rendering a written record (W-1, W-2, W-3) into the bytes that are issued: a tagged PDF, or a standalone
 * accessible HTML page. Both draw the same document model, so every format says the same thing; the marking
 * (OFFICIAL-SENSITIVE, and PARENT'S COPY or CHILD'S COPY) is on every page of every format.
 */
import type { DocumentKind, DocumentMarking, LetterWording, WrittenDocument } from '../../domain/documents/index.ts';
import type { Repositories } from '../unit-of-work.ts';

export interface RenderOptions {
  /** The large-print variant: body text at 18 pt (W-4: steps so a family member can understand the record). */
  largePrint?: boolean;
  /**
   * The moment written into the file as its creation date. Rendering the same document with the same moment
   * gives the same bytes, so an issued version can be rendered again and checked against its SHA-256.
   */
  createdAt?: Date;
}

export interface DocumentRenderer {
  /** "application/pdf", "text/html; charset=utf-8". */
  readonly mediaType: string;
  /** The file name extension a download uses: "pdf", "html". */
  readonly extension: string;
  render(document: WrittenDocument, marking: DocumentMarking, options?: RenderOptions): Promise<Uint8Array>;
}

/** The values a letter's wording may use, filled for one addressee. */
export interface LetterValues {
  recipientName: string;
  childNames: string;
  conferenceDate: string;
  conferenceType: string;
  chairName: string;
  councilName: string;
  councilContact: string;
}

/**
 * The administrator-editable wording of letters (W-1, W-6, W-7), checked placeholders and all, as the email
 * templates are. Reads inside the caller's transaction.
 */
export interface LetterWordingSource {
  wordingFor(repos: Repositories, kind: DocumentKind, values: LetterValues): Promise<LetterWording>;
}
