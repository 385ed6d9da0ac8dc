/**
 * Types for the MJML 4 API we use. `@types/mjml` follows MJML 5 (whose `mjml2html` returns a
 * Promise); MJML 4's is synchronous, so we declare the small surface we call ourselves.
 */
declare module 'mjml' {
  interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    keepComments?: boolean;
    beautify?: boolean;
    minify?: boolean;
    fonts?: Record<string, string>;
    filePath?: string;
    ignoreIncludes?: boolean;
  }
  interface MjmlResult {
    html: string;
    errors: MjmlError[];
  }
  function mjml2html(input: string, options?: MjmlOptions): MjmlResult;
  export default mjml2html;
}
