import type { Command } from 'commander';
import type { RewrapPlan, RewrapSummary } from '../../app/blobs/key-custody.ts';
import {
  generateIdentity,
  identityToRecipient,
  loadIdentityFile,
  writeIdentityFile,
} from '../../infra/crypto/age/index.ts';
import { type CommandContext, withServices } from '../context.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { type CliIo, plural } from '../io.ts';

/**
 * `cpcr recording-key rotate | retire`: moving the encrypted files (recordings, their copies, issued
 * documents) to a new age identity without re-encrypting them. See README, "Rotating the
 * recordings key".
 */

function report(io: CliIo, summary: RewrapSummary): void {
  const c = summary.counts;
  io.out(
    [
      `Rewrote the header of ${plural(c.rewrapped, 'encrypted file')} (payloads unchanged); ${c.unchanged} already addressed to the current keys.`,
      ...(summary.resumed ? [`Finished ${plural(summary.resumed, 'rewrite')} an interrupted run had left.`] : []),
      ...(c['not-encrypted'] ? [`${plural(c['not-encrypted'], 'stored file')} not encrypted, left as it is.`] : []),
      ...(c.unrecorded
        ? [`${plural(c.unrecorded, 'stored file')} not yet recorded (an upload under way): run this again later.`]
        : []),
    ].join('\n') + '\n',
  );
}

function unreadable(summary: RewrapSummary, what: string): CommandFailed {
  return new CommandFailed(
    [
      `${plural(summary.unreadable.length, 'encrypted file')} could not be opened with ${what}, so they were left as they are:`,
      ...summary.unreadable.map((key) => `  ${key}`),
      'Run `cpcr fixity verify` to see which recordings they belong to. Nothing has been retired.',
    ].join('\n'),
  );
}

async function identityFile(file: string): Promise<string[]> {
  const loaded = await loadIdentityFile(file);
  if (loaded === null)
    throw new UsageError(`There is no recordings identity file at ${file} (RECORDING_IDENTITY_FILE)`);
  return loaded.identities;
}

async function rewrap(c: CommandContext, plan: RewrapPlan): Promise<RewrapSummary> {
  return c.services.keyCustody.rewrapAll(plan, c.ctx);
}

export function registerRecordingKey(program: Command, io: CliIo): void {
  const key = program
    .command('recording-key')
    .description('Rotate the age key that recordings and documents are encrypted to, without re-encrypting them');

  key
    .command('rotate')
    .description('Add a new recordings key and re-address every encrypted file to it (and, until retired, the old)')
    .addHelpText(
      'after',
      [
        '',
        'The first run adds a new identity at the top of RECORDING_IDENTITY_FILE (the old one stays below it) and',
        'rewrites the header of every encrypted file so that either identity opens it; the encrypted content after',
        'the header is not changed. Back the new identity up offline at once. Restart the service so new files are',
        'encrypted to the new key too, then run this again: it only touches files not yet re-addressed. A run that',
        'stops part-way is finished by the next. Every rewrite is audited and fixity checks stay valid.',
      ].join('\n'),
    )
    .action(async () => {
      await withServices(io, async (c) => {
        const { recordingIdentityFile: file, recordingRecoveryRecipient: recovery } = c.services.config;
        let identities = await identityFile(file);
        if (identities.length === 1) {
          const fresh = generateIdentity();
          const now = c.services.clock.now().toISOString();
          await writeIdentityFile(file, [
            { identity: fresh.identity, note: `current: added ${now} by cpcr recording-key rotate` },
            { identity: identities[0]!, note: `retiring: replaced ${now}; remove with cpcr recording-key retire` },
          ]);
          await c.services.keyCustody.recordIdentityChange(c.ctx, 'added', fresh.recipient);
          identities = [fresh.identity, identities[0]!];
          io.out(`Added a new recordings key to ${file}: ${fresh.recipient}\n`);
          io.out('Back the new identity up offline now (see README, "Where the keys live").\n');
        } else {
          io.out(`Continuing the rotation to ${identityToRecipient(identities[0]!)}.\n`);
        }
        const summary = await rewrap(c, {
          phase: 'rotate',
          identities,
          recipients: [...identities.map(identityToRecipient), ...(recovery ? [recovery] : [])],
        });
        report(io, summary);
        if (summary.unreadable.length) throw unreadable(summary, 'any key in the identity file');
        io.out(
          'Restart the service so new files are encrypted to the new key, run `cpcr recording-key rotate` again, and\n' +
            'retire the old key with `cpcr recording-key retire` once the new one is backed up.\n',
        );
      });
    });

  key
    .command('retire')
    .description('Remove every key but the current one from the encrypted files and from the identity file')
    .addHelpText(
      'after',
      [
        '',
        'Rewrites the header of every encrypted file so that only the current identity (the first in the file) and',
        'the recovery recipient, if configured, open it, then leaves only the current identity in the file. Refuses,',
        'changing no key, while any encrypted file cannot be opened with the current identity. Restart the service',
        'afterwards and run this again: it removes the old key from files written before the restart.',
      ].join('\n'),
    )
    .action(async () => {
      await withServices(io, async (c) => {
        const { recordingIdentityFile: file, recordingRecoveryRecipient: recovery } = c.services.config;
        const identities = await identityFile(file);
        const current = identities[0]!;
        const summary = await rewrap(c, {
          phase: 'retire',
          identities,
          recipients: [identityToRecipient(current), ...(recovery ? [recovery] : [])],
        });
        report(io, summary);
        if (summary.unreadable.length) throw unreadable(summary, 'any key in the identity file');
        if (identities.length > 1) {
          const now = c.services.clock.now().toISOString();
          await writeIdentityFile(file, [{ identity: current, note: `current: old keys retired ${now}` }]);
          for (const old of identities.slice(1))
            await c.services.keyCustody.recordIdentityChange(c.ctx, 'retired', identityToRecipient(old));
          io.out(
            `Retired ${plural(identities.length - 1, 'old key')}: ${file} now holds only ${identityToRecipient(current)}.\n` +
              'Restart the service, then run `cpcr recording-key retire` again for files written before the restart.\n' +
              'Keep the old key’s offline backup until every backup of the file store made before today has expired.\n',
          );
        } else {
          io.out(`Every encrypted file is addressed to ${identityToRecipient(current)} alone.\n`);
        }
      });
    });
}
