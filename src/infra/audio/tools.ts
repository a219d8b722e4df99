import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AudioProcessingError } from './errors.ts';

/**
 * Where the audio programs are. Debian's packages by default; tests and other machines may pass
 * their own. They are always started with an argument array (never through a shell), and every path
 * given to them is one the service chose (a blob or scratch path), never a name a person typed.
 */
export interface AudioToolPaths {
  ffmpeg: string;
  ffprobe: string;
  espeakNg: string;
}

export const defaultToolPaths: AudioToolPaths = {
  ffmpeg: '/usr/bin/ffmpeg',
  ffprobe: '/usr/bin/ffprobe',
  espeakNg: '/usr/bin/espeak-ng',
};

export function toolPaths(given?: Partial<AudioToolPaths>): AudioToolPaths {
  return { ...defaultToolPaths, ...given };
}

/** How much of a tool's error output is kept (the rest is read and dropped so the tool never blocks). */
export const MAX_STDERR_BYTES = 16 * 1024;

export interface StartOptions {
  signal?: AbortSignal | undefined;
  /** Kill the tool and fail with TIMEOUT after this long. */
  timeoutMs?: number | undefined;
  stdin?: 'pipe' | 'ignore';
  stdout?: 'pipe' | 'ignore';
  /** Text written to stdin, which is then closed (implies stdin 'pipe'). */
  input?: string | Buffer;
  /** A fourth stream from the tool, file descriptor 3 (`pipe:3` to ffmpeg), when stdout carries data. */
  fd3?: 'pipe';
}

export interface ToolExit {
  code: number | null;
  killedBy: NodeJS.Signals | null;
  /** The first MAX_STDERR_BYTES of the tool's error output. */
  stderr: string;
}

export interface RunningTool {
  child: ChildProcess;
  stdin: Writable | null;
  stdout: Readable | null;
  /** File descriptor 3, when asked for (StartOptions.fd3). */
  fd3: Readable | null;
  /**
   * Settles once the process has exited and its streams have closed. Rejects with the signal's
   * reason when aborted, with AudioProcessingError TIMEOUT on time-out and TOOL_MISSING when the
   * program cannot be started; otherwise resolves, whatever the exit code.
   */
  exited: Promise<ToolExit>;
  /** Kills the process (SIGKILL: nothing it would write on the way out is wanted). */
  kill(): void;
}

/** Starts a program with an argument array, no shell, and a bounded capture of its error output. */
export function startTool(file: string, args: readonly string[], opts: StartOptions = {}): RunningTool {
  const { signal } = opts;
  signal?.throwIfAborted();
  const child = spawn(file, args, {
    shell: false,
    windowsHide: true,
    stdio: [
      opts.input !== undefined ? 'pipe' : (opts.stdin ?? 'ignore'),
      opts.stdout ?? 'ignore',
      'pipe',
      ...(opts.fd3 ? ['pipe' as const] : []),
    ],
  });
  const fd3 = opts.fd3 ? (child.stdio[3] as Readable) : null;
  const stderrChunks: Buffer[] = [];
  let stderrBytes = 0;
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderrBytes >= MAX_STDERR_BYTES) return;
    const keep = chunk.subarray(0, MAX_STDERR_BYTES - stderrBytes);
    stderrChunks.push(keep);
    stderrBytes += keep.length;
  });
  let timedOut = false;
  let spawnError: NodeJS.ErrnoException | undefined;
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onAbort = (): void => kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    opts.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, opts.timeoutMs)
      : undefined;
  // A stream error (EPIPE when the tool exits before reading all its input) is reported through
  // the exit status instead.
  child.stdin?.on('error', () => undefined);
  child.stdout?.on('error', () => undefined);
  fd3?.on('error', () => undefined);
  const exited = new Promise<ToolExit>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError ??= err;
    });
    child.on('close', (code, killedBy) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const stderr = Buffer.concat(stderrChunks).toString('utf8');
      if (signal?.aborted) return reject(signal.reason);
      if (timedOut)
        return reject(
          new AudioProcessingError(
            'TIMEOUT',
            `The audio tool did not finish within ${Math.round(opts.timeoutMs! / 1000)} seconds`,
            stderr,
          ),
        );
      if (spawnError) {
        return reject(
          spawnError.code === 'ENOENT'
            ? new AudioProcessingError('TOOL_MISSING', `The audio tool ${file} is not installed`)
            : new AudioProcessingError(
                'TOOL_FAILED',
                `The audio tool ${file} could not be started`,
                spawnError.message,
              ),
        );
      }
      resolve({ code, killedBy, stderr });
    });
  });
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  return { child, stdin: child.stdin, stdout: child.stdout, fd3, exited, kill };
}

