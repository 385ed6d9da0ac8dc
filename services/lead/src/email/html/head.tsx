import { INK, type Palette } from './parts.js';

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/** The MJML head every shop email shares: title, preview text, fonts and text defaults, link color. */
export function EmailHead({ title, preview, palette }: { title: string; preview: string; palette: Palette }) {
  return (
    <mj-head>
      <mj-title>{title}</mj-title>
      <mj-preview>{preview}</mj-preview>
      <mj-attributes>
        <mj-all font-family={FONT} />
        <mj-text font-size="16px" line-height="24px" color={INK} padding="0px" />
        <mj-column padding="0px" />
      </mj-attributes>
      <mj-style>{`a { color: ${palette.accentText}; }`}</mj-style>
    </mj-head>
  );
}
