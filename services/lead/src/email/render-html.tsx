import { compileMjml } from './html/compile.js';
import { LeadEmailDocument } from './html/document.js';
import type { LeadEmailView } from './view.js';

/**
 * The HTML part: MJML (responsive tables, inline styles) written as JSX in `html/`, so every
 * value from the view is escaped where it lands (docs/decisions/0005-email-template.md).
 */
export const renderHtml = (view: LeadEmailView): string => compileMjml(<LeadEmailDocument view={view} />, 'Lead email');
