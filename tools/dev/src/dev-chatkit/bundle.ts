import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Where the gateway serves the development ChatKit element (a same-origin script). */
export const DEV_CHATKIT_PATH = '/__dev/chatkit.js';

/** The development `<openai-chatkit>` as one classic script, like the CDN's chatkit.js. */
export async function bundleDevChatKit(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./element.ts', import.meta.url))],
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
