/**
 * The MJML 4 tags the lead emails use, as JSX elements (preact renders them like any custom
 * element). Attribute values are strings; preact-render-to-string escapes them, like all text.
 */
import 'preact';

type MjAttributeName =
  | 'align'
  | 'background-color'
  | 'border-left'
  | 'border-top'
  | 'color'
  | 'font-family'
  | 'font-size'
  | 'font-weight'
  | 'href'
  | 'lang'
  | 'line-height'
  | 'padding'
  | 'width';

type MjAttributes = Partial<Record<MjAttributeName, string>> & { children?: preact.ComponentChildren };

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      mjml: MjAttributes;
      'mj-head': MjAttributes;
      'mj-title': MjAttributes;
      'mj-preview': MjAttributes;
      'mj-attributes': MjAttributes;
      'mj-all': MjAttributes;
      'mj-style': MjAttributes;
      'mj-body': MjAttributes;
      'mj-section': MjAttributes;
      'mj-column': MjAttributes;
      'mj-text': MjAttributes;
      'mj-button': MjAttributes;
    }
  }
}
