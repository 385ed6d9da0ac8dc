export { renderLeadEmail } from './render-lead-email.js';
export { degradedReasonText } from './labels.js';
export { SUBJECT_MAX_LENGTH, type LeadEmailInput } from './types.js';
export { renderVisitorRecap } from './visitor-recap.js';
export { renderFollowUpEmail } from './render-follow-up.js';
