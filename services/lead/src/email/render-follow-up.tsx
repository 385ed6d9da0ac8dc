import { buildFollowUpView, type FollowUpEmailInput } from './follow-up-view.js';
import { compileMjml } from './html/compile.js';
import { FollowUpDocument } from './html/follow-up-document.js';
import type { RenderedEmail } from './types.js';
import { renderTranscriptLines } from './render-text.js';

/** The follow-up's plain-text part: the same facts as its HTML, in the same order. */
function renderFollowUpText(view: ReturnType<typeof buildFollowUpView>): string {
  const { labels } = view;
  const out: string[] = [`${labels.followUp} · ${view.shopName}`, view.headline];
  const fresh = [
    ...view.newContact.phones.map((phone) => `${labels.phone}: ${phone.display}`),
    ...view.newContact.emails.map((email) => `${labels.emailAddress}: ${email.address}`),
  ];
  if (fresh.length > 0) out.push('', `*** ${labels.newContact.toUpperCase()} ***`, ...fresh);
  if (view.actions.length > 0) {
    out.push('', labels.quickActions.toUpperCase(), ...view.actions.map((action) => `${action.label}: ${action.plain}`));
  }
  out.push('', labels.newMessages.toUpperCase(), ...renderTranscriptLines(view), labels.earlierInLeadEmail);
  out.push('', '--', labels.footer(view.shopName));
  if (view.replyTo) out.push(labels.replyHint);
  out.push(`${labels.thread}: ${view.threadId}`);
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Renders the follow-up email (subject `Re: <lead subject>`, HTML, text, Reply-To). Pure. */
export function renderFollowUpEmail(input: FollowUpEmailInput): RenderedEmail & { newCount: number } {
  const view = buildFollowUpView(input);
  return {
    subject: view.subject,
    html: compileMjml(<FollowUpDocument view={view} />, 'Follow-up email'),
    text: renderFollowUpText(view),
    replyTo: view.replyTo,
    newCount: view.newCount,
  };
}
