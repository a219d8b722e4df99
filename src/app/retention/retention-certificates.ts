/** The certificate of a finished destruction: what, when, who proposed and approved, and the SHA-256s. */
import type { Actor } from '../../domain/access/roles.ts';
import { RECORD_KIND_SINGULAR, requireRetentionOfficer } from '../../domain/retention/schedules.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { DisposalCertificate } from './ports.ts';
import { PROPOSAL_SUBJECT, type RetentionServiceDeps, allowed } from './retention-access.ts';

export function proposalReference(n: number): string {
  return `DP-${String(n).padStart(4, '0')}`;
}

/** Certificates: one use case a method, called through RetentionService. */
export class RetentionCertificatesUseCases {
  private readonly deps: RetentionServiceDeps;

  constructor(deps: RetentionServiceDeps) {
    this.deps = deps;
  }

  /** The certificate of a finished destruction: what, when, who proposed and approved, and the SHA-256s. Audited. */
  async certificate(actor: Actor, id: string, ctx: RequestContext): Promise<DisposalCertificate> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.certificate-viewed', {
      type: PROPOSAL_SUBJECT,
      id,
    });
    return this.deps.uow.run(async (r) => {
      const p = await r.retention.findProposal(id);
      if (!p || p.state !== 'destroyed' || !p.approvedAt || !p.completedAt || !p.approvedByName)
        throw new NotFoundError('The disposal certificate');
      const items = await r.retention.proposalItems(id);
      await r.audit.record({
        action: 'retention.certificate-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: PROPOSAL_SUBJECT, id },
        outcome: 'success',
      });
      return {
        proposalId: p.id,
        number: p.number,
        reference: proposalReference(p.number),
        proposedByName: p.proposedByName,
        proposedAt: p.proposedAt,
        approvedByName: p.approvedByName,
        approvedAt: p.approvedAt,
        completedAt: p.completedAt,
        schedules: p.schedules,
        destroyed: items
          .filter((i) => i.state === 'destroyed' && i.evidence && i.destroyedAt)
          .map((i) => ({
            kind: i.kind,
            what: RECORD_KIND_SINGULAR[i.kind],
            itemId: i.itemId,
            dueOn: i.dueOn,
            destroyedAt: i.destroyedAt!,
            evidence: i.evidence!,
          })),
        keptOnHold: items
          .filter((i) => i.state === 'held')
          .map((i) => ({ kind: i.kind, what: RECORD_KIND_SINGULAR[i.kind], itemId: i.itemId })),
      };
    });
  }

  async certificatePdf(
    actor: Actor,
    id: string,
    ctx: RequestContext,
  ): Promise<{ bytes: Uint8Array; fileName: string }> {
    const certificate = await this.certificate(actor, id, ctx);
    return {
      bytes: await this.deps.pdf.render(certificate),
      fileName: `disposal-certificate-${certificate.reference}.pdf`,
    };
  }
}
