export * from './recording.ts';
export * from './statement.ts';
export * from './timeline.ts';
