import mjml2html from 'mjml';
import { accentAsText, textOn, tint } from './colors.js';
import { escapeHtml as esc, escapeHtmlMultiline as escLines } from './sanitize.js';
import type { ActionKind, LeadEmailView, ViewAction, ViewAttachment, ViewMessage } from './view.js';

/**
 * The HTML part, written in MJML (responsive tables, inline styles) and compiled once per email.
 * MJML does NOT escape anything: every value from the view goes through `esc`/`escLines` right
 * where it is interpolated, attributes included. Hrefs come from the view (built or validated).
 */

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const PAGE_BG = '#F3F4F6';
const INK = '#111827';
const MUTED = '#6B7280';
const RULE = '#E5E7EB';

const ICONS: Record<ActionKind, string> = {
  call: '📞',
  text: '💬',
  email: '✉️',
  page: '🔗',
  conversation: '🧾',
};

interface Palette {
  accent: string;
  onAccent: string;
  accentText: string;
  accentTint: string;
}

const link = (href: string, text: string, style: string): string =>
  `<a href="${esc(href)}" target="_blank" rel="noopener noreferrer" style="${style}">${text}</a>`;

function heading(text: string, palette: Palette, aside?: string): string {
  const extra = aside
    ? ` <span style="font-weight:400;text-transform:none;letter-spacing:0;color:${MUTED}">· ${esc(aside)}</span>`
    : '';
  return `<div style="font-size:13px;line-height:18px;font-weight:700;letter-spacing:0.06em;text-transform:uppercase;color:${palette.accentText};margin:0 0 10px">${esc(text)}${extra}</div>`;
}

/** A white card: one full-width section, separated from the previous one by page background. */
const card = (content: string, padding = '18px 20px'): string => `
    <mj-section background-color="#FFFFFF" padding="${padding}" border-top="8px solid ${PAGE_BG}">
      <mj-column>
        <mj-text>${content}</mj-text>
      </mj-column>
    </mj-section>`;

function field(label: string, valueHtml: string): string {
  return `<div style="margin:0 0 12px"><div style="font-size:13px;line-height:18px;color:${MUTED}">${esc(label)}</div><div style="font-size:17px;line-height:24px">${valueHtml}</div></div>`;
}

const list = (items: string[], ordered: boolean): string => {
  const tag = ordered ? 'ol' : 'ul';
  const lis = items.map((item) => `<li style="margin:0 0 6px">${esc(item)}</li>`).join('');
  return `<${tag} style="margin:0 0 14px;padding:0 0 0 22px">${lis}</${tag}>`;
};

function subheading(text: string): string {
  return `<div style="font-size:14px;line-height:20px;font-weight:700;margin:0 0 4px;color:${INK}">${esc(text)}</div>`;
}

/**
 * Quick actions as a table of big buttons: "Call" full width (the main thing staff do), the
 * others two per row. Tables keep the grid in every client; each button is a >=48px tap target.
 */
function actionsHtml(view: LeadEmailView, palette: Palette): string {
  const button = (action: ViewAction, primary: boolean): string => {
    const style = [
      'display:block',
      'text-align:center',
      primary ? 'padding:14px 12px' : 'padding:12px 8px',
      'border-radius:10px',
      `border:2px solid ${palette.accent}`,
      `background-color:${primary ? palette.accent : '#FFFFFF'}`,
      `color:${primary ? palette.onAccent : palette.accentText}`,
      primary ? 'font-size:18px' : 'font-size:16px',
      'line-height:20px',
      'font-weight:700',
      'text-decoration:none',
    ].join(';');
    const label = action.kind === 'call' ? `${action.label} ${action.plain}` : action.label;
    return link(action.href, `${ICONS[action.kind]}&nbsp;${esc(label)}`, style);
  };
  const cell = (content: string, padding: string, colspan = 1): string =>
    `<td${colspan > 1 ? ` colspan="${colspan}"` : ' width="50%"'} style="padding:${padding};vertical-align:top">${content}</td>`;
  const [first, ...rest] = view.actions;
  const rows: string[] = [];
  const secondary = first && first.kind === 'call' ? rest : view.actions;
  if (first && first.kind === 'call') rows.push(`<tr>${cell(button(first, true), '0 0 10px', 2)}</tr>`);
  for (let i = 0; i < secondary.length; i += 2) {
    const left = secondary[i];
    const right = secondary[i + 1];
    if (!left) break;
    rows.push(
      right
        ? `<tr>${cell(button(left, false), '0 5px 10px 0')}${cell(button(right, false), '0 0 10px 5px')}</tr>`
        : `<tr>${cell(button(left, false), '0 0 10px', 2)}</tr>`,
    );
  }
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse">${rows.join('')}</table>`;
}

