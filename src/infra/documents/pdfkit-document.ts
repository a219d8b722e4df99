/**
 * One typed way to construct a PDFKit document for tagged PDF (PDF/UA). PDFKit 0.20 accepts more than
 * @types/pdfkit (0.17, the newest published) declares: the constructor takes `subset: 'PDF/UA'` and a parsed
 * fontkit font, fonts register as parsed fonts, and tables take their structure parent and header scopes.
 * Each renderer declares the document type it draws with (what the library accepts); this helper is the one
 * place that hands the library's constructor the options and gives its document that type.
 */
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';

/** What PDFKit 0.20's constructor accepts for a tagged PDF, beyond what @types/pdfkit declares. */
export type PdfUaOptions = Omit<PDFKit.PDFDocumentOptions, 'subset' | 'font'> & { subset: 'PDF/UA'; font: Font };

/** The declared document, less the members a renderer re-declares as PDFKit 0.20 has them. */
type DeclaredDocument = Omit<PDFKit.PDFDocument, 'registerFont' | 'table'>;

/** A new PDF/UA document, typed as the renderer's declaration of what PDFKit 0.20 offers. */
export function createPdfUaDocument<Doc extends DeclaredDocument>(options: PdfUaOptions): Doc {
  // Reflect.construct calls PDFKit's own constructor with options it accepts at run time; the result is typed
  // by the caller's declaration (the type packages lag behind the library).
  return Reflect.construct(PDFDocument, [options]);
}
