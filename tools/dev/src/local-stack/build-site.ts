/**
 * Builds the site for the local stack with `npm run build -w web`, the same build production
 * uses, with local build config: same-origin /api through the gateway, no domain key (ChatKit
 * skips domain verification on localhost), and the ChatKit runtime this machine can load.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DEV_CHATKIT_PATH } from '../dev-chatkit/bundle.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const CDN_RUNTIME = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';

export interface SiteBuild {
  outDir: string;
  runtime: 'cdn' | 'development';
}

export async function buildSiteForLocalStack(options: {
  outDir: string;
  siteOrigin: string;
  /** The real runtime (OpenAI's CDN) needs a real OpenAI key behind it and the network. */
  realRuntime: boolean;
  extraEnv?: Record<string, string>;
  quiet?: boolean;
}): Promise<SiteBuild> {
  const runtimeUrls = options.realRuntime ? [CDN_RUNTIME, DEV_CHATKIT_PATH] : [DEV_CHATKIT_PATH];
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=lead-intake-source', 'web/scripts/build.ts'], {
    cwd: root,
    stdio: options.quiet ? ['ignore', 'ignore', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      WEB_OUT_DIR: options.outDir,
      WEB_SITE_ORIGIN: options.siteOrigin,
      WEB_API_BASE: '',
      WEB_CHATKIT_DOMAIN_KEY: '',
      WEB_CHATKIT_RUNTIME_URLS: runtimeUrls.join(','),
      ...options.extraEnv,
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`web build failed (${code}): ${stderr.trim()}`);
  return { outDir: options.outDir, runtime: options.realRuntime ? 'cdn' : 'development' };
}