function attachmentHtml(attachment: ViewAttachment, palette: Palette, noLink: string): string {
  const icon = attachment.kind === 'image' ? '📷' : '📄';
  const name = esc(attachment.name);
  return attachment.href
    ? `${icon}&nbsp;${link(attachment.href, name, `color:${palette.accentText};text-decoration:underline;word-break:break-all`)}`
    : `${icon}&nbsp;${name} <span style="color:${MUTED}">(${esc(noLink)})</span>`;
}

function messageHtml(message: ViewMessage, view: LeadEmailView, palette: Palette): string {
  const customer = message.role === 'customer';
  const box = customer
    ? `border-left:4px solid ${palette.accent};background-color:${palette.accentTint}`
    : `border-left:4px solid #D1D5DB;background-color:#F9FAFB`;
  const who = customer ? `👤 ${esc(message.roleLabel)}` : `🤖 ${esc(message.roleLabel)}`;
  const when = message.when ? ` <span style="font-weight:400;color:${MUTED}">· ${esc(message.when)}</span>` : '';
  const files = message.attachments
    .map((attachment) => `<div style="margin:6px 0 0">${attachmentHtml(attachment, palette, view.labels.noLink)}</div>`)
    .join('');
  return `<div style="margin:0 0 10px;padding:10px 12px;border-radius:6px;${box}">
<div style="font-size:13px;line-height:18px;font-weight:700;color:${customer ? palette.accentText : MUTED};margin:0 0 2px">${who}${when}</div>
<div style="font-size:16px;line-height:23px;color:${INK};word-wrap:break-word;overflow-wrap:anywhere">${escLines(message.text)}</div>${files}
</div>`;
}

function headerHtml(view: LeadEmailView): string {
  const kicker = `${view.labels.newLead} · ${view.shopName}`;
  const need = view.need ? `<div style="font-size:17px;line-height:24px;margin:4px 0 0">${esc(view.need)}</div>` : '';
  return `<div style="font-size:13px;line-height:18px;letter-spacing:0.06em;text-transform:uppercase;opacity:0.9">${esc(kicker)}</div>
<div style="font-size:26px;line-height:32px;font-weight:700;margin:6px 0 0">${esc(view.headline)}</div>${need}`;
}

function contactHtml(view: LeadEmailView, palette: Palette): string {
  const { contact, labels } = view;
  const linkStyle = `color:${palette.accentText};font-weight:600;text-decoration:none;display:inline-block;padding:4px 0`;
  const parts: string[] = [heading(labels.contact, palette)];
  if (contact.name) parts.push(field(labels.name, esc(contact.name)));
  for (const phone of contact.phones) {
    parts.push(field(labels.phone, phone.href ? link(phone.href, esc(phone.display), linkStyle) : esc(phone.display)));
  }
  for (const email of contact.emails) {
    parts.push(
      field(labels.emailAddress, email.href ? link(email.href, esc(email.address), `${linkStyle};word-break:break-all`) : esc(email.address)),
    );
  }
  if (contact.phones.length === 0 && contact.emails.length === 0) {
    parts.push(`<div style="margin:0 0 12px;color:${MUTED}">${esc(labels.noContact)}</div>`);
  }
  if (contact.page) {
    parts.push(field(labels.page, link(contact.page.href, esc(contact.page.display), `${linkStyle};word-break:break-all`)));
  }
  const meta = [
    contact.pageLanguage ? `${labels.pageLanguage}: ${contact.pageLanguage}` : null,
    contact.started ? `${labels.started}: ${contact.started}` : null,
    `${labels.trigger}: ${contact.trigger}`,
    `${labels.thread}: ${contact.threadId}`,
  ].filter((line): line is string => line !== null);
  parts.push(
    `<div style="font-size:13px;line-height:20px;color:${MUTED};word-break:break-all">${meta.map(esc).join('<br />')}</div>`,
  );
  return parts.join('\n');
}

