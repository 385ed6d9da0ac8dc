import type { ShopProfile } from '@lead-intake/shared';
import type { LeadSummary } from '@lead-intake/shared/api';
import { formatPhone } from './format.js';
import { compileMjml } from './html/compile.js';
import { Lines } from './html/parts.js';
import { cleanMultiline, singleLine, truncate } from './sanitize.js';

interface RecapLabels {
  subject: (shop: string) => string;
  fallback: (shop: string) => string;
  callUs: string;
  replyHint: string;
}

/** Short, polite copy per customer language; unknown languages fall back to English. */
const LABELS: Record<string, RecapLabels> = {
  en: {
    subject: (shop) => `Thanks for contacting ${shop}`,
    fallback: (shop) => `Thanks for chatting with ${shop}. We received your request and will get back to you shortly.`,
    callUs: 'Prefer to talk? Call us at',
    replyHint: 'You can reply to this email to reach the shop.',
  },
  es: {
    subject: (shop) => `Gracias por contactar a ${shop}`,
    fallback: (shop) => `Gracias por escribir a ${shop}. Recibimos su solicitud y le responderemos pronto.`,
    callUs: '¿Prefiere hablar? Llámenos al',
    replyHint: 'Puede responder a este correo para comunicarse con el taller.',
  },
  vi: {
    subject: (shop) => `Cảm ơn bạn đã liên hệ ${shop}`,
    fallback: (shop) => `Cảm ơn bạn đã trò chuyện với ${shop}. Chúng tôi đã nhận được yêu cầu và sẽ liên hệ lại sớm.`,
    callUs: 'Muốn nói chuyện trực tiếp? Gọi cho chúng tôi:',
    replyHint: 'Bạn có thể trả lời email này để liên hệ với cửa hàng.',
  },
  zh: {
    subject: (shop) => `感谢您联系 ${shop}`,
    fallback: (shop) => `感谢您与 ${shop} 聊天。我们已收到您的需求，会尽快与您联系。`,
    callUs: '想直接通话？请致电',
    replyHint: '您可以直接回复此邮件联系我们。',
  },
  fr: {
    subject: (shop) => `Merci d'avoir contacté ${shop}`,
    fallback: (shop) => `Merci d'avoir échangé avec ${shop}. Nous avons bien reçu votre demande et vous recontacterons rapidement.`,
    callUs: 'Vous préférez parler ? Appelez-nous au',
    replyHint: "Vous pouvez répondre à cet e-mail pour joindre l'atelier.",
  },
};

const labelsFor = (language: string): RecapLabels => LABELS[language.toLowerCase().split('-')[0] ?? 'en'] ?? (LABELS.en as RecapLabels);

export interface VisitorRecap {
  subject: string;
  html: string;
  text: string;
}

/**
 * The optional thank-you to the customer (VISITOR_RECAP_ENABLED): the outreach paragraph the
 * summary wrote in the customer's language, or a generic thanks, plus the shop's phone.
 */
export function renderVisitorRecap(input: { shop: ShopProfile; summary: LeadSummary | null; language: string }): VisitorRecap {
  const labels = labelsFor(input.summary?.customer_language ?? input.language);
  const body = truncate(input.summary?.outreach_message?.trim() || labels.fallback(input.shop.name), 2000);
  const phone = formatPhone(input.shop.phone, input.shop.address.country);
  const subject = truncate(singleLine(labels.subject(input.shop.name)), 150);
  const html = compileMjml(
    <mjml>
      <mj-body width="600px">
        <mj-section>
          <mj-column>
            <mj-text font-size="18px" font-weight="bold" color={input.shop.accentColor}>
              {input.shop.name}
            </mj-text>
            <mj-text font-size="16px" line-height="1.5">
              <Lines text={cleanMultiline(body)} />
            </mj-text>
            <mj-button href={`tel:${input.shop.phone}`} background-color={input.shop.accentColor}>
              {`${labels.callUs} ${phone}`}
            </mj-button>
            <mj-text font-size="13px" color="#555555">
              {labels.replyHint}
            </mj-text>
          </mj-column>
        </mj-section>
      </mj-body>
    </mjml>,
    'Visitor recap',
  );
  const text = `${body}\n\n${labels.callUs} ${phone}\n${labels.replyHint}\n\n${input.shop.name}\n`;
  return { subject, html, text };
}
