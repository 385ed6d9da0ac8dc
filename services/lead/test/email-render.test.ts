import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultShopProfilePath, loadShopProfile, type ShopProfile } from '@lead-intake/shared';
import { parseDocument } from 'htmlparser2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadSummary } from '@lead-intake/shared/api';
import type { Transcript, TranscriptMessage } from '../src/domain/transcript.js';
import { SUBJECT_MAX_LENGTH, renderLeadEmail, type LeadEmailInput } from '../src/email/index.js';

// 2026-03-03 16:05:00 America/Los_Angeles (PST) = 2026-03-04T00:05:00Z
const T0 = Date.UTC(2026, 2, 4, 0, 5, 0) / 1000;

let shop: ShopProfile;
beforeAll(async () => {
  shop = await loadShopProfile(defaultShopProfilePath);
});

const message = (
  role: TranscriptMessage['role'],
  text: string,
  offsetSeconds: number,
  attachments: TranscriptMessage['attachments'] = [],
): TranscriptMessage => ({
  id: `msg_${offsetSeconds}_${role}`,
  role,
  text,
  createdAt: T0 + offsetSeconds,
  attachments,
});

const transcript = (messages: TranscriptMessage[]): Transcript => ({
  threadId: 'cthr_abc',
  title: null,
  user: 'anon_12345678',
  createdAt: T0,
  version: messages.filter((message) => message.role === 'customer').length,
  messages,
});

const OUTREACH_ES =
  'Hola Maria, gracias por contactar a Rosewood Auto Upholstery. ¿Podría enviarnos una foto del asiento? Le llamamos mañana & confirmamos la cita.';

const summary = (overrides: Partial<LeadSummary> = {}): LeadSummary => ({
  handoff_ready: true,
  handoff_reason: 'Customer gave a phone, an email and a concrete job.',
  missing_info: ['photo of the damage'],
  customer_name: 'Maria Lopez',
  internal_summary: 'Maria wants the torn driver seat bolster of her 2018 Honda Civic repaired, leather to match.',
  project_details: 'seat repair',
  vehicle: '2018 Honda Civic',
  next_steps: ['Call Maria before noon', 'Quote leather bolster repair'],
  follow_up_questions: ['Is the foam damaged too?', 'Original grey leather?'],
  call_script_prompts: [
    'Hi Maria, this is Rosewood about your Civic seat.',
    'Can you describe the tear size?',
    'When could you bring the car in?',
  ],
  customer_language: 'es',
  outreach_message: OUTREACH_ES,
  ...overrides,
});

const fullInput = (overrides: Partial<LeadEmailInput> = {}): LeadEmailInput => ({
  shop,
  threadId: 'cthr_abc',
  transcript: transcript([
    message('assistant', 'Hi! How can we help with your vehicle today?', 0),
    message('customer', 'Hola, el asiento del conductor de mi Civic 2018 está roto.\nMe llamo Maria Lopez.', 40, [
      { name: 'seat.jpg', mimeType: 'image/jpeg', url: 'https://files.example/seat.jpg?sig=a&b=1', kind: 'image' },
    ]),
    message('assistant', '¡Gracias Maria! ¿Cuál es su teléfono o correo?', 55),
    message('customer', 'Mi teléfono es 408-555-0199 y mi correo maria.lopez@example.com', 90),
  ]),
  contact: { emails: ['maria.lopez@example.com'], phones: ['+14085550199'] },
  summary: summary(),
  pageUrl: 'https://rosewood-upholstery.example/es/servicios?ref=chat&x=1',
  trigger: 'auto',
  locale: 'es-MX',
  shopLanguage: 'en',
  conversationUrlTemplate: 'https://console.example/chatThreads/{threadId}?project=p',
  ...overrides,
});

/** Every element of the compiled HTML as { name, attribs }, parsed with a real HTML parser. */
function elements(html: string): { name: string; attribs: Record<string, string> }[] {
  const out: { name: string; attribs: Record<string, string> }[] = [];
  const walk = (node: unknown): void => {
    const element = node as { type?: string; name?: string; attribs?: Record<string, string>; children?: unknown[] };
    if (element.type === 'tag' || element.type === 'script' || element.type === 'style') {
      out.push({ name: element.name ?? '', attribs: element.attribs ?? {} });
    }
    for (const child of element.children ?? []) walk(child);
  };
  walk(parseDocument(html));
  return out;
}

const hrefs = (html: string): string[] =>
  elements(html)
    .filter((element) => element.name === 'a')
    .map((element) => element.attribs.href ?? '');

