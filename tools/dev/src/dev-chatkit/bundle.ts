import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Where the gateway serves the development ChatKit element (a same-origin script). */
export const DEV_CHATKIT_PATH = '/__dev/chatkit.js';

/**
 * The element's module next to this one: its TypeScript source when run from src/ (tsx), the
 * JavaScript `npm run build` emits into dist/ otherwise.
 */
const elementModule = new URL(import.meta.url.endsWith('.ts') ? './element.ts' : './element.js', import.meta.url);

/** The development `<openai-chatkit>` as one classic script, like the CDN's chatkit.js. */
export async function bundleDevChatKit(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(elementModule)],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    minify: false,
    legalComments: 'none',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no development ChatKit bundle');
  return output.text;
}
