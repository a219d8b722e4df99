import { describe, expect, it } from 'vitest';
import { AudioProcessingError } from './errors.ts';
import { MAX_STDERR_BYTES, recordingInput, runTool, startTool } from './tools.ts';

const node = process.execPath;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('running the audio tools', () => {
  it('passes arguments as they are, never through a shell', async () => {
    const result = await runTool('/bin/echo', ['$(id)', '; ls', '`whoami`', '&& rm -rf /tmp/nothing']);
    expect(result.stdout).toBe('$(id) ; ls `whoami` && rm -rf /tmp/nothing\n');
  });

  it('keeps only the start of a flood of error output, and still lets the tool finish', async () => {
    const result = await runTool(
      node,
      ['-e', "for (let i = 0; i < 2000; i++) process.stderr.write('x'.repeat(1000) + '\\n')"],
      { timeoutMs: 30_000 },
    );
    expect(result.code).toBe(0);
    expect(result.stderr.length).toBe(MAX_STDERR_BYTES);
  });

  it('refuses more output than allowed', async () => {
    await expect(
      runTool(node, ['-e', "process.stdout.write('y'.repeat(100000))"], { maxStdoutBytes: 1000 }),
    ).rejects.toMatchObject({ code: 'TOOL_FAILED' });
  });

  it('says TOOL_MISSING for a program that is not installed', async () => {
    const err = await runTool('/usr/bin/no-such-audio-tool', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioProcessingError);
    expect((err as AudioProcessingError).code).toBe('TOOL_MISSING');
  });

  it('kills the tool on abort and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const tool = startTool('/bin/sleep', ['30'], { signal: controller.signal });
    const pid = tool.child.pid!;
    setTimeout(() => controller.abort(), 50);
    await expect(tool.exited).rejects.toMatchObject({ name: 'AbortError' });
    expect(alive(pid)).toBe(false);
  });

  it('kills the tool on time-out and says TIMEOUT', async () => {
    const tool = startTool('/bin/sleep', ['30'], { timeoutMs: 100 });
    const pid = tool.child.pid!;
    await expect(tool.exited).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(alive(pid)).toBe(false);
  });

  it('does not start at all when the signal is already aborted', () => {
    expect(() => startTool('/bin/sleep', ['30'], { signal: AbortSignal.abort() })).toThrow();
  });

  it('names every recording as an absolute local file, whatever characters the path holds', () => {
    const args = recordingInput('relative/odd:name');
    expect(args.at(-1)).toBe(`file:${process.cwd()}/relative/odd:name`);
    expect(args).toContain('-protocol_whitelist');
    expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
    expect(args[args.indexOf('-format_whitelist') + 1]).not.toMatch(/image2|concat|hls|png/);
  });
});
