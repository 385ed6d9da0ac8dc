import type { LeadEmailView, ViewAttachment } from './view.js';

/** The text/plain part: the same facts as the HTML, in the same order, readable in any client. */

const section = (title: string, body: string[]): string[] =>
  body.length === 0 ? [] : ['', title.toUpperCase(), '-'.repeat(Math.min(40, Array.from(title).length)), ...body];

const indent = (text: string, prefix = '  '): string =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

const attachmentLine = (attachment: ViewAttachment, noLink: string): string =>
  `${attachment.kind === 'image' ? '[photo]' : '[file]'} ${attachment.name}: ${attachment.href ?? `(${noLink})`}`;

/** The transcript as text: a count and time-zone note, then each message under its role and time. */
export function renderTranscriptLines(view: Pick<LeadEmailView, 'labels' | 'transcript'>): string[] {
  const { labels, transcript } = view;
  const lines =
    transcript.messages.length === 0
      ? [labels.noMessages]
      : transcript.messages.flatMap((message) => [
          `[${message.roleLabel.toUpperCase()}]${message.when ? ` ${message.when}` : ''}`,
          indent(message.text),
          ...message.attachments.map((attachment) => `  ${attachmentLine(attachment, labels.noLink)}`),
          '',
        ]);
  return [`(${labels.messageCount(transcript.messages.length)} · ${labels.timesIn(transcript.timeZone)})`, '', ...lines];
}

export function renderText(view: LeadEmailView): string {
  const { labels, contact, summary } = view;
  const out: string[] = [`${labels.newLead} · ${view.shopName}`, view.headline];
  if (view.need) out.push(view.need);

  if (view.degraded) {
    out.push('', `*** ${labels.summaryUnavailable.toUpperCase()} ***`, labels.degradedBannerBody);
    if (view.degraded.reason) out.push(view.degraded.reason);
  }

  out.push(
    ...section(
      labels.quickActions,
      view.actions.map((action) => `${action.label}: ${action.plain}`),
    ),
  );

  const contactLines: string[] = [];
  if (contact.name) contactLines.push(`${labels.name}: ${contact.name}`);
  for (const phone of contact.phones) contactLines.push(`${labels.phone}: ${phone.display}`);
  for (const email of contact.emails) contactLines.push(`${labels.emailAddress}: ${email.address}`);
  if (contact.phones.length === 0 && contact.emails.length === 0) contactLines.push(labels.noContact);
  if (contact.page) contactLines.push(`${labels.page}: ${contact.page.href}`);
  if (contact.pageLanguage) contactLines.push(`${labels.pageLanguage}: ${contact.pageLanguage}`);
  if (contact.started) contactLines.push(`${labels.started}: ${contact.started}`);
  contactLines.push(`${labels.trigger}: ${contact.trigger}`, `${labels.thread}: ${contact.threadId}`);
  out.push(...section(labels.contact, contactLines));

  if (summary) {
    const lines: string[] = [
      `${summary.ready ? labels.handoffReady : labels.handoffNotReady}${summary.readyReason ? ` – ${summary.readyReason}` : ''}`,
    ];
    if (summary.internalSummary) lines.push('', summary.internalSummary);
    if (summary.vehicle) lines.push('', `${labels.vehicle}: ${summary.vehicle}`);
    if (summary.projectDetails) lines.push('', `${labels.projectDetails}:`, indent(summary.projectDetails));
    if (summary.nextSteps.length > 0) {
      lines.push('', `${labels.nextSteps}:`, ...summary.nextSteps.map((step, i) => `  ${i + 1}. ${step}`));
    }
    if (summary.followUpQuestions.length > 0) {
      lines.push('', `${labels.followUpQuestions}:`, ...summary.followUpQuestions.map((question) => `  - ${question}`));
    }
    if (summary.missingInfo.length > 0) {
      lines.push('', `${labels.missingInfo}:`, ...summary.missingInfo.map((item) => `  - ${item}`));
    }
    out.push(...section(labels.summary, lines));
    out.push(
      ...section(
        labels.callScript,
        summary.callScript.map((prompt, i) => `${i + 1}. ${prompt}`),
      ),
    );
    if (summary.outreach) {
      const language = summary.outreach.language ? [`(${labels.outreachIn(summary.outreach.language)})`, ''] : [];
      out.push(...section(labels.outreachDraft, [...language, summary.outreach.text]));
    }
  }

  out.push(...section(labels.transcript, renderTranscriptLines(view)));
  out.push(
    ...section(
      labels.attachments,
      view.attachments.map((a) => attachmentLine(a, labels.noLink)),
    ),
  );

  out.push('', '--', labels.footer(view.shopName));
  if (view.replyTo) out.push(labels.replyHint);
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
