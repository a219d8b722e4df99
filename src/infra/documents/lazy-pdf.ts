// The PDF renderers as the services hold them: PDFKit and fontkit (with the fonts' Unicode tables they
// unpack when imported) are loaded on the first document rendered, not while the service starts.
import type { CertificateRenderer } from '../../app/retention/ports.ts';
import type { DocumentRenderer } from '../../app/documents/ports.ts';

export const lazyPdfDocumentRenderer: DocumentRenderer = {
  mediaType: 'application/pdf',
  extension: 'pdf',
  render: async (document, marking, options) =>
    (await import('./pdf-renderer.ts')).pdfDocumentRenderer.render(document, marking, options),
};

export const lazyCertificatePdfRenderer: CertificateRenderer = {
  render: async (certificate) =>
    (await import('./retention-certificate-pdf.ts')).certificatePdfRenderer.render(certificate),
};
