import type { ActionKind, LeadEmailView, ViewAction } from '../view.js';
import { Link, type Palette } from './parts.js';

const ICONS: Record<ActionKind, string> = {
  call: '📞',
  text: '💬',
  email: '✉️',
  page: '🔗',
  conversation: '🧾',
};

function Button({ action, primary, palette }: { action: ViewAction; primary: boolean; palette: Palette }) {
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
  return (
    <Link href={action.href} style={style}>
      {`${ICONS[action.kind]}\u00A0${label}`}
    </Link>
  );
}

const Cell = ({ padding, wide, children }: { padding: string; wide: boolean; children: preact.ComponentChildren }) =>
  wide ? (
    <td colSpan={2} style={`padding:${padding};vertical-align:top`}>
      {children}
    </td>
  ) : (
    <td width="50%" style={`padding:${padding};vertical-align:top`}>
      {children}
    </td>
  );

/**
 * Quick actions as a table of big buttons: "Call" full width (the main thing staff do), the
 * others two per row. Tables keep the grid in every client; each button is a >=48px tap target.
 */
export function Actions({ view, palette }: { view: Pick<LeadEmailView, 'actions'>; palette: Palette }) {
  const [first, ...rest] = view.actions;
  const callFirst = first !== undefined && first.kind === 'call';
  const secondary = callFirst ? rest : view.actions;
  const rows: preact.JSX.Element[] = [];
  if (callFirst) {
    rows.push(
      <tr>
        <Cell padding="0 0 10px" wide>
          <Button action={first} primary palette={palette} />
        </Cell>
      </tr>,
    );
  }
  for (let i = 0; i < secondary.length; i += 2) {
    const left = secondary[i];
    const right = secondary[i + 1];
    if (!left) break;
    rows.push(
      right ? (
        <tr>
          <Cell padding="0 5px 10px 0" wide={false}>
            <Button action={left} primary={false} palette={palette} />
          </Cell>
          <Cell padding="0 0 10px 5px" wide={false}>
            <Button action={right} primary={false} palette={palette} />
          </Cell>
        </tr>
      ) : (
        <tr>
          <Cell padding="0 0 10px" wide>
            <Button action={left} primary={false} palette={palette} />
          </Cell>
        </tr>
      ),
    );
  }
  return (
    <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="width:100%;border-collapse:collapse">
      {rows}
    </table>
  );
}