function summaryHtml(view: LeadEmailView, palette: Palette): string {
  const summary = view.summary;
  if (!summary) return '';
  const { labels } = view;
  const pillColors = summary.ready ? 'background-color:#DCFCE7;color:#166534' : 'background-color:#FEF3C7;color:#92400E';
  const pill = `<div style="margin:0 0 14px"><span style="display:inline-block;padding:4px 10px;border-radius:12px;font-size:13px;line-height:18px;font-weight:700;${pillColors}">${esc(summary.ready ? `✓ ${labels.handoffReady}` : `⏳ ${labels.handoffNotReady}`)}</span>${
    summary.readyReason ? `<div style="margin:6px 0 0;font-size:14px;line-height:20px;color:${MUTED}">${esc(summary.readyReason)}</div>` : ''
  }</div>`;
  const parts: string[] = [heading(labels.summary, palette), pill];
  if (summary.internalSummary) parts.push(`<div style="margin:0 0 14px">${escLines(summary.internalSummary)}</div>`);
  if (summary.vehicle) parts.push(field(labels.vehicle, esc(summary.vehicle)));
  if (summary.projectDetails) parts.push(field(labels.projectDetails, escLines(summary.projectDetails)));
  if (summary.nextSteps.length > 0) parts.push(subheading(labels.nextSteps), list(summary.nextSteps, true));
  if (summary.followUpQuestions.length > 0) {
    parts.push(subheading(labels.followUpQuestions), list(summary.followUpQuestions, false));
  }
  if (summary.missingInfo.length > 0) {
    const chips = summary.missingInfo
      .map(
        (item) =>
          `<span style="display:inline-block;margin:0 6px 6px 0;padding:3px 10px;border-radius:12px;background-color:#FEF3C7;color:#92400E;font-size:14px;line-height:20px">${esc(item)}</span>`,
      )
      .join('');
    parts.push(subheading(labels.missingInfo), `<div style="margin:0 0 4px">${chips}</div>`);
  }
  return parts.join('\n');
}

function callScriptHtml(view: LeadEmailView, palette: Palette): string {
  const prompts = view.summary?.callScript ?? [];
  if (prompts.length === 0) return '';
  const rows = prompts
    .map(
      (prompt, index) =>
        `<tr><td style="width:34px;vertical-align:top;padding:0 0 10px"><span style="display:inline-block;width:26px;height:26px;border-radius:13px;background-color:${palette.accent};color:${palette.onAccent};font-size:14px;line-height:26px;font-weight:700;text-align:center">${index + 1}</span></td><td style="vertical-align:top;padding:1px 0 10px;font-size:16px;line-height:23px">${esc(prompt)}</td></tr>`,
    )
    .join('');
  return `${heading(view.labels.callScript, palette)}<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse">${rows}</table>`;
}

function outreachHtml(view: LeadEmailView, palette: Palette): string {
  const outreach = view.summary?.outreach;
  if (!outreach) return '';
  const language = outreach.language ? view.labels.outreachIn(outreach.language) : undefined;
  return `${heading(view.labels.outreachDraft, palette, language)}
<div style="padding:12px 14px;border:1px solid ${RULE};border-radius:6px;background-color:#F9FAFB;font-size:16px;line-height:24px">${escLines(outreach.text)}</div>
<div style="margin:8px 0 0;font-size:13px;line-height:18px;color:${MUTED}">${esc(view.labels.outreachHint)}</div>`;
}

function transcriptHtml(view: LeadEmailView, palette: Palette): string {
  const { labels, transcript } = view;
  const aside = `${labels.messageCount(transcript.messages.length)} · ${labels.timesIn(transcript.timeZone)}`;
  const body =
    transcript.messages.length === 0
      ? `<div style="color:${MUTED}">${esc(labels.noMessages)}</div>`
      : transcript.messages.map((message) => messageHtml(message, view, palette)).join('\n');
  return `${heading(labels.transcript, palette, aside)}\n${body}`;
}

