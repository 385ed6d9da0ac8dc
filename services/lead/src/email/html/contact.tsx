import type { LeadEmailView } from '../view.js';
import { Field, Heading, Lines, Link, MUTED, type Palette } from './parts.js';

type Phones = LeadEmailView['contact']['phones'];
type Emails = LeadEmailView['contact']['emails'];

/** Phone numbers and email addresses as fields, each a tel: / mailto: link where it has one. */
export function ContactFields({
  phones,
  emails,
  labels,
  linkStyle,
}: {
  phones: Phones;
  emails: Emails;
  labels: LeadEmailView['labels'];
  linkStyle: string;
}) {
  return (
    <>
      {phones.map((phone) => (
        <Field label={labels.phone}>
          {phone.href ? (
            <Link href={phone.href} style={linkStyle}>
              {phone.display}
            </Link>
          ) : (
            phone.display
          )}
        </Field>
      ))}
      {emails.map((email) => (
        <Field label={labels.emailAddress}>
          {email.href ? (
            <Link href={email.href} style={`${linkStyle};word-break:break-all`}>
              {email.address}
            </Link>
          ) : (
            email.address
          )}
        </Field>
      ))}
    </>
  );
}

export function Contact({ view, palette }: { view: LeadEmailView; palette: Palette }) {
  const { contact, labels } = view;
  const linkStyle = `color:${palette.accentText};font-weight:600;text-decoration:none;display:inline-block;padding:4px 0`;
  const meta = [
    contact.pageLanguage ? `${labels.pageLanguage}: ${contact.pageLanguage}` : null,
    contact.started ? `${labels.started}: ${contact.started}` : null,
    `${labels.trigger}: ${contact.trigger}`,
    `${labels.thread}: ${contact.threadId}`,
  ].filter((line): line is string => line !== null);
  return (
    <>
      <Heading text={labels.contact} palette={palette} />
      {contact.name ? <Field label={labels.name}>{contact.name}</Field> : null}
      <ContactFields phones={contact.phones} emails={contact.emails} labels={labels} linkStyle={linkStyle} />
      {contact.phones.length === 0 && contact.emails.length === 0 ? (
        <div style={`margin:0 0 12px;color:${MUTED}`}>{labels.noContact}</div>
      ) : null}
      {contact.page ? (
        <Field label={labels.page}>
          <Link href={contact.page.href} style={`${linkStyle};word-break:break-all`}>
            {contact.page.display}
          </Link>
        </Field>
      ) : null}
      <div style={`font-size:13px;line-height:20px;color:${MUTED};word-break:break-all`}>
        <Lines text={meta.join('\n')} />
      </div>
    </>
  );
}
