/**
 * The disposal certificate (R-4) as a tagged PDF, drawn with PDFKit like the written record's PDF: a structure tree
 * in reading order (Document, H1, H2, P, L/LI/Lbl/LBody), the title as the window title, the language en-GB, real
 * text in embedded DejaVu Sans, and "Page N of M" as a pagination artifact. It lists what was destroyed, when, who
 * proposed and who approved it, and the SHA-256 of every file destroyed: facts only, no personal data.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Font, create } from 'fontkit';
import type { CertificateRenderer, DisposalCertificate } from '../../app/retention/ports.ts';
import { englandDateTime } from '../../domain/calendar/england-time.ts';
import { formatLongDate } from '../../domain/calendar/iso-date.ts';
import { fileLabel } from '../../domain/retention/disposal.ts';
import { createPdfUaDocument } from './pdfkit-document.ts';

type StructElement = PDFKit.PDFStructureElement;
type Doc = Omit<PDFKit.PDFDocument, 'registerFont'> & { registerFont(name: string, font: Font): Doc };

const REGULAR = 'body';
const BOLD = 'bold';
const BLACK = '#0b0c0c';
const BODY = 10;
const MARGIN = 56;

let parsed: { regular: Font; bold: Font } | undefined;
function fonts(): { regular: Font; bold: Font } {
  if (!parsed) {
    const require = createRequire(import.meta.url);
    const open = (file: string): Font => {
      const font = create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
      if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
      return font;
    };
    parsed = { regular: open('DejaVuSans.ttf'), bold: open('DejaVuSans-Bold.ttf') };
  }
  return parsed;
}

/** The certificate's text, block by block, shared by the PDF and its tests. */
export function certificateTitle(c: DisposalCertificate): string {
  return `Disposal certificate ${c.reference}`;
}

export async function renderCertificatePdf(c: DisposalCertificate): Promise<Uint8Array> {
  const { regular, bold } = fonts();
  const doc = createPdfUaDocument<Doc>({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    tagged: true,
    subset: 'PDF/UA',
    pdfVersion: '1.7',
    lang: 'en-GB',
    displayTitle: true,
    font: regular,
    info: {
      Title: certificateTitle(c),
      Subject: 'Records destroyed under the council’s retention schedule',
      Creator: 'Child protection conference records',
      Producer: 'Child protection conference records',
      CreationDate: c.completedAt,
      ModDate: c.completedAt,
    },
  });
  doc.registerFont(REGULAR, regular);
  doc.registerFont(BOLD, bold);
  const chunks: Uint8Array[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - MARGIN * 2;
  const root = doc.struct('Document');
  doc.addStructure(root);

  const room = (h: number) => {
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const element = (parent: StructElement, type: string, draw: () => void) => {
    const e = doc.struct(type);
    parent.add(e);
    e.add(draw);
    e.end();
  };
  const heading = (level: 1 | 2, text: string) => {
    room(60);
    element(root, `H${level}`, () => {
      doc
        .font(BOLD)
        .fontSize(level === 1 ? 20 : 14)
        .fillColor(BLACK);
      doc.text(text, MARGIN, doc.y, { width });
    });
    doc.y += 6;
  };
  const paragraph = (text: string) => {
    room(20);
    element(root, 'P', () => {
      doc.font(REGULAR).fontSize(BODY).fillColor(BLACK);
      doc.text(text, MARGIN, doc.y, { width, lineGap: 2 });
    });
    doc.y += 6;
  };
  const list = (items: readonly string[]) => {
    const l = doc.struct('L');
    root.add(l);
    for (const item of items) {
      room(24);
      const li = doc.struct('LI');
      l.add(li);
      const y = doc.y;
      const lbl = doc.struct('Lbl');
      li.add(lbl);
      lbl.add(() => {
        doc.font(REGULAR).fontSize(BODY).fillColor(BLACK);
        doc.text('•', MARGIN, y, { lineBreak: false });
      });
      lbl.end();
      const body = doc.struct('LBody');
      li.add(body);
      body.add(() => {
        doc.font(REGULAR).fontSize(BODY).fillColor(BLACK);
        doc.text(item, MARGIN + 14, y, { width: width - 14, lineGap: 2 });
      });
      body.end();
      li.end();
      doc.y += 3;
    }
    l.end();
    doc.y += 6;
  };

  heading(1, certificateTitle(c));
  paragraph(
    `These records reached the end of the retention period the council set and were destroyed. The destruction was proposed by ${c.proposedByName} on ${englandDateTime(c.proposedAt)}, approved by a second person, ${c.approvedByName}, on ${englandDateTime(c.approvedAt)}, and finished on ${englandDateTime(c.completedAt)}.`,
  );
  paragraph(
    'Each file was deleted from the file store and its details removed from the service. The SHA-256 fingerprints below identify exactly what was destroyed without keeping any of its content.',
  );
  heading(2, 'Retention schedules in force');
  list(Object.values(c.schedules));
  heading(2, `Records destroyed (${c.destroyed.length})`);
  if (!c.destroyed.length) paragraph('No records were destroyed.');
  for (const item of c.destroyed) {
    paragraph(
      `${item.what} ${item.itemId}: due for destruction on ${formatLongDate(item.dueOn)}, destroyed on ${englandDateTime(item.destroyedAt)}.`,
    );
    list(
      item.evidence.files.length
        ? item.evidence.files.map(
            (f) =>
              `${fileLabel(f.what)}: stored file SHA-256 ${f.blobSha256 ?? 'not recorded'}${f.contentSha256 ? `; content SHA-256 ${f.contentSha256}` : ''}; ${f.blobSize} bytes`,
          )
        : ['No stored files'],
    );
  }
  if (c.keptOnHold.length) {
    heading(2, `Kept on legal hold (${c.keptOnHold.length})`);
    paragraph('A legal hold was placed on these records after the destruction was approved, so they were kept.');
    list(c.keptOnHold.map((i) => `${i.what} ${i.itemId}`));
  }
  root.end();

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination', attached: ['Bottom'] });
    doc.font(REGULAR).fontSize(9).fillColor(BLACK);
    doc.text(`${c.reference} · Page ${i - range.start + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN, {
      width,
      align: 'center',
      lineBreak: false,
    });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

export const certificatePdfRenderer: CertificateRenderer = { render: renderCertificatePdf };
