/**
 * A partner's page on another origin that embeds the shop's `widget.js`, as another site of the
 * business would: `npm run dev` serves one (`DEV_EMBED_PORT`), the browser tests two (an allowed
 * origin and a refused one). `?locale=es` picks the widget's language.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbedDemo {
  url: string;
  close(): Promise<void>;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startEmbedDemo(options: {
  /** 0 = a free port. */
  port: number;
  /** Where the site (and its widget.js) is served, e.g. http://localhost:5000. */
  siteUrl: string;
  /** The widget's language unless the page is asked for another (`?locale=`). */
  locale?: string;
}): Promise<EmbedDemo> {
  const server = createServer((req, res) => {
    const asked = new URL(req.url ?? '/', 'http://embed.local').searchParams.get('locale') ?? '';
    const locale = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(asked) ? asked : (options.locale ?? 'en');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner site</title></head>
<body><main><h1>A partner site</h1><p>This page is on another origin and embeds the shop's chat with one script tag.</p></main>
<script type="module" src="${escapeHtml(options.siteUrl)}/widget.js" data-locale="${escapeHtml(locale)}"></script></body></html>`);
  });
  server.listen(options.port, '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`port ${options.port} is in use: set DEV_EMBED_PORT to another port`, { cause: error });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
