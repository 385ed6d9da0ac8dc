/**
 * Small building blocks of the lead email's HTML. Everything is JSX rendered by
 * preact-render-to-string, which escapes every text child and attribute value: no string from
 * the view can become markup. Hrefs come from the view (built by us or validated http(s)).
 */
import type { ComponentChildren } from 'preact';

export const PAGE_BG = '#F3F4F6';
export const INK = '#111827';
export const MUTED = '#6B7280';
export const RULE = '#E5E7EB';

export interface Palette {
  accent: string;
  onAccent: string;
  accentText: string;
  accentTint: string;
}

/** Multi-line text: each line break becomes a `<br />`. */
export function Lines({ text }: { text: string }) {
  const lines = text.split('\n');
  return <>{lines.map((line, index) => (index === 0 ? line : [<br key={index} />, line]))}</>;
}

export const Link = ({ href, style, children }: { href: string; style: string; children: ComponentChildren }) => (
  <a href={href} target="_blank" rel="noopener noreferrer" style={style}>
    {children}
  </a>
);

export function Heading({ text, palette, aside }: { text: string; palette: Palette; aside?: string | undefined }) {
  return (
    <div
      style={`font-size:13px;line-height:18px;font-weight:700;letter-spacing:0.06em;text-transform:uppercase;color:${palette.accentText};margin:0 0 10px`}
    >
      {text}
      {aside ? (
        <>
          {' '}
          <span style={`font-weight:400;text-transform:none;letter-spacing:0;color:${MUTED}`}>· {aside}</span>
        </>
      ) : null}
    </div>
  );
}

/** A white card: one full-width section, separated from the previous one by page background. */
export const Card = ({ padding = '18px 20px', children }: { padding?: string; children: ComponentChildren }) => (
  <mj-section background-color="#FFFFFF" padding={padding} border-top={`8px solid ${PAGE_BG}`}>
    <mj-column>
      <mj-text>{children}</mj-text>
    </mj-column>
  </mj-section>
);

export const Field = ({ label, children }: { label: string; children: ComponentChildren }) => (
  <div style="margin:0 0 12px">
    <div style={`font-size:13px;line-height:18px;color:${MUTED}`}>{label}</div>
    <div style="font-size:17px;line-height:24px">{children}</div>
  </div>
);

export function List({ items, ordered }: { items: readonly string[]; ordered: boolean }) {
  const children = items.map((item) => <li style="margin:0 0 6px">{item}</li>);
  const style = 'margin:0 0 14px;padding:0 0 0 22px';
  return ordered ? <ol style={style}>{children}</ol> : <ul style={style}>{children}</ul>;
}

export const Subheading = ({ text }: { text: string }) => (
  <div style={`font-size:14px;line-height:20px;font-weight:700;margin:0 0 4px;color:${INK}`}>{text}</div>
);
