/**
 * The HTML rendering of a written record: the same document model as the tagged PDF, as accessible HTML with
 * GOV.UK Frontend classes. `documentHtml` gives the fragment a service page places in its layout;
 * `htmlDocumentRenderer` gives a standalone page (language, title, its own small stylesheet) to issue and
 * download. Pure: no I/O.
 */
import {
  type Block,
  type DocumentMarking,
  type WrittenDocument,
  assertRenderable,
  markingLines,
  sectionHeadingLevel,
} from '../../domain/documents/index.ts';
import type { DocumentRenderer, RenderOptions } from './ports.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Escaped, with each line break kept as <br>. */
function lines(text: string): string {
  return escapeHtml(text.replace(/\r\n/g, '\n')).replace(/\n/g, '<br>');
}

const HEADING_CLASSES: Record<number, string> = {
  1: 'govuk-heading-l',
  2: 'govuk-heading-m',
  3: 'govuk-heading-s',
  4: 'govuk-heading-s',
  5: 'govuk-heading-s',
  6: 'govuk-heading-s',
};

function heading(level: number, text: string): string {
  return `<h${level} class="${HEADING_CLASSES[level]}">${lines(text)}</h${level}>`;
}

function notice(block: Block): string {
  return block.notice
    ? `<p class="govuk-body-s app-document-notice"><strong>Not shared with everyone:</strong> ${escapeHtml(block.notice)}</p>`
    : '';
}

function blockHtml(block: Block, depth: number): string {
  const note = notice(block);
  switch (block.type) {
    case 'heading':
      return note + heading(block.level, block.text);
    case 'paragraph':
      return note + `<p class="govuk-body">${lines(block.text)}</p>`;
    case 'list': {
      const tag = block.numbered ? 'ol' : 'ul';
      const kind = block.numbered ? 'govuk-list--number' : 'govuk-list--bullet';
      const items = block.items.map((item) => `<li>${lines(item)}</li>`).join('');
      return note + `<${tag} class="govuk-list ${kind}">${items}</${tag}>`;
    }
    case 'summary': {
      const rows = block.rows
        .map(
          (row) =>
            `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${lines(row.key)}</dt>` +
            `<dd class="govuk-summary-list__value">${lines(row.value)}</dd></div>`,
        )
        .join('');
      return note + `<dl class="govuk-summary-list">${rows}</dl>`;
    }
    case 'table': {
      const head = block.head.map((cell) => `<th scope="col" class="govuk-table__header">${lines(cell)}</th>`).join('');
      const body = block.rows
        .map(
          (row) =>
            `<tr class="govuk-table__row">${row.map((cell) => `<td class="govuk-table__cell">${lines(cell)}</td>`).join('')}</tr>`,
        )
        .join('');
      return (
        note +
        `<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">${lines(block.caption)}</caption>` +
        `<thead class="govuk-table__head"><tr class="govuk-table__row">${head}</tr></thead>` +
        `<tbody class="govuk-table__body">${body}</tbody></table>`
      );
    }
    case 'section': {
      const inner = block.blocks.map((b) => blockHtml(b, depth + 1)).join('\n');
      return `<section class="app-document-section">${note}${heading(sectionHeadingLevel(depth), block.heading)}\n${inner}</section>`;
    }
  }
}

function markingHtml(marking: DocumentMarking, where: 'header' | 'footer'): string {
  const text = markingLines(marking).map(escapeHtml).join('<br>');
  return `<${where} class="app-document-marking govuk-body govuk-!-font-weight-bold">${text}</${where}>`;
}

/**
 * The document as an HTML fragment: the marking above and below (as the PDF has it in every page's header and
 * footer), the title as the page's one h1, and the blocks in reading order with real headings. A document
 * with problems (`documentProblems`) is refused.
 */
export function documentHtml(document: WrittenDocument, marking: DocumentMarking): string {
  assertRenderable(document);
  return [
    `<article class="app-document" lang="en-GB">`,
    markingHtml(marking, 'header'),
    heading(1, document.title),
    ...document.blocks.map((b) => blockHtml(b, 0)),
    markingHtml(marking, 'footer'),
    `</article>`,
  ].join('\n');
}

/** Enough of GOV.UK Frontend's look for a downloaded page to read well offline; 19px body, 18 pt in large print. */
function stylesheet(largePrint: boolean): string {
  const base = largePrint ? '18pt' : '19px';
  return [
    `body{font-family:Arial,sans-serif;font-size:${base};line-height:1.4;color:#0b0c0c;max-width:46em;margin:1em auto;padding:0 1em}`,
    '.govuk-heading-l{font-size:1.9em}.govuk-heading-m{font-size:1.4em}.govuk-heading-s{font-size:1.1em}',
    'table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:.4em .5em .4em 0;vertical-align:top}',
    'caption{text-align:left;font-weight:700;padding-bottom:.4em}',
    '.govuk-summary-list__row{display:flex;border-bottom:1px solid #b1b4b6;padding:.4em 0}',
    '.govuk-summary-list__key{font-weight:700;flex:0 0 35%;margin:0}.govuk-summary-list__value{margin:0}',
    '.app-document-marking{text-align:center;font-weight:700}.app-document-notice{border-left:5px solid #b1b4b6;padding-left:.7em}',
  ].join('\n');
}

/** A standalone, accessible HTML page of the document: the HTML format an issued version is kept in. */
export function standaloneDocumentHtml(
  document: WrittenDocument,
  marking: DocumentMarking,
  options: RenderOptions = {},
): string {
  const title = [document.title, ...markingLines(marking)].join(' – ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${stylesheet(options.largePrint ?? false)}</style>`,
    '</head>',
    '<body>',
    '<main>',
    documentHtml(document, marking),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const htmlDocumentRenderer: DocumentRenderer = {
  mediaType: 'text/html; charset=utf-8',
  extension: 'html',
  async render(document, marking, options) {
    return new TextEncoder().encode(standaloneDocumentHtml(document, marking, options));
  },
};
