import { accentAsText, textOn, tint } from '../colors.js';
import type { FollowUpView } from '../follow-up-view.js';
import { Actions } from './actions.js';
import { ContactFields } from './contact.js';
import { EmailHead } from './head.js';
import { Card, Lines, MUTED, PAGE_BG, type Palette } from './parts.js';
import { Transcript } from './transcript.js';

function NewContact({ view, palette }: { view: FollowUpView; palette: Palette }) {
  const { labels, newContact } = view;
  const linkStyle = `color:${palette.accentText};font-weight:700;text-decoration:none;display:inline-block;padding:4px 0`;
  return (
    <mj-section background-color="#FEF9C3" padding="14px 20px" border-left="6px solid #CA8A04" border-top={`8px solid ${PAGE_BG}`}>
      <mj-column>
        <mj-text color="#713F12">
          <div style="font-size:13px;line-height:18px;font-weight:700;letter-spacing:0.06em;text-transform:uppercase;margin:0 0 8px">{`★ ${labels.newContact}`}</div>
          <ContactFields phones={newContact.phones} emails={newContact.emails} labels={labels} linkStyle={linkStyle} />
        </mj-text>
      </mj-column>
    </mj-section>
  );
}

/** The follow-up as MJML: header, new contact details (highlighted), actions, the new messages. */
export function FollowUpDocument({ view }: { view: FollowUpView }) {
  const palette: Palette = {
    accent: view.accent,
    onAccent: textOn(view.accent),
    accentText: accentAsText(view.accent),
    accentTint: tint(view.accent, 0.92),
  };
  const hasNewContact = view.newContact.phones.length + view.newContact.emails.length > 0;
  return (
    <mjml lang={view.labels.language}>
      <EmailHead title={view.subject} preview={view.preheader} palette={palette} />
      <mj-body width="600px" background-color={PAGE_BG}>
        <mj-section background-color={palette.accent} padding="18px 20px 16px">
          <mj-column>
            <mj-text color={palette.onAccent}>
              <div style="font-size:13px;line-height:18px;letter-spacing:0.06em;text-transform:uppercase;opacity:0.9">{`${view.labels.followUp} · ${view.shopName}`}</div>
              <div style="font-size:22px;line-height:28px;font-weight:700;margin:6px 0 0">{view.headline}</div>
            </mj-text>
          </mj-column>
        </mj-section>
        {hasNewContact ? <NewContact view={view} palette={palette} /> : null}
        {view.actions.length > 0 ? (
          <Card padding="16px 20px 6px">
            <Actions view={view} palette={palette} />
          </Card>
        ) : null}
        <Card padding="18px 16px 10px">
          <Transcript view={view} palette={palette} title={view.labels.newMessages} />
          <div style={`font-size:13px;line-height:20px;color:${MUTED}`}>{view.labels.earlierInLeadEmail}</div>
        </Card>
        <mj-section padding="16px 20px 28px">
          <mj-column>
            <mj-text font-size="12px" line-height="18px" color={MUTED} align="center">
              <Lines
                text={[
                  view.labels.footer(view.shopName),
                  view.replyTo ? view.labels.replyHint : null,
                  `${view.labels.thread}: ${view.threadId}`,
                ]
                  .filter((line): line is string => line !== null)
                  .join('\n')}
              />
            </mj-text>
          </mj-column>
        </mj-section>
      </mj-body>
    </mjml>
  );
}
