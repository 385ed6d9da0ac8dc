/**
 * The launcher's speech bubble, inline SVG: drawn in the text colour, no emoji font needed (an
 * emoji is a missing glyph where none is installed). Its tail points the way text runs, so
 * panel.css mirrors it on right-to-left pages. As markup for the pages the build renders, and as
 * an element for widget.js (built with DOM calls: a host page may forbid HTML strings through
 * Trusted Types).
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_ATTRIBUTES = {
  class: 'chat-launcher-icon',
  viewBox: '0 0 24 24',
  width: '22',
  height: '22',
  'aria-hidden': 'true',
  focusable: 'false',
};
const PATH_ATTRIBUTES = {
  d: 'M4 5.5A1.5 1.5 0 0 1 5.5 4h13A1.5 1.5 0 0 1 20 5.5v9a1.5 1.5 0 0 1-1.5 1.5H10l-4.5 4v-4A1.5 1.5 0 0 1 4 14.5z',
  fill: 'none',
  stroke: 'currentColor',
  'stroke-width': '2',
  'stroke-linejoin': 'round',
};

const markupAttributes = (attributes: Record<string, string>) =>
  Object.entries(attributes)
    .map(([name, value]) => `${name}="${value}"`)
    .join(' ');

/** Static markup (no input reaches it). */
export const LAUNCHER_ICON_MARKUP = `<svg ${markupAttributes(SVG_ATTRIBUTES)}><path ${markupAttributes(PATH_ATTRIBUTES)}/></svg>`;

export function launcherIconElement(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [name, value] of Object.entries(SVG_ATTRIBUTES)) svg.setAttribute(name, value);
  const path = document.createElementNS(SVG_NS, 'path');
  for (const [name, value] of Object.entries(PATH_ATTRIBUTES)) path.setAttribute(name, value);
  svg.append(path);
  return svg;
}