/** Visible text of the HTML with tags removed and entities decoded by the parser. */
function visibleText(html: string): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    const n = node as { type?: string; data?: string; name?: string; children?: unknown[] };
    if (n.type === 'text' && n.data) parts.push(n.data);
    if (n.type === 'style' || n.type === 'script' || n.name === 'title') return;
    for (const child of n.children ?? []) walk(child);
  };
  walk(parseDocument(html, { decodeEntities: true }));
  return parts.join(' ').replace(/\s+/g, ' ');
}

describe('renderLeadEmail', () => {
  it('when a full lead is rendered, then subject, reply-to and quick-action hrefs are exact', () => {
    const email = renderLeadEmail(fullInput());

    expect(email.subject).toBe('New lead: Maria Lopez – 2018 Honda Civic, seat repair (cthr_abc)');
    expect(email.replyTo).toBe('maria.lopez@example.com');

    const links = hrefs(email.html);
    expect(links).toContain('tel:+14085550199');
    const encodedOutreach = encodeURIComponent(OUTREACH_ES).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    expect(links).toContain(`sms:+14085550199?&body=${encodedOutreach}`);
    expect(links).toContain(
      `mailto:maria.lopez@example.com?subject=${encodeURIComponent('Su solicitud – Rosewood Auto Upholstery')}&body=${encodedOutreach}`,
    );
    expect(links).toContain('https://rosewood-upholstery.example/es/servicios?ref=chat&x=1');
    // Quick actions come first: the first links in the document are the five actions, in order.
    expect(links.slice(0, 5).map((href) => href.split(':')[0])).toEqual(['tel', 'sms', 'mailto', 'https', 'https']);
    expect(links[4]).toBe('https://console.example/chatThreads/cthr_abc?project=p');
    // Only schemes we build ourselves.
    for (const href of links) expect(href).toMatch(/^(https?|tel|sms|mailto):/);
    // The shop's accent colour is used.
    expect(email.html).toContain('#8B1E2D');
  });

  it('when a full lead is rendered, then the sections come in the documented order', () => {
    const text = visibleText(renderLeadEmail(fullInput()).html);
    const order = [
      'Call (408) 555-0199',
      'Customer contact',
      'AI summary',
      'Call script',
      'Outreach draft',
      'Transcript',
      'Photos & files',
    ];
    const positions = order.map((marker) => text.indexOf(marker));
    for (const position of positions) expect(position).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Next steps');
    expect(text).toContain('Follow-up questions');
    expect(text).toContain('Missing info');
    expect(text).toContain('photo of the damage');
  });

  it('when no conversation URL template is configured, then there is no conversation link and no dead OpenAI logs link', () => {
    const email = renderLeadEmail(fullInput({ conversationUrlTemplate: undefined }));
    const links = hrefs(email.html);
    expect(links.slice(0, 4).map((href) => href.split(':')[0])).toEqual(['tel', 'sms', 'mailto', 'https']);
    expect(links.some((href) => href.includes('platform.openai.com'))).toBe(false);
    expect(visibleText(email.html)).not.toContain('Conversation record');
    expect(email.text).not.toContain('Conversation record');
  });

  it('when the conversation URL template is hostile or lacks {threadId}, then no link is made', () => {
    for (const template of ['javascript:alert({threadId})', 'https://console.example/no-placeholder']) {
      const email = renderLeadEmail(fullInput({ conversationUrlTemplate: template }));
      expect(
        hrefs(email.html).some((href) => href.includes('alert') || href.includes('no-placeholder')),
        template,
      ).toBe(false);
    }
  });

  it('when the thread id has URL-special characters, then they are encoded in the conversation link', () => {
    const email = renderLeadEmail(fullInput({ threadId: 'cthr_a/b?c', conversationUrlTemplate: 'https://console.example/t/{threadId}' }));
    expect(hrefs(email.html)).toContain('https://console.example/t/cthr_a%2Fb%3Fc');
  });

  it('when the summary is null, then the email shows the unavailable banner, contact and transcript and no summary sections', () => {
    const email = renderLeadEmail(
      fullInput({ summary: null, degradedReason: 'The summarizer timed out after 3 attempts.', trigger: 'safety_net' }),
    );

    expect(email.subject).toBe('New lead (AI summary unavailable): (408) 555-0199 (cthr_abc)');
    expect(email.replyTo).toBe('maria.lopez@example.com');
    const text = visibleText(email.html);
    expect(text).toContain('AI summary unavailable');
    expect(text).toContain('The summarizer timed out after 3 attempts.');
    expect(text).toContain('(408) 555-0199');
    expect(text).toContain('maria.lopez@example.com');
    expect(text).toContain('Me llamo Maria Lopez.');
    for (const absent of ['Call script', 'Outreach draft', 'Next steps', 'Follow-up questions', 'Missing info', 'Ready to call']) {
      expect(text).not.toContain(absent);
      expect(email.text).not.toContain(absent);
    }
    expect(email.text).toContain('*** AI SUMMARY UNAVAILABLE ***');
    // Without a draft, Text and Email open empty.
    const links = hrefs(email.html);
    expect(links).toContain('sms:+14085550199');
    expect(links).toContain(`mailto:maria.lopez@example.com?subject=${encodeURIComponent('Rosewood Auto Upholstery')}`);
  });

  it('when a phone is from another country than the shop, then it is shown in international format (and national when local)', () => {
    const email = renderLeadEmail(fullInput({ summary: null, contact: { emails: [], phones: ['+442079460958', '+14085550199'] } }));
    expect(email.subject).toBe('New lead (AI summary unavailable): +44 20 7946 0958 (cthr_abc)');
    expect(email.text).toContain('+44 20 7946 0958');
    expect(email.text).toContain('(408) 555-0199');
    expect(hrefs(email.html)).toContain('tel:+442079460958');
  });

  it('when the degraded lead has only an email, then the subject names the email', () => {
    const email = renderLeadEmail(fullInput({ summary: null, contact: { emails: ['sam@example.org'], phones: [] } }));
    expect(email.subject).toBe('New lead (AI summary unavailable): sam@example.org (cthr_abc)');
    expect(hrefs(email.html).some((href) => href.startsWith('tel:') || href.startsWith('sms:'))).toBe(false);
  });

  it('when transcript and summary text is hostile, then no markup, handler or javascript: link survives in the HTML', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(2)>',
      "'><svg onload=alert(3)>",
      '<a href="javascript:alert(4)">click</a>',
      'javascript:alert(5)',
      '</mj-text><mj-raw><script>alert(6)</script></mj-raw>',
      '<!-- comment --><style>body{display:none}</style>',
    ].join('\n');
    const email = renderLeadEmail(
      fullInput({
        transcript: transcript([
          message('customer', hostile, 0, [
            { name: '"><img src=x onerror=alert(7)>.png', mimeType: 'image/png', url: 'javascript:alert(8)', kind: 'image' },
            { name: 'ok.pdf', mimeType: 'application/pdf', url: 'data:text/html,<script>alert(9)</script>', kind: 'file' },
          ]),
        ]),
        summary: summary({
          customer_name: '<b onmouseover=alert(10)>Eve</b>',
          internal_summary: hostile,
          outreach_message: '"><script>alert(11)</script>',
          next_steps: ['<img src=x onerror=alert(12)>'],
        }),
        pageUrl: 'javascript:alert(13)//https://rosewood-upholstery.example',
        degradedReason: '<script>alert(14)</script>',
      }),
    );

    const html = email.html;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/<mj-/i);
    const all = elements(html);
    expect(all.filter((element) => ['script', 'img', 'svg', 'iframe'].includes(element.name))).toEqual([]);
    // No <style> or comment from customer text (MJML's own <style> blocks are fine).
    expect(html).not.toMatch(/<style>body/i);
    expect(html).not.toMatch(/<!-- comment/);
    for (const element of all) {
      for (const name of Object.keys(element.attribs)) expect(name).not.toMatch(/^on/i);
    }
    for (const href of hrefs(html)) {
      expect(href).toMatch(/^(https?|tel|sms|mailto):/);
      expect(href.toLowerCase()).not.toContain('javascript:');
      expect(href).not.toContain('data:');
    }
    // The hostile text is still shown to the shop, as text.
    const text = visibleText(html);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('"><img src=x onerror=alert(2)>');
    // Hostile bits never reach the subject as markup either (the subject is plain text).
    expect(email.subject).toBe('New lead: <b onmouseover=alert(10)>Eve</b> – 2018 Honda Civic, seat repair (cthr_abc)');
    expect(html).not.toContain('<b onmouseover');
  });

  it('when the customer name carries CRLF and a Bcc header, then the subject stays one line', () => {
    const email = renderLeadEmail(
      fullInput({
        summary: summary({
          customer_name: 'Maria\r\nBcc: victim@example.com\r\n\r\nInjected',
          vehicle: 'Civic\u0000\u0007\u2028x',
          project_details: 'seats\nX-Evil: 1',
        }),
        threadId: 'cthr_abc\r\nBcc: other@example.com',
      }),
    );
    const controls = Array.from(email.subject).filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    });
    expect(controls).toEqual([]);
    expect(email.subject).toBe(
      'New lead: Maria Bcc: victim@example.com Injected – Civic x, seats X-Evil: 1 (cthr_abc Bcc: other@example.com)',
    );
    expect(email.html).not.toMatch(/\r\nBcc:/);
  });

  it('when names are very long, then the subject is capped and keeps the thread id', () => {
    const email = renderLeadEmail(
      fullInput({ summary: summary({ customer_name: 'Maria '.repeat(60), project_details: 'x'.repeat(400) }) }),
    );
    expect(Array.from(email.subject).length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(email.subject.endsWith('… (cthr_abc)')).toBe(true);
  });

  it('when the customer email is not a plain address, then reply-to is null and there is no mailto action', () => {
    const email = renderLeadEmail(fullInput({ contact: { emails: ['"x"@example.com\r\nBcc: a@b.c'], phones: ['+14085550199'] } }));
    expect(email.replyTo).toBeNull();
    expect(hrefs(email.html).some((href) => href.startsWith('mailto:'))).toBe(false);
    expect(renderLeadEmail(fullInput({ contact: { emails: [], phones: [] } })).replyTo).toBeNull();
  });

  it('when the outreach draft is Spanish, then the mailto body decodes to it and the language is named', () => {
    const outreach = 'Hola María:\n¿Le parece bien el martes? Saludos, “Rosewood” & equipo #1 ?=';
    const email = renderLeadEmail(fullInput({ summary: summary({ outreach_message: outreach }) }));
    const mailto = hrefs(email.html).find((href) => href.startsWith('mailto:'));
    expect(mailto).toBeDefined();
    const url = new URL(mailto ?? '');
    expect(url.pathname).toBe('maria.lopez@example.com');
    expect(url.searchParams.get('subject')).toBe('Su solicitud – Rosewood Auto Upholstery');
    expect(url.searchParams.get('body')).toBe(outreach.replace(/\n/g, '\r\n'));
    expect(mailto).toContain('%0D%0A');
    expect(mailto).not.toMatch(/[\s"'<>]/);
    const sms = hrefs(email.html).find((href) => href.startsWith('sms:'));
    expect(decodeURIComponent((sms ?? '').split('&body=')[1] ?? '')).toBe(outreach);
    expect(visibleText(email.html)).toContain('In Spanish (es)');
    expect(email.text).toContain('OUTREACH DRAFT\n--------------\n(In Spanish (es))');
  });

  it('when the shop language is Spanish, then the labels and subject are Spanish', () => {
    const email = renderLeadEmail(fullInput({ shopLanguage: 'es-MX' }));
    expect(email.subject).toBe('Nuevo cliente: Maria Lopez – 2018 Honda Civic, seat repair (cthr_abc)');
    const text = visibleText(email.html);
    expect(text).toContain('Contacto del cliente');
    expect(text).toContain('Guion de llamada');
    expect(text).toContain('En español (es)');
  });

  it('when the shop language has no dictionary, then English labels are used', () => {
    expect(renderLeadEmail(fullInput({ shopLanguage: 'vi' })).subject.startsWith('New lead: ')).toBe(true);
  });

  it('when messages have attachments, then only http(s) URLs become links', () => {
    const email = renderLeadEmail(
      fullInput({
        transcript: transcript([
          message('customer', 'Photos attached', 0, [
            { name: 'seat.jpg', mimeType: 'image/jpeg', url: 'https://files.example/seat.jpg', kind: 'image' },
            { name: 'quote.pdf', mimeType: 'application/pdf', url: 'http://files.example/quote.pdf', kind: 'file' },
            { name: 'local.png', mimeType: 'image/png', url: null, kind: 'image' },
            { name: 'evil.png', mimeType: 'image/png', url: 'javascript:alert(1)', kind: 'image' },
            { name: 'creds.png', mimeType: 'image/png', url: 'https://user:pw@files.example/x.png', kind: 'image' },
          ]),
        ]),
      }),
    );
    const links = hrefs(email.html);
    expect(links).toContain('https://files.example/seat.jpg');
    expect(links).toContain('http://files.example/quote.pdf');
    expect(links.some((href) => href.includes('alert') || href.includes('user:pw'))).toBe(false);
    const text = visibleText(email.html);
    for (const name of ['seat.jpg', 'quote.pdf', 'local.png', 'evil.png', 'creds.png']) expect(text).toContain(name);
    expect(text).toContain('Photos & files');
    expect(email.text).toContain('[photo] seat.jpg: https://files.example/seat.jpg');
    expect(email.text).toContain('[photo] evil.png: (no link)');
  });

  it('when the transcript is rendered, then roles are marked and times are in the shop time zone', () => {
    const email = renderLeadEmail(fullInput());
    const text = visibleText(email.html);
    expect(text).toMatch(/Assistant · Mar 3, 2026, 4:05\sPM PST/);
    expect(text).toMatch(/Customer · 4:05\sPM/);
    expect(text).toMatch(/Customer · 4:06\sPM/);
    expect(text).toContain('Times in America/Los_Angeles');
    expect(email.text).toMatch(/\[CUSTOMER\] 4:06\sPM/);
    expect(email.text).toMatch(/\[ASSISTANT\] Mar 3, 2026, 4:05\sPM PST/);
  });

  it('when the text part is rendered, then it carries the same key facts as the HTML', () => {
    const email = renderLeadEmail(fullInput());
    const facts = [
      'Maria Lopez',
      '(408) 555-0199',
      'maria.lopez@example.com',
      'cthr_abc',
      '2018 Honda Civic',
      'seat repair',
      'Call Maria before noon',
      'Is the foam damaged too?',
      'photo of the damage',
      'Can you describe the tear size?',
      OUTREACH_ES,
      'Me llamo Maria Lopez.',
      'https://files.example/seat.jpg?sig=a&b=1',
      'https://rosewood-upholstery.example/es/servicios?ref=chat&x=1',
      'https://console.example/chatThreads/cthr_abc?project=p',
      'es-MX',
    ];
    const htmlText = visibleText(email.html) + hrefs(email.html).join(' ');
    for (const fact of facts) {
      expect(email.text, fact).toContain(fact);
      expect(htmlText, fact).toContain(fact);
    }
    expect(email.text).not.toMatch(/<[a-z]/i);
    // Quick actions come first in the text part too.
    expect(email.text.indexOf('QUICK ACTIONS')).toBeLessThan(email.text.indexOf('CUSTOMER CONTACT'));
    expect(email.text.indexOf('CUSTOMER CONTACT')).toBeLessThan(email.text.indexOf('AI SUMMARY'));
  });

  it('when an email is rendered, then it is a phone-friendly single 600px column with big tap targets', () => {
    const { html } = renderLeadEmail(fullInput());
    expect(html).toContain('max-width:600px');
    expect(html).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1"/);
    const chips = elements(html).filter((element) => element.name === 'a' && /^(tel|sms|mailto):/.test(element.attribs.href ?? ''));
    expect(chips.length).toBeGreaterThanOrEqual(3);
    for (const chip of chips.slice(0, 3)) {
      expect(chip.attribs.style).toContain('display:block');
      expect(chip.attribs.style).toMatch(/padding:1[2-9]px/);
    }
  });

  it('when nearly everything is missing, then a minimal email still renders', () => {
    const email = renderLeadEmail(
      fullInput({
        summary: null,
        contact: { emails: [], phones: ['0800 not e164'] },
        transcript: transcript([]),
        pageUrl: null,
        locale: null,
        conversationUrlTemplate: 'ftp://nope/{threadId}',
      }),
    );
    expect(email.subject).toBe('New lead (AI summary unavailable): 0800 not e164 (cthr_abc)');
    expect(email.replyTo).toBeNull();
    expect(hrefs(email.html)).toEqual([]);
    expect(visibleText(email.html)).toContain('No messages.');
    expect(email.text).toContain('No messages.');
  });

  it('when many emails are rendered, then each render takes a reasonable time', () => {
    const long = fullInput({
      transcript: transcript(
        Array.from({ length: 60 }, (_, i) => message(i % 2 ? 'assistant' : 'customer', `Message ${i} `.repeat(20), i * 30)),
      ),
    });
    renderLeadEmail(long); // warm-up
    const started = performance.now();
    const runs = 5;
    for (let i = 0; i < runs; i++) renderLeadEmail(long);
    const perEmail = (performance.now() - started) / runs;
    expect(perEmail).toBeLessThan(500);
  });

  it('when a sample is rendered, then it is written to the temp dir for a visual check', async () => {
    const email = renderLeadEmail(fullInput());
    const degraded = renderLeadEmail(fullInput({ summary: null, degradedReason: 'The summarizer timed out after 3 attempts.' }));
    const dir = tmpdir();
    await writeFile(join(dir, 'lead-email-sample.html'), email.html);
    await writeFile(join(dir, 'lead-email-sample.txt'), email.text);
    await writeFile(join(dir, 'lead-email-degraded.html'), degraded.html);
    expect(email.html.length).toBeGreaterThan(1000);
  });
});
