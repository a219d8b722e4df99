// Runs every benchmark and prints its figures: `npm run bench`. Targets are read from the output,
// never asserted in timed tests.
import { benchAge } from './age.ts';
import { benchAudio } from './audio.ts';
import { benchAudit } from './audit.ts';
import { benchAuditWindow } from './audit-window.ts';
import { benchDashboard } from './dashboard.ts';
import { benchDisclosure } from './disclosure.ts';
import { benchDocuments } from './documents.ts';
import { benchPages } from './pages.ts';
import { benchRecordingIngest } from './recording-ingest.ts';
import { printSummary } from './report.ts';
import { benchSeek } from './seek.ts';
import { benchStart } from './start.ts';

await benchAudit();
await benchAuditWindow();
await benchDashboard();
await benchPages();
await benchAge();
await benchAudio();
await benchDisclosure();
await benchSeek();
await benchRecordingIngest();
await benchDocuments();
await benchStart();
printSummary();
