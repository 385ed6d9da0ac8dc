export { renderLeadEmail } from './render-lead-email.js';
export { LeadEmailTemplateError, buildLeadEmailMjml } from './render-html.js';
export { buildView, type LeadEmailView } from './view.js';
export { LEAD_EMAIL_LANGUAGES, degradedReasonText, labelsFor, type LeadEmailLabels } from './labels.js';
export { escapeHtml, isPlainEmailAddress, safeHttpUrl, singleLine } from './sanitize.js';
export { mailtoHref, conversationHref, CONVERSATION_URL_PLACEHOLDER, smsHref, telHref } from './links.js';
export { formatPhone } from './format.js';
export {
  SUBJECT_MAX_LENGTH,
  type LeadEmailInput,
  type LeadEmailTrigger,
  type RenderedEmail,
} from './types.js';
export { renderVisitorRecap, type VisitorRecap } from './visitor-recap.js';
