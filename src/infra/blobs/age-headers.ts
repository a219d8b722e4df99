import type { AgeHeaders } from '../../app/blobs/key-custody.ts';
import { ageHeaderLength, identityToRecipient, inspectHeader, rewrapHeader } from '../crypto/age/index.ts';

/** The age v1 header operations behind key rotation (src/infra/crypto/age/rewrap.ts). */
export function ageHeaders(): AgeHeaders {
  return {
    recipientOf: (identity) => identityToRecipient(identity),
    headerLength: (prefix) => ageHeaderLength(prefix),
    inspect(header, identities) {
      const { opens, recipientStanzas } = inspectHeader(header, identities);
      return { opens, recipientStanzas };
    },
    rewrap: (header, identities, recipients) => rewrapHeader(header, { identities, recipients }),
  };
}
