/** Small colour maths for the shop's accent colour (#RRGGBB). */

type Rgb = [number, number, number];

const toRgb = (hex: string): Rgb => [
  Number.parseInt(hex.slice(1, 3), 16),
  Number.parseInt(hex.slice(3, 5), 16),
  Number.parseInt(hex.slice(5, 7), 16),
];

const toHex = (rgb: Rgb): string => `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`.toUpperCase();

function luminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export const textOn = (background: string): string =>
  contrast(background, '#FFFFFF') >= contrast(background, '#111827') ? '#FFFFFF' : '#111827';

/** `color` mixed with white; amount 0 = color, 1 = white. */
export function tint(color: string, amount: number): string {
  const rgb = toRgb(color);
  return toHex(rgb.map((channel) => channel + (255 - channel) * amount) as Rgb);
}

/** The accent when it is readable as text on white, else a dark fallback. */
export const accentAsText = (accent: string): string => (contrast(accent, '#FFFFFF') >= 4.5 ? accent : '#1F2937');
