import { DomainError } from '../../domain/shared/errors.ts';

/**
 * Why an uploaded or recorded file cannot be kept as a conference recording. The web and API
 * layers branch on the code; the message is written for the person who uploaded the file.
 */
export type AudioRejectionCode = 'NOT_AUDIO' | 'NO_AUDIO_TRACK' | 'TRUNCATED_OR_CORRUPT' | 'EMPTY' | 'TOO_LONG';

export class AudioRejectedError extends DomainError {
  declare readonly code: AudioRejectionCode;
  constructor(code: AudioRejectionCode, message: string) {
    super(code, message);
    this.name = 'AudioRejectedError';
  }
}

/** The withheld ranges or notice of a disclosure copy are not usable; names the problem. */
export class InvalidRedactionError extends DomainError {
  constructor(message: string, field?: string) {
    super('INVALID_REDACTION', message, field);
    this.name = 'InvalidRedactionError';
  }
}

export type AudioProcessingCode = 'TOOL_MISSING' | 'TOOL_FAILED' | 'TIMEOUT';

/**
 * The audio tools failed on a file that had been accepted, or are not installed, or ran out of time:
 * a fault of the service, not of the person. `detail` is the start of the tool's own error output,
 * for the operator's log (it names only paths the service chose, never a person's file name).
 */
export class AudioProcessingError extends Error {
  readonly code: AudioProcessingCode;
  readonly detail: string;
  constructor(code: AudioProcessingCode, message: string, detail = '') {
    super(message);
    this.name = 'AudioProcessingError';
    this.code = code;
    this.detail = detail;
  }
}
