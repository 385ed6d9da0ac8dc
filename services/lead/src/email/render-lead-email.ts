import { renderHtml } from './render-html.js';
import { renderText } from './render-text.js';
import type { LeadEmailInput, RenderedEmail } from './types.js';
import { buildView } from './view.js';

/**
 * Renders the shop's lead email: subject, HTML (MJML), plain text and Reply-To. Pure: no I/O,
 * no clock. `summary: null` renders the degraded email (banner, contact, transcript).
 */
export function renderLeadEmail(input: LeadEmailInput): RenderedEmail {
  const view = buildView(input);
  return {
    subject: view.subject,
    html: renderHtml(view),
    text: renderText(view),
    replyTo: view.replyTo,
  };
}
