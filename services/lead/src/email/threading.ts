/**
 * RFC 5322 threading for the shop's emails. SES replaces any Message-ID we set with its own, so
 * the lead email also carries a stable reference of ours in `References`; follow-ups answer the
 * lead email's SES Message-ID (when SES confirmed it) and repeat our reference, so mail clients
 * thread them under the lead email either way.
 */
function threadReference(threadId: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).replace(/[^A-Za-z0-9.-]/g, '') || 'lead.invalid';
  return `<lead.${threadId.replace(/[^A-Za-z0-9_-]/g, '')}@${domain}>`;
}

export interface Threading {
  inReplyTo: string | null;
  references: string[];
}

/** The lead email's headers: our reference only. */
export const leadThreading = (threadId: string, fromAddress: string): Threading => ({
  inReplyTo: null,
  references: [threadReference(threadId, fromAddress)],
});

/** A follow-up's: in reply to the lead email (its SES Message-ID when known), both references. */
export function followUpThreading(threadId: string, fromAddress: string, leadMessageIdHeader: string | null): Threading {
  const ours = threadReference(threadId, fromAddress);
  return {
    inReplyTo: leadMessageIdHeader ?? ours,
    references: leadMessageIdHeader ? [ours, leadMessageIdHeader] : [ours],
  };
}
