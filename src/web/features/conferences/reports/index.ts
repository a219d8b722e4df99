/** Agencies' reports: upload (checked by content), download (audited), and whether the family has them (T-5). */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { MAX_REPORT_BYTES } from '../../../../app/conferences/convening-service.ts';
import { allSharedPage } from './all-shared.ts';
import type { ReportServices } from './common.ts';
import { reportFile } from './file.ts';
import { sharedWithFamilyPage } from './shared-with-family.ts';
import { uploadPage } from './upload.ts';
import { withholdPage } from './withhold.ts';

export async function reportPages(app: FastifyInstance, services: ReportServices): Promise<void> {
  // Multipart only here, for the one upload form. The file is read into memory up to the limit (plus
  // one byte, so "too large" is detected rather than silently cut): its type is decided from its
  // content, which for Word and ODT needs the ZIP directory at the end of the file.
  await app.register(multipart, {
    limits: { fileSize: MAX_REPORT_BYTES + 1, files: 1, fields: 5, fieldSize: 200, parts: 6, headerPairs: 50 },
    throwFileSizeLimit: false,
  });
  uploadPage(app, services);
  reportFile(app, services);
  sharedWithFamilyPage(app, services);
  allSharedPage(app, services);
  withholdPage(app, services);
}