/** Runs a program to completion, collecting at most `maxStdoutBytes` (default 4 MiB) of its output (more is an error). */
export async function runTool(
  file: string,
  args: readonly string[],
  opts: StartOptions & { maxStdoutBytes?: number } = {},
): Promise<ToolExit & { stdout: string; stdoutBytes: Buffer }> {
  const max = opts.maxStdoutBytes ?? 4 * 1024 * 1024;
  const tool = startTool(file, args, { ...opts, stdout: 'pipe' });
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  tool.stdout!.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) {
      overflow = true;
      tool.kill();
      return;
    }
    chunks.push(chunk);
  });
  const exit = await tool.exited;
  if (overflow) throw new AudioProcessingError('TOOL_FAILED', `The audio tool wrote more than ${max} bytes of output`);
  const stdoutBytes = Buffer.concat(chunks);
  return { ...exit, stdout: stdoutBytes.toString('utf8'), stdoutBytes };
}

/** Fails with TOOL_FAILED unless the tool exited with 0. */
export function assertSucceeded(exit: ToolExit, what: string): void {
  if (exit.code !== 0) {
    throw new AudioProcessingError(
      'TOOL_FAILED',
      `${what} failed`,
      exit.stderr || `exit ${exit.code ?? exit.killedBy}`,
    );
  }
}

/**
 * Reads ffmpeg's `-progress pipe:1` key=value lines and reports `out_time_us` as a fraction of the
 * expected duration (never above 0.99 until the caller reports the end).
 */
export function followProgress(
  stdout: Readable,
  expectedMs: number | undefined,
  onProgress: ((fraction: number) => void) | undefined,
): void {
  let pending = '';
  let last = 0;
  stdout.setEncoding('utf8');
  stdout.on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (pending.length > 4096) pending = '';
    if (!onProgress || !expectedMs) return;
    for (const line of lines) {
      const m = /^out_time_us=(\d+)/.exec(line);
      if (!m) continue;
      const fraction = Math.min(0.99, Number(m[1]) / 1000 / expectedMs);
      if (fraction - last >= 0.01) {
        last = fraction;
        onProgress(fraction);
      }
    }
  });
}

/**
 * The options every ffmpeg and ffprobe run starts with.
 * - `-nostdin`: never read the terminal for interactive commands (stdin is either closed or audio).
 * - `-hide_banner -v error`: only errors on stderr, which is what the decode checks look at.
 */
export const QUIET = ['-nostdin', '-hide_banner', '-v', 'error'] as const;

/**
 * The demuxers a recording may be read with (R-5: MS Teams MP4, browser WebM, dictaphone MP3 / WAV /
 * WMA / DSS / AMR, phone M4A, Ogg). Restricting them keeps ffmpeg's hundreds of other parsers (image
 * sequences, playlists, concat lists that name other files) away from uploaded content. The names are
 * ffmpeg's demuxer names: `mov` is the MP4 / M4A / 3GP family, `matroska` includes WebM.
 */
export const ACCEPTED_DEMUXERS = [
  'wav',
  'mp3',
  'mov',
  'matroska',
  'ogg',
  'aac',
  'flac',
  'asf',
  'amr',
  'dss',
  'aiff',
] as const;

/**
 * Input options for a recording file, then `-i`:
 * - `-protocol_whitelist file`: the input (and anything it refers to) may only be a local file, so
 *   a crafted file cannot make ffmpeg open a network address or another protocol.
 * - `-format_whitelist …`: see ACCEPTED_DEMUXERS.
 * - `file:` and an absolute path: always read as a local file path, even if it contained a colon.
 */
export function recordingInput(filePath: string): string[] {
  return [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    ACCEPTED_DEMUXERS.join(','),
    '-i',
    `file:${path.resolve(filePath)}`,
  ];
}
