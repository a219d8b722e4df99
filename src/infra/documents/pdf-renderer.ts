/**
 * The tagged PDF of a written record (W-1, W-2, W-3), drawn with PDFKit from the same document model as the
 * HTML page. Accessible as PDF/UA asks: a structure tree in reading order (Document, H1…H6, P, L/LI/Lbl/LBody,
 * Table/TR/TH/TD, Sect), the title shown as the window title, the language (en-GB), real text in an embedded
 * font (DejaVu Sans, never a standard font that a reader substitutes). Every page's header and footer carry
 * the marking (OFFICIAL-SENSITIVE, and PARENT'S COPY or CHILD'S COPY, W-3) and "Page N of M", as pagination
 * artifacts so a screen reader does not read them between paragraphs. The large-print variant sets body text
 * at 18 pt and everything else larger or equal.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Font, create } from 'fontkit';
import type { DocumentRenderer, RenderOptions } from '../../app/documents/ports.ts';
import {
  type Block,
  DOCUMENT_KIND_LABELS,
  type DocumentMarking,
  type WrittenDocument,
  assertRenderable,
  markingLines,
  sectionHeadingLevel,
} from '../../domain/documents/index.ts';
import { type PdfUaOptions, createPdfUaDocument } from './pdfkit-document.ts';

type StructElement = PDFKit.PDFStructureElement;

/** What PDFKit 0.20 accepts beyond what @types/pdfkit 0.17 declares: a parsed font, table structure. */
type TableCell = Omit<PDFKit.Mixins.CellOptions, 'font'> & {
  scope?: 'Column' | 'Row';
  font: { src: string; size: number };
};
type AccessibleTable = Omit<PDFKit.Mixins.TableOptionsWithData, 'data'> & {
  structParent: StructElement;
  data: TableCell[][];
};

/**
 * PDFKit 0.20 as it is, where @types/pdfkit (0.17, the newest published) is narrower: the constructor takes
 * PDF/UA and a parsed font, fonts register as parsed fonts, and tables take their structure parent and
 * header scopes. Declared once here, so the drawing code below is typed against what the library accepts.
 */
type Doc = Omit<PDFKit.PDFDocument, 'registerFont' | 'table'> & {
  registerFont(name: string, font: Font): Doc;
  table(table: AccessibleTable): Doc;
};

const REGULAR = 'body';
const BOLD = 'bold';

interface Fonts {
  regular: Font;
  bold: Font;
}
let parsedFonts: Fonts | undefined;

/**
 * DejaVu Sans from the dejavu-fonts-ttf package (wide Latin, Greek and Cyrillic cover for family names), read
 * and parsed once per process: parsing the font's tables is most of the cost of a short document. Each
 * document still embeds its own subset of the glyphs it uses.
 */
function fonts(): Fonts {
  if (!parsedFonts) {
    const require = createRequire(import.meta.url);
    const open = (file: string): Font => {
      const font = create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
      if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
      return font;
    };
    parsedFonts = { regular: open('DejaVuSans.ttf'), bold: open('DejaVuSans-Bold.ttf') };
  }
  return parsedFonts;
}

interface Scale {
  body: number;
  /** Sizes of H1 to H6. */
  headings: readonly [number, number, number, number, number, number];
  marking: number;
  lineGap: number;
  /** Space after a paragraph, list, table or summary. */
  blockGap: number;
  side: number;
  /** Space between the page edge and the marking, and between the marking and the text. */
  edge: number;
}

const NORMAL: Scale = {
  body: 12,
  headings: [22, 17, 14, 13, 12, 12],
  marking: 10,
  lineGap: 3,
  blockGap: 9,
  side: 56,
  edge: 28,
};

/** Large print: body text at 18 pt, and nothing on the page smaller, the running marks included. */
const LARGE: Scale = {
  body: 18,
  headings: [30, 25, 22, 20, 18, 18],
  marking: 18,
  lineGap: 4,
  blockGap: 13,
  side: 48,
  edge: 24,
};

const BLACK = '#0b0c0c';
const RULE = '#b1b4b6';

class Drawing {
  readonly doc: Doc;
  readonly scale: Scale;
  readonly left: number;
  readonly width: number;