function attachmentsHtml(view: LeadEmailView, palette: Palette): string {
  if (view.attachments.length === 0) return '';
  const items = view.attachments
    .map((attachment) => `<div style="margin:0 0 10px;font-size:16px;line-height:24px">${attachmentHtml(attachment, palette, view.labels.noLink)}</div>`)
    .join('');
  return `${heading(view.labels.attachments, palette)}${items}`;
}

function degradedHtml(view: LeadEmailView): string {
  if (!view.degraded) return '';
  const reason = view.degraded.reason
    ? `<div style="margin:6px 0 0;font-size:14px;line-height:20px">${esc(view.degraded.reason)}</div>`
    : '';
  return `
    <mj-section background-color="#FEF3C7" padding="14px 20px" border-left="6px solid #D97706">
      <mj-column>
        <mj-text color="#78350F"><div style="font-size:18px;line-height:24px;font-weight:700">⚠️ ${esc(view.labels.summaryUnavailable.charAt(0).toUpperCase() + view.labels.summaryUnavailable.slice(1))}</div>
<div style="margin:4px 0 0;font-size:15px;line-height:22px">${esc(view.labels.degradedBannerBody)}</div>${reason}</mj-text>
      </mj-column>
    </mj-section>`;
}

function footerHtml(view: LeadEmailView): string {
  const lines = [view.labels.footer(view.shopName), view.replyTo ? view.labels.replyHint : null, `${view.labels.thread}: ${view.contact.threadId}`]
    .filter((line): line is string => line !== null)
    .map(esc)
    .join('<br />');
  return `
    <mj-section padding="16px 20px 28px">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color="${MUTED}" align="center">${lines}</mj-text>
      </mj-column>
    </mj-section>`;
}

/** Builds the MJML source (exported for tests and debugging). */
export function buildLeadEmailMjml(view: LeadEmailView): string {
  const palette: Palette = {
    accent: view.accent,
    onAccent: textOn(view.accent),
    accentText: accentAsText(view.accent),
    accentTint: tint(view.accent, 0.92),
  };
  const sections = [
    `
    <mj-section background-color="${palette.accent}" padding="22px 20px 20px">
      <mj-column>
        <mj-text color="${palette.onAccent}">${headerHtml(view)}</mj-text>
      </mj-column>
    </mj-section>`,
    degradedHtml(view),
    view.actions.length > 0 ? card(actionsHtml(view, palette), '16px 20px 6px') : '',
    card(contactHtml(view, palette)),
    view.summary ? card(summaryHtml(view, palette)) : '',
    view.summary?.callScript.length ? card(callScriptHtml(view, palette)) : '',
    view.summary?.outreach ? card(outreachHtml(view, palette)) : '',
    card(transcriptHtml(view, palette), '18px 16px 10px'),
    view.attachments.length > 0 ? card(attachmentsHtml(view, palette)) : '',
    footerHtml(view),
  ];
  return `<mjml lang="${esc(view.labels.language)}">
  <mj-head>
    <mj-title>${esc(view.subject)}</mj-title>
    <mj-preview>${esc(view.preheader)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONT}" />
      <mj-text font-size="16px" line-height="24px" color="${INK}" padding="0px" />
      <mj-column padding="0px" />
    </mj-attributes>
    <mj-style>
      a { color: ${palette.accentText}; }
    </mj-style>
  </mj-head>
  <mj-body width="600px" background-color="${PAGE_BG}">${sections.join('')}
  </mj-body>
</mjml>`;
}

export class LeadEmailTemplateError extends Error {
  override readonly name = 'LeadEmailTemplateError';
}

/** Compiles the view to HTML. Throws {@link LeadEmailTemplateError} if our MJML is invalid. */
export function renderHtml(view: LeadEmailView): string {
  let result: ReturnType<typeof mjml2html>;
  try {
    result = mjml2html(buildLeadEmailMjml(view), {
      validationLevel: 'strict',
      keepComments: false,
      ignoreIncludes: true,
      fonts: {},
    });
  } catch (error) {
    throw new LeadEmailTemplateError(`Lead email template could not be compiled: ${String(error)}`, { cause: error });
  }
  if (result.errors.length > 0) {
    throw new LeadEmailTemplateError(
      `Lead email template is invalid MJML: ${result.errors.map((error) => error.formattedMessage).join('; ')}`,
    );
  }
  return result.html;
}
