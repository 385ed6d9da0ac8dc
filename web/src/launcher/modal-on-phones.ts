/**
 * On phones the chat panel covers the whole page (panel.css: full screen up to 640 px wide), so
 * there it is a modal dialog: while it is open, everything else on the page is `inert` and
 * `aria-modal` is set, and Tab (or a screen reader) cannot walk to the page hidden behind it. On
 * wider screens the panel floats beside the page, which stays usable.
 */
const PHONE_LAYOUT = '(max-width: 640px)';

export interface ModalOnPhones {
  opened(): void;
  closed(): void;
}

export function modalOnPhones(panel: HTMLElement): ModalOnPhones {
  const phone = matchMedia(PHONE_LAYOUT);
  let open = false;
  let madeInert: HTMLElement[] = [];

  const apply = () => {
    for (const element of madeInert) element.inert = false;
    madeInert = [];
    panel.removeAttribute('aria-modal');
    if (!open || !phone.matches) return;
    panel.setAttribute('aria-modal', 'true');
    // Everything beside the panel and beside each of its ancestors, up to <body>.
    for (let node: HTMLElement = panel; node !== document.body && node.parentElement; node = node.parentElement) {
      for (const sibling of node.parentElement.children) {
        if (sibling === node || !(sibling instanceof HTMLElement) || sibling.inert) continue;
        sibling.inert = true;
        madeInert.push(sibling);
      }
    }
  };
  // A phone turned sideways may cross the breakpoint while the chat is open.
  phone.addEventListener('change', apply);

  return {
    opened: () => {
      open = true;
      apply();
    },
    closed: () => {
      open = false;
      apply();
    },
  };
}