  constructor(doc: Doc, scale: Scale) {
    this.doc = doc;
    this.scale = scale;
    this.left = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one (nothing is open between blocks). */
  private room(height: number): void {
    if (this.doc.y + height > this.bottom && this.doc.y > this.doc.page.margins.top) this.doc.addPage();
  }

  private lineHeight(size: number): number {
    return this.doc.font(REGULAR).fontSize(size).currentLineHeight(true) + this.scale.lineGap;
  }

  private child(parent: StructElement, type: string, draw?: () => void): StructElement {
    const element = this.doc.struct(type);
    parent.add(element);
    if (draw) element.add(draw);
    element.end();
    return element;
  }

  private gap(points = this.scale.blockGap): void {
    this.doc.y += points;
  }

  heading(parent: StructElement, level: number, text: string): void {
    const size = this.scale.headings[Math.min(level, 6) - 1]!;
    // A heading is kept with at least two lines of what follows it.
    this.room(this.lineHeight(size) * 2 + this.lineHeight(this.scale.body) * 2);
    if (level > 1) this.gap(this.scale.blockGap * 0.6);
    this.child(parent, `H${level}`, () => {
      this.doc.font(BOLD).fontSize(size).fillColor(BLACK);
      this.doc.text(text, this.left, this.doc.y, { width: this.width, lineGap: this.scale.lineGap });
    });
    this.gap(this.scale.blockGap * 0.6);
  }

  paragraph(parent: StructElement, text: string, bold = false): void {
    this.room(this.lineHeight(this.scale.body));
    this.child(parent, 'P', () => {
      this.doc
        .font(bold ? BOLD : REGULAR)
        .fontSize(this.scale.body)
        .fillColor(BLACK);
      this.doc.text(text, this.left, this.doc.y, { width: this.width, lineGap: this.scale.lineGap });
    });
    this.gap();
  }

  list(parent: StructElement, items: readonly string[], numbered: boolean): void {
    const indent = this.scale.body * (numbered ? 2.2 : 1.5);
    const element = this.doc.struct('L');
    parent.add(element);
    items.forEach((item, i) => {
      this.room(this.lineHeight(this.scale.body));
      const li = this.doc.struct('LI');
      element.add(li);
      const y = this.doc.y;
      this.child(li, 'Lbl', () => {
        this.doc.font(REGULAR).fontSize(this.scale.body).fillColor(BLACK);
        this.doc.text(numbered ? `${i + 1}.` : '•', this.left, y, { lineBreak: false });
      });
      this.child(li, 'LBody', () => {
        this.doc.font(REGULAR).fontSize(this.scale.body).fillColor(BLACK);
        this.doc.text(item, this.left + indent, y, { width: this.width - indent, lineGap: this.scale.lineGap });
      });
      li.end();
      this.gap(this.scale.lineGap);
    });
    element.end();
    this.gap();
  }

  private table(
    parent: StructElement,
    rows: readonly (readonly { text: string; header: 'Column' | 'Row' | null }[])[],
    widths: readonly number[],
    /** A data table is ruled in black, a summary list in grey (borders on every side of a cell: PDFKit
     * writes a cell's border colours as a structure attribute, which is valid only when every side has one). */
    rule: string,
  ): void {
    const { body, lineGap } = this.scale;
    this.room(this.lineHeight(body) * 2 + body);
    this.doc.font(REGULAR).fontSize(body).fillColor(BLACK);
    const table: AccessibleTable = {
      structParent: parent,
      position: { x: this.left, y: this.doc.y },
      maxWidth: this.width,
      columnStyles: widths.map((w) => ({ width: w })),
      defaultStyle: {
        border: 0.75,
        borderColor: rule,
        padding: body * 0.4,
        textOptions: { lineGap },
      },
      data: rows.map((row) =>
        row.map((cell): TableCell =>
          cell.header
            ? { text: cell.text, type: 'TH', scope: cell.header, font: { src: BOLD, size: body } }
            : { text: cell.text, font: { src: REGULAR, size: body } },
        ),
      ),
    };
    this.doc.table(table);
    this.doc.x = this.left;
    this.gap();
  }

  dataTable(parent: StructElement, caption: string, head: readonly string[], rows: readonly (readonly string[])[]) {
    this.paragraph(parent, caption, true);
    this.doc.y -= this.scale.blockGap / 2;
    const share = this.width / Math.max(1, head.length);
    this.table(
      parent,
      [
        head.map((text) => ({ text, header: 'Column' as const })),
        ...rows.map((r) => r.map((text) => ({ text, header: null }))),
      ],
      head.map(() => share),
      BLACK,
    );
  }

  summary(parent: StructElement, rows: readonly { key: string; value: string }[]): void {
    this.table(
      parent,
      rows.map((r) => [
        { text: r.key, header: 'Row' as const },
        { text: r.value || ' ', header: null },
      ]),
      [this.width * 0.36, this.width * 0.64],
      RULE,
    );
  }

  block(parent: StructElement, block: Block, depth: number): void {
    if (block.notice) this.paragraph(parent, `Not shared with everyone: ${block.notice}`, true);
    switch (block.type) {
      case 'heading':
        return this.heading(parent, block.level, block.text);
      case 'paragraph':
        return this.paragraph(parent, block.text);
      case 'list':
        return this.list(parent, block.items, block.numbered ?? false);
      case 'summary':
        return this.summary(parent, block.rows);
      case 'table':
        return this.dataTable(parent, block.caption, block.head, block.rows);
      case 'section': {
        const section = this.doc.struct('Sect');
        parent.add(section);
        this.heading(section, sectionHeadingLevel(depth), block.heading);
        for (const inner of block.blocks) this.block(section, inner, depth + 1);
        section.end();
        return;
      }
    }
  }

  /** The marking in every page's header and footer and "Page N of M", drawn once every page exists. */
  runningMarks(marking: DocumentMarking): void {
    const { doc, scale } = this;
    const marks = markingLines(marking);
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const lineHeight = doc.font(BOLD).fontSize(scale.marking).currentLineHeight(true) * 1.2;
      const centred = (text: string, y: number, font: string) => {
        doc.font(font).fontSize(scale.marking).fillColor(BLACK);
        const x = (doc.page.width - doc.widthOfString(text)) / 2;
        doc.text(text, x, y, { lineBreak: false });
      };
      doc.markContent('Artifact', { type: 'Pagination', attached: ['Top'] });
      marks.forEach((line, n) => centred(line, scale.edge + n * lineHeight, BOLD));
      doc.endMarkedContent();
      const footer = [...marks, `Page ${i - range.start + 1} of ${range.count}`];
      const top = doc.page.height - scale.edge - footer.length * lineHeight;
      doc.markContent('Artifact', { type: 'Pagination', attached: ['Bottom'] });
      footer.forEach((line, n) => centred(line, top + n * lineHeight, n < marks.length ? BOLD : REGULAR));
      doc.endMarkedContent();
    }
  }
}

