import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { readStore } from '@lead-intake/dev-tools/ses/start-ses';
import { defaultShopProfilePath, loadShopProfile } from '@lead-intake/shared';
import { startLeadEnv, SENDER, waitFor, type LeadEnv } from './harness.js';

let env: LeadEnv;
beforeAll(async () => {
  const shop = await loadShopProfile(defaultShopProfilePath);
  env = await startLeadEnv({
    overrides: { mail: { from: SENDER, to: ['shop@rosewood.example'], shopLanguage: 'en', visitorRecap: true }, shop },
  });
});
afterAll(async () => {
  await env.close();
});

describe('visitor recap (opt-in)', () => {
  it('when enabled and the customer gave an email, then the customer gets one thank-you in their language, replying to the shop', async () => {
    const stamp = Date.now().toString(36);
    const threadId = `cthr_recap_${stamp}`;
    const customer = `lucia.${stamp}@example.com`;
    await env.seed(
      chatThread(threadId, [
        userMessage(`Hola, el asiento del conductor de mi Toyota Corolla 2014 está roto. Soy Lucía, mi correo es ${customer}`),
        assistantMessage('¡Claro! El taller le contactará pronto.'),
      ]),
    );
    await env.trigger({ threadId, reason: 'idle', locale: 'es' });
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);

    const recap = await waitFor(async () => (await readStore(env.sesEndpoint)).find((email) => email.destination.to.includes(customer)));
    expect(recap.subject).toMatch(/^Gracias por contactar a /);
    expect(recap.replyTo).toEqual(['hello@rosewood-upholstery.example']);
    expect(recap.body.html).toContain('href="tel:+14085550142"');
    expect(recap.subject).not.toContain(threadId);
    expect((await readStore(env.sesEndpoint)).filter((email) => email.destination.to.includes(customer))).toHaveLength(1);
  });
});
