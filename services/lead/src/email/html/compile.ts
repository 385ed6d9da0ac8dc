import mjml2html from 'mjml';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

class LeadEmailTemplateError extends Error {
  override readonly name = 'LeadEmailTemplateError';
}

/**
 * Renders an MJML document built with JSX (every value escaped by preact-render-to-string) and
 * compiles it to email HTML. Throws {@link LeadEmailTemplateError} if our MJML is invalid.
 */
export function compileMjml(document: VNode, what: string): string {
  let result: ReturnType<typeof mjml2html>;
  try {
    result = mjml2html(render(document), { validationLevel: 'strict', keepComments: false, ignoreIncludes: true, fonts: {} });
  } catch (error) {
    throw new LeadEmailTemplateError(`${what} template could not be compiled: ${String(error)}`, { cause: error });
  }
  if (result.errors.length > 0) {
    throw new LeadEmailTemplateError(
      `${what} template is invalid MJML: ${result.errors.map((error) => error.formattedMessage).join('; ')}`,
    );
  }
  return result.html;
}
