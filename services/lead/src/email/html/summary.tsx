import type { LeadEmailView, ViewSummary } from '../view.js';
import { Field, Heading, Lines, List, MUTED, RULE, Subheading, type Palette } from './parts.js';

const CHIP =
  'display:inline-block;margin:0 6px 6px 0;padding:3px 10px;border-radius:12px;background-color:#FEF3C7;color:#92400E;font-size:14px;line-height:20px';

function ReadyPill({ summary, view }: { summary: ViewSummary; view: LeadEmailView }) {
  const { labels } = view;
  const colors = summary.ready ? 'background-color:#DCFCE7;color:#166534' : 'background-color:#FEF3C7;color:#92400E';
  return (
    <div style="margin:0 0 14px">
      <span style={`display:inline-block;padding:4px 10px;border-radius:12px;font-size:13px;line-height:18px;font-weight:700;${colors}`}>
        {summary.ready ? `✓ ${labels.handoffReady}` : `⏳ ${labels.handoffNotReady}`}
      </span>
      {summary.readyReason ? (
        <div style={`margin:6px 0 0;font-size:14px;line-height:20px;color:${MUTED}`}>{summary.readyReason}</div>
      ) : null}
    </div>
  );
}

export function Summary({ summary, view, palette }: { summary: ViewSummary; view: LeadEmailView; palette: Palette }) {
  const { labels } = view;
  return (
    <>
      <Heading text={labels.summary} palette={palette} />
      <ReadyPill summary={summary} view={view} />
      {summary.internalSummary ? (
        <div style="margin:0 0 14px">
          <Lines text={summary.internalSummary} />
        </div>
      ) : null}
      {summary.vehicle ? <Field label={labels.vehicle}>{summary.vehicle}</Field> : null}
      {summary.projectDetails ? (
        <Field label={labels.projectDetails}>
          <Lines text={summary.projectDetails} />
        </Field>
      ) : null}
      {summary.nextSteps.length > 0 ? (
        <>
          <Subheading text={labels.nextSteps} />
          <List items={summary.nextSteps} ordered />
        </>
      ) : null}
      {summary.followUpQuestions.length > 0 ? (
        <>
          <Subheading text={labels.followUpQuestions} />
          <List items={summary.followUpQuestions} ordered={false} />
        </>
      ) : null}
      {summary.missingInfo.length > 0 ? (
        <>
          <Subheading text={labels.missingInfo} />
          <div style="margin:0 0 4px">
            {summary.missingInfo.map((item) => (
              <span style={CHIP}>{item}</span>
            ))}
          </div>
        </>
      ) : null}
    </>
  );
}

export function CallScript({ prompts, view, palette }: { prompts: readonly string[]; view: LeadEmailView; palette: Palette }) {
  const badge = `display:inline-block;width:26px;height:26px;border-radius:13px;background-color:${palette.accent};color:${palette.onAccent};font-size:14px;line-height:26px;font-weight:700;text-align:center`;
  return (
    <>
      <Heading text={view.labels.callScript} palette={palette} />
      <table role="presentation" cellPadding="0" cellSpacing="0" style="width:100%;border-collapse:collapse">
        {prompts.map((prompt, index) => (
          <tr>
            <td style="width:34px;vertical-align:top;padding:0 0 10px">
              <span style={badge}>{index + 1}</span>
            </td>
            <td style="vertical-align:top;padding:1px 0 10px;font-size:16px;line-height:23px">{prompt}</td>
          </tr>
        ))}
      </table>
    </>
  );
}

export function Outreach({
  outreach,
  view,
  palette,
}: {
  outreach: NonNullable<ViewSummary['outreach']>;
  view: LeadEmailView;
  palette: Palette;
}) {
  const language = outreach.language ? view.labels.outreachIn(outreach.language) : undefined;
  return (
    <>
      <Heading text={view.labels.outreachDraft} palette={palette} aside={language} />
      <div style={`padding:12px 14px;border:1px solid ${RULE};border-radius:6px;background-color:#F9FAFB;font-size:16px;line-height:24px`}>
        <Lines text={outreach.text} />
      </div>
      <div style={`margin:8px 0 0;font-size:13px;line-height:18px;color:${MUTED}`}>{view.labels.outreachHint}</div>
    </>
  );
}
