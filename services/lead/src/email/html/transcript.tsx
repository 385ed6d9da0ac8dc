import type { LeadEmailView, ViewAttachment, ViewMessage } from '../view.js';
import { Heading, INK, Lines, Link, MUTED, type Palette } from './parts.js';

function Attachment({ attachment, palette, noLink }: { attachment: ViewAttachment; palette: Palette; noLink: string }) {
  const icon = attachment.kind === 'image' ? '📷' : '📄';
  return attachment.href ? (
    <>
      {`${icon}\u00A0`}
      <Link href={attachment.href} style={`color:${palette.accentText};text-decoration:underline;word-break:break-all`}>
        {attachment.name}
      </Link>
    </>
  ) : (
    <>
      {`${icon}\u00A0${attachment.name} `}
      <span style={`color:${MUTED}`}>({noLink})</span>
    </>
  );
}

function Message({ message, view, palette }: { message: ViewMessage; view: TranscriptView; palette: Palette }) {
  const customer = message.role === 'customer';
  const box = customer
    ? `border-left:4px solid ${palette.accent};background-color:${palette.accentTint}`
    : `border-left:4px solid #D1D5DB;background-color:#F9FAFB`;
  return (
    <div style={`margin:0 0 10px;padding:10px 12px;border-radius:6px;${box}`}>
      <div style={`font-size:13px;line-height:18px;font-weight:700;color:${customer ? palette.accentText : MUTED};margin:0 0 2px`}>
        {`${customer ? '👤' : '🤖'} ${message.roleLabel}`}
        {message.when ? (
          <>
            {' '}
            <span style={`font-weight:400;color:${MUTED}`}>· {message.when}</span>
          </>
        ) : null}
      </div>
      <div style={`font-size:16px;line-height:23px;color:${INK};word-wrap:break-word;overflow-wrap:anywhere`}>
        <Lines text={message.text} />
      </div>
      {message.attachments.map((attachment) => (
        <div style="margin:6px 0 0">
          <Attachment attachment={attachment} palette={palette} noLink={view.labels.noLink} />
        </div>
      ))}
    </div>
  );
}

/** What the transcript part needs of a view (the lead email's or a follow-up's). */
type TranscriptView = Pick<LeadEmailView, 'labels' | 'transcript'>;

export function Transcript({ view, palette, title }: { view: TranscriptView; palette: Palette; title?: string }) {
  const { labels, transcript } = view;
  const aside = `${labels.messageCount(transcript.messages.length)} · ${labels.timesIn(transcript.timeZone)}`;
  return (
    <>
      <Heading text={title ?? labels.transcript} palette={palette} aside={aside} />
      {transcript.messages.length === 0 ? (
        <div style={`color:${MUTED}`}>{labels.noMessages}</div>
      ) : (
        transcript.messages.map((message) => <Message message={message} view={view} palette={palette} />)
      )}
    </>
  );
}

export function Attachments({ view, palette }: { view: LeadEmailView; palette: Palette }) {
  return (
    <>
      <Heading text={view.labels.attachments} palette={palette} />
      {view.attachments.map((attachment) => (
        <div style="margin:0 0 10px;font-size:16px;line-height:24px">
          <Attachment attachment={attachment} palette={palette} noLink={view.labels.noLink} />
        </div>
      ))}
    </>
  );
}
