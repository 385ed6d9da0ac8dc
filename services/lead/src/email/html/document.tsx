import { accentAsText, textOn, tint } from '../colors.js';
import type { LeadEmailView } from '../view.js';
import { Actions } from './actions.js';
import { Contact } from './contact.js';
import { EmailHead } from './head.js';
import { Card, Lines, MUTED, PAGE_BG, type Palette } from './parts.js';
import { CallScript, Outreach, Summary } from './summary.js';
import { Attachments, Transcript } from './transcript.js';

function Header({ view, palette }: { view: LeadEmailView; palette: Palette }) {
  return (
    <mj-section background-color={palette.accent} padding="22px 20px 20px">
      <mj-column>
        <mj-text color={palette.onAccent}>
          <div style="font-size:13px;line-height:18px;letter-spacing:0.06em;text-transform:uppercase;opacity:0.9">{`${view.labels.newLead} · ${view.shopName}`}</div>
          <div style="font-size:26px;line-height:32px;font-weight:700;margin:6px 0 0">{view.headline}</div>
          {view.need ? <div style="font-size:17px;line-height:24px;margin:4px 0 0">{view.need}</div> : null}
        </mj-text>
      </mj-column>
    </mj-section>
  );
}

function DegradedBanner({ view, reason }: { view: LeadEmailView; reason: string | null }) {
  const title = view.labels.summaryUnavailable.charAt(0).toUpperCase() + view.labels.summaryUnavailable.slice(1);
  return (
    <mj-section background-color="#FEF3C7" padding="14px 20px" border-left="6px solid #D97706">
      <mj-column>
        <mj-text color="#78350F">
          <div style="font-size:18px;line-height:24px;font-weight:700">{`⚠️ ${title}`}</div>
          <div style="margin:4px 0 0;font-size:15px;line-height:22px">{view.labels.degradedBannerBody}</div>
          {reason ? <div style="margin:6px 0 0;font-size:14px;line-height:20px">{reason}</div> : null}
        </mj-text>
      </mj-column>
    </mj-section>
  );
}

function Footer({ view }: { view: LeadEmailView }) {
  const lines = [
    view.labels.footer(view.shopName),
    view.replyTo ? view.labels.replyHint : null,
    `${view.labels.thread}: ${view.contact.threadId}`,
  ];
  return (
    <mj-section padding="16px 20px 28px">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color={MUTED} align="center">
          <Lines text={lines.filter((line): line is string => line !== null).join('\n')} />
        </mj-text>
      </mj-column>
    </mj-section>
  );
}

/** The whole lead email as MJML: header, banner, actions, contact, summary parts, transcript, files. */
export function LeadEmailDocument({ view }: { view: LeadEmailView }) {
  const palette: Palette = {
    accent: view.accent,
    onAccent: textOn(view.accent),
    accentText: accentAsText(view.accent),
    accentTint: tint(view.accent, 0.92),
  };
  const { summary } = view;
  return (
    <mjml lang={view.labels.language}>
      <EmailHead title={view.subject} preview={view.preheader} palette={palette} />
      <mj-body width="600px" background-color={PAGE_BG}>
        <Header view={view} palette={palette} />
        {view.degraded ? <DegradedBanner view={view} reason={view.degraded.reason} /> : null}
        {view.actions.length > 0 ? (
          <Card padding="16px 20px 6px">
            <Actions view={view} palette={palette} />
          </Card>
        ) : null}
        <Card>
          <Contact view={view} palette={palette} />
        </Card>
        {summary ? (
          <Card>
            <Summary summary={summary} view={view} palette={palette} />
          </Card>
        ) : null}
        {summary && summary.callScript.length > 0 ? (
          <Card>
            <CallScript prompts={summary.callScript} view={view} palette={palette} />
          </Card>
        ) : null}
        {summary?.outreach ? (
          <Card>
            <Outreach outreach={summary.outreach} view={view} palette={palette} />
          </Card>
        ) : null}
        <Card padding="18px 16px 10px">
          <Transcript view={view} palette={palette} />
        </Card>
        {view.attachments.length > 0 ? (
          <Card>
            <Attachments view={view} palette={palette} />
          </Card>
        ) : null}
        <Footer view={view} />
      </mj-body>
    </mjml>
  );
}
