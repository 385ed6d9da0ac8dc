/**
 * The launcher's speech bubble, inline SVG: drawn with the text colour, no emoji font needed
 * (an emoji is a missing glyph where none is installed). Its tail points the way text runs, so
 * panel.css mirrors it on right-to-left pages. Static markup, no input: safe as HTML.
 */
export const LAUNCHER_ICON =
  '<svg class="chat-launcher-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">' +
  '<path d="M4 5.5A1.5 1.5 0 0 1 5.5 4h13A1.5 1.5 0 0 1 20 5.5v9a1.5 1.5 0 0 1-1.5 1.5H10l-4.5 4v-4A1.5 1.5 0 0 1 4 14.5z" ' +
  'fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>';