/** The space a page keeps above and below its text for the running header and footer. */
function margins(scale: Scale, marks: number): { top: number; bottom: number; left: number; right: number } {
  const line = scale.marking * 1.2 * 1.2;
  return {
    top: scale.edge + marks * line + scale.edge,
    bottom: scale.edge + (marks + 1) * line + scale.edge,
    left: scale.side,
    right: scale.side,
  };
}

/** The tagged PDF's bytes; a document with problems (`documentProblems`) is refused before anything is drawn. */
export async function renderPdf(
  document: WrittenDocument,
  marking: DocumentMarking,
  options: RenderOptions = {},
): Promise<Uint8Array> {
  assertRenderable(document);
  const scale = options.largePrint ? LARGE : NORMAL;
  const { regular, bold } = fonts();
  const kind = DOCUMENT_KIND_LABELS[document.metadata.kind];
  const subject = [kind, ...markingLines(marking)].join(', ');
  const settings: PdfUaOptions = {
    size: 'A4',
    margins: margins(scale, markingLines(marking).length),
    bufferPages: true,
    tagged: true,
    subset: 'PDF/UA',
    pdfVersion: '1.7',
    lang: 'en-GB',
    displayTitle: true,
    font: regular,
    info: {
      Title: document.title,
      Subject: subject,
      Keywords: [
        ...document.metadata.children.map((c) => c.name),
        `conference ${document.metadata.conferenceDate}`,
        `version ${document.metadata.version}`,
      ].join('; '),
      Creator: 'Child protection conference records',
      Producer: 'Child protection conference records',
      ...(options.createdAt ? { CreationDate: options.createdAt, ModDate: options.createdAt } : {}),
    },
  };
  const doc = createPdfUaDocument<Doc>(settings);
  doc.registerFont(REGULAR, regular);
  doc.registerFont(BOLD, bold);

  const chunks: Uint8Array[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const drawing = new Drawing(doc, scale);
  const root = doc.struct('Document');
  doc.addStructure(root);
  drawing.heading(root, 1, document.title);
  for (const block of document.blocks) drawing.block(root, block, 0);
  root.end();
  drawing.runningMarks(marking);
  doc.end();
  return done;
}

export const pdfDocumentRenderer: DocumentRenderer = {
  mediaType: 'application/pdf',
  extension: 'pdf',
  render: renderPdf,
};
