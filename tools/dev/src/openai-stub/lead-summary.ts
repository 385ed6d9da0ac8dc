/**
 * What `POST /v1/responses` answers when asked for the lead service's summary: deterministic values
 * derived from the transcript in the input, by simple heuristics over the CUSTOMER lines
 * (`Customer: …`; continuation lines belong to the last speaker):
 *
 * - contact: emails and North-American phone numbers (E.164), the shop's own excluded;
 * - need: upholstery vocabulary in en/es/vi/zh/fr (seat, tear, headliner, cuero, ghế, 座椅, siège…);
 * - handoff_ready = contact && need; otherwise `missing_info` names what is missing;
 * - customer_language by script (Han → zh, Vietnamese letters → vi) or stop-word counts (es/fr/en);
 * - customer_name and vehicle by a few phrase patterns; outreach_message from per-language templates.
 *
 * The summary's shape is the lead service's own (`@lead-intake/shared/api`'s `leadSummarySchema`).
 */
import { detectMessageLanguage } from './language.js';
import { z } from 'zod';
import { leadSummarySchema, type LeadSummary } from '@lead-intake/shared/api';

export type { LeadSummary };

/** Fields a fixture (or `stub.summaries.set`) pins for a thread id; they win over the heuristics. */
export const leadSummaryOverridesSchema = z.strictObject(leadSummarySchema.shape).partial();
export type LeadSummaryOverrides = z.output<typeof leadSummaryOverridesSchema>;

/** The example shop's own contact details (packages/shared/shops/example-shop.json). */
export const DEFAULT_SHOP_CONTACT = {
  phones: ['+14085550142'],
  emails: ['hello@rosewood-upholstery.example'],
} as const;

export interface ShopContact {
  phones: readonly string[];
  emails: readonly string[];
}

type CustomerLanguage = 'en' | 'es' | 'vi' | 'zh' | 'fr';

// ---------------------------------------------------------------------------------------------
// Transcript

export interface InputMessage {
  role: string;
  text: string;
}

export interface ParsedTranscript {
  /** Customer messages (a labelled line plus its continuation lines), in order. */
  customer: string[];
  assistant: string[];
  /** Every `cthr_…` id mentioned anywhere in the input. */
  threadIds: string[];
}

const SPEAKER_LINE =
  /^\s*(?:\*\*)?(?:\[[^\]\n]{0,40}\]\s*)?(customer|user|client|visitor|assistant|agent|shop|bot)(?:\s*\([^)\n]{0,40}\))?\s*(?:\*\*)?\s*:\s?(.*)$/i;
const THREAD_ID = /cthr_[A-Za-z0-9_-]{1,128}/g;

/**
 * Splits the transcript in the user-role messages into customer and assistant turns. Without any
 * speaker labels, the user-role text as a whole counts as the customer's.
 */
export function parseTranscript(messages: readonly InputMessage[]): ParsedTranscript {
  const threadIds = [...new Set(messages.flatMap((m) => m.text.match(THREAD_ID) ?? []))];
  const customer: string[] = [];
  const assistant: string[] = [];
  const userTexts = messages.filter((m) => m.role === 'user').map((m) => m.text);
  for (const text of userTexts) {
    let current: string[] | null = null;
    for (const line of text.split(/\r\n|\r|\n/)) {
      const match = SPEAKER_LINE.exec(line);
      if (match) {
        const speaker = (match[1] ?? '').toLowerCase();
        const target = ['customer', 'user', 'client', 'visitor'].includes(speaker) ? customer : assistant;
        target.push(match[2] ?? '');
        current = target;
      } else if (current && current.length > 0) {
        current[current.length - 1] += `\n${line}`;
      }
    }
  }
  if (customer.length === 0 && assistant.length === 0) customer.push(...userTexts);
  return { customer: customer.map((c) => c.trim()).filter(Boolean), assistant, threadIds };
}

// ---------------------------------------------------------------------------------------------
// Contact

// Starts only where a run of address characters starts: linear on a long run without an `@`.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** NANP numbers: optional +1, area code and exchange starting 2-9, common separators. */
const NANP_PHONE = /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\s*([2-9]\d{2})\s*\)|([2-9]\d{2}))[\s.-]?([2-9]\d{2})[\s.-]?(\d{4})(?!\w)/g;
/** Other countries, when written with a leading +. */
const INTL_PHONE = /(?<![\w+])\+([2-9]\d(?:[\s.-]?\d){6,12})(?![\w])/g;

export interface ExtractedContact {
  emails: string[];
  phones: string[];
}

/** Emails (lower-cased) and phones (E.164) in the given customer texts, in order of first mention. */
export function extractContact(texts: readonly string[], shop: ShopContact = DEFAULT_SHOP_CONTACT): ExtractedContact {
  const emails: string[] = [];
  const phones: string[] = [];
  const shopEmails = new Set(shop.emails.map((e) => e.toLowerCase()));
  const shopPhones = new Set(shop.phones);
  for (const text of texts) {
    const found: Array<{ at: number; kind: 'email' | 'phone'; value: string }> = [];
    for (const m of text.matchAll(EMAIL)) found.push({ at: m.index, kind: 'email', value: m[0].toLowerCase() });
    for (const m of text.matchAll(NANP_PHONE)) {
      found.push({ at: m.index, kind: 'phone', value: `+1${m[1] ?? m[2] ?? ''}${m[3] ?? ''}${m[4] ?? ''}` });
    }
    for (const m of text.matchAll(INTL_PHONE)) {
      found.push({ at: m.index, kind: 'phone', value: `+${(m[1] ?? '').replace(/\D/g, '')}` });
    }
    for (const { kind, value } of found.sort((x, y) => x.at - y.at)) {
      if (kind === 'email' && !shopEmails.has(value) && !emails.includes(value)) emails.push(value);
      if (kind === 'phone' && !shopPhones.has(value) && !phones.includes(value)) phones.push(value);
    }
  }
  return { emails, phones };
}

// ---------------------------------------------------------------------------------------------
// Need, language, name, vehicle

/**
 * Upholstery vocabulary. Latin-script entries match at the start of a word (`seat` → seats), or as
 * a whole word when they end in `$`; Han entries match anywhere.
 */
const NEED_WORDS: readonly string[] = [
  // en
  'seat',
  'headliner',
  'upholster',
  'reupholster',
  'leather',
  'vinyl',
  'fabric',
  'foam',
  'cushion',
  'bolster',
  'stitch',
  'seam$',
  'tear$',
  'tears$',
  'torn$',
  'ripped',
  'rip$',
  'crack',
  'sagging',
  'sags$',
  'convertible top',
  'soft top',
  'carpet',
  'door panel',
  'steering wheel',
  'dye$',
  'dyed$',
  'recolor',
  'boat',
  'interior',
  'armrest',
  'console lid',
  'sun damage',
  'faded',
  'burn hole',
  'restore',
  'restoration',
  'tonneau',
  'bench seat',
  'dashboard',
  // es
  'asiento',
  'tapicer',
  'cuero',
  'piel$',
  'vinil',
  'techo',
  'capota',
  'volante',
  'alfombra',
  'roto$',
  'rota$',
  'rotos$',
  'rasgad',
  'desgarr',
  'agujero',
  'costura',
  'espuma',
  'lancha',
  'tablero',
  'descolor',
  'quemad',
  // vi
  'ghế',
  'bọc',
  'rách',
  'trần xe',
  'mui xe',
  'vô lăng',
  'thảm',
  'đệm',
  'đường may',
  'thuyền',
  'nứt',
  'phai màu',
  // zh
  '座椅',
  '座位',
  '椅',
  '破',
  '裂',
  '顶棚',
  '车顶',
  '内饰',
  '真皮',
  '皮革',
  '方向盘',
  '敞篷',
  '地毯',
  '坐垫',
  '翻新',
  '船',
  // fr
  'siège',
  'sellerie',
  'selle$',
  'cuir',
  'tissu',
  'déchir',
  'ciel de toit',
  'pavillon',
  'capote',
  'cabriolet',
  'volant',
  'moquette',
  'mousse',
  'couture',
  'bateau',
  'tableau de bord',
  'garniture',
  'décolor',
  'fissur',
];

const NEED_PATTERNS: readonly RegExp[] = NEED_WORDS.map((word) => {
  const whole = word.endsWith('$');
  const text = (whole ? word.slice(0, -1) : word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (/\p{Script=Han}/u.test(text)) return new RegExp(text, 'u');
  return new RegExp(`(?<!\\p{L})${text}${whole ? '(?!\\p{L})' : ''}`, 'iu');
});

export function mentionsNeed(text: string): boolean {
  return NEED_PATTERNS.some((pattern) => pattern.test(text));
}

/** The customer's language for the summary: the stand-in's one guess, over the whole conversation; languages without templates here read as English. */
function detectLanguage(texts: readonly string[]): CustomerLanguage {
  const guessed = detectMessageLanguage(texts.join('\n'));
  return guessed === 'en' || guessed === 'es' || guessed === 'vi' || guessed === 'zh' || guessed === 'fr' ? guessed : 'en';
}

const NAME = String.raw`(\p{Lu}[\p{Ll}'’-]+(?:[ \t]+\p{Lu}[\p{Ll}'’-]+){0,3})`;
const NAME_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`(?:\b[Mm]y name is|\b[Mm]y name's|\b[Tt]his is|\bI am|\bI'm|\bI’m|\b[Nn]ame:)\s+${NAME}`, 'u'),
  new RegExp(String.raw`(?:\b[Mm]e llamo|\b[Mm]i nombre es|\b[Ss]oy)\s+${NAME}`, 'u'),
  new RegExp(String.raw`(?:\b[Jj]e m['’]appelle|\b[Mm]on nom est|\b[Jj]e suis)\s+${NAME}`, 'u'),
  new RegExp(String.raw`(?:[Tt]ên (?:tôi|em|anh|chị|mình) là|[Tt]ôi là|[Ee]m là)\s+${NAME}`, 'u'),
  /(?:我叫|我的名字是|我姓)\s*(\p{Script=Han}{1,3})/u,
];
const NOT_NAMES = new Set([
  'Interested',
  'Calling',
  'Here',
  'Not',
  'Sorry',
  'Just',
  'Trying',
  'Wondering',
  'Hoping',
  'Looking',
  'Back',
  'Available',
  'Free',
  'Ok',
  'Okay',
  'Still',
  'In',
  'From',
  'The',
  'A',
  'Also',
  'Really',
  'So',
  'Very',
  'Actually',
  'Going',
  'Done',
  'Good',
  'Fine',
  'Ready',
  'Curious',
  'Asking',
  'Thinking',
]);

export function detectName(texts: readonly string[]): string | null {
  for (const text of texts) {
    for (const pattern of NAME_PATTERNS) {
      const name = pattern.exec(text)?.[1]?.trim();
      if (name && !NOT_NAMES.has(name.split(/\s+/)[0] ?? '')) return name;
    }
  }
  return null;
}

const MAKES = [
  'Alfa Romeo',
  'Acura',
  'Audi',
  'Bayliner',
  'BMW',
  'Boston Whaler',
  'Buick',
  'Cadillac',
  'Chevrolet',
  'Chevy',
  'Chrysler',
  'Dodge',
  'Fiat',
  'Ford',
  'GMC',
  'Harley-Davidson',
  'Honda',
  'Hyundai',
  'Infiniti',
  'Jaguar',
  'Jeep',
  'Kia',
  'Land Rover',
  'Lexus',
  'Lincoln',
  'MasterCraft',
  'Mazda',
  'Mercedes-Benz',
  'Mercedes',
  'MG',
  'Mini',
  'Mitsubishi',
  'Nissan',
  'Oldsmobile',
  'Plymouth',
  'Pontiac',
  'Porsche',
  'Ram',
  'Range Rover',
  'Sea Ray',
  'Subaru',
  'Tesla',
  'Toyota',
  'Triumph',
  'Volkswagen',
  'Volvo',
  'VW',
];
const MAKE = `(?:${MAKES.map((m) => m.replace(/[-\s]/g, '[-\\s]')).join('|')})`;
const MODEL_WORD = String.raw`(?:[ \t]+(?!19\d\d\b|20\d\d\b)[A-Z0-9][A-Za-z0-9-]*)`;
const YEAR = String.raw`(?:19[2-9]\d|20[0-3]\d)`;
const VEHICLE_PATTERNS: ReadonlyArray<{ re: RegExp; format: (m: RegExpExecArray) => string }> = [
  { re: new RegExp(String.raw`\b(${YEAR})[ \t]+(${MAKE}\b${MODEL_WORD}{0,2})`), format: (m) => `${m[1]} ${m[2]}` },
  {
    re: new RegExp(String.raw`\b(${MAKE}\b${MODEL_WORD}{0,2})[ \t,]+(?:năm[ \t]+|de[ \t]+|del[ \t]+|年[ \t]*)?(${YEAR})\b`),
    format: (m) => `${m[2]} ${m[1]}`,
  },
  { re: new RegExp(String.raw`\b(${MAKE}\b${MODEL_WORD}{0,2})`), format: (m) => `${m[1]}` },
  { re: new RegExp(String.raw`\b(${YEAR})[ \t]+([A-Z][A-Za-z0-9-]+(?:[ \t]+[A-Z][A-Za-z0-9-]+)?)`), format: (m) => `${m[1]} ${m[2]}` },
];

export function detectVehicle(texts: readonly string[]): string | null {
  for (const { re, format } of VEHICLE_PATTERNS) {
    for (const text of texts) {
      const m = re.exec(text);
      if (m) return format(m).replace(/\s+/g, ' ').trim();
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Summary

const LANGUAGE_NAMES: Readonly<Record<CustomerLanguage, string>> = {
  en: 'English',
  es: 'Spanish',
  vi: 'Vietnamese',
  zh: 'Chinese',
  fr: 'French',
};

const JOB_PHRASE: Readonly<Record<CustomerLanguage, string>> = {
  en: 'your upholstery project',
  es: 'su proyecto de tapicería',
  vi: 'việc làm nội thất xe',
  zh: '汽车内饰翻新',
  fr: 'votre projet de sellerie',
};

function outreach(lang: CustomerLanguage, name: string | null, vehicle: string | null, hasContact: boolean): string {
  const job = vehicle ? `${JOB_PHRASE[lang]} (${vehicle})` : JOB_PHRASE[lang];
  switch (lang) {
    case 'es':
      return `Hola${name ? ` ${name}` : ''}, gracias por contactarnos sobre ${job}. ${
        hasContact
          ? 'Con gusto le ayudamos: le llamaremos pronto para hablar de opciones y un presupuesto.'
          : 'Si nos deja un teléfono o correo, le enviamos un presupuesto.'
      } Mientras tanto, puede enviarnos algunas fotos.`;
    case 'vi':
      return `Chào${name ? ` ${name}` : ' anh/chị'}, cảm ơn anh/chị đã liên hệ với tiệm về ${job}. ${
        hasContact ? 'Chúng tôi sẽ gọi lại sớm để tư vấn và báo giá.' : 'Anh/chị để lại số điện thoại hoặc email để tiệm báo giá nhé.'
      } Anh/chị có thể gửi thêm vài tấm hình trong lúc chờ.`;
    case 'zh':
      return `${name ? `${name}` : ''}您好，感谢您联系我们咨询${job}。${
        hasContact ? '我们会尽快给您回电，介绍方案和报价。' : '请留下电话或邮箱，我们会给您报价。'
      }您也可以先发几张照片给我们。`;
    case 'fr':
      return `Bonjour${name ? ` ${name}` : ''}, merci de nous avoir contactés au sujet de ${job}. ${
        hasContact
          ? 'Nous vous rappellerons rapidement pour discuter des options et d’un devis.'
          : 'Laissez-nous un numéro ou un courriel et nous vous enverrons un devis.'
      } N’hésitez pas à nous envoyer quelques photos en attendant.`;
    default:
      return `Hi${name ? ` ${name}` : ''}, thanks for reaching out to us about ${job}. ${
        hasContact
          ? "We'd love to help: we'll call you shortly to talk through options and a quote."
          : 'If you share a phone number or email, we can follow up with a quote.'
      } Feel free to send a few photos in the meantime.`;
  }
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export interface SummarizeOptions {
  shop?: ShopContact;
}

/** The heuristic lead summary of a transcript. Deterministic: same input, same summary. */
export function summarizeLead(transcript: ParsedTranscript, opts: SummarizeOptions = {}): LeadSummary {
  const texts = transcript.customer;
  const contact = extractContact(texts, opts.shop);
  const needLines = texts.filter(mentionsNeed);
  const hasContact = contact.emails.length + contact.phones.length > 0;
  const hasNeed = needLines.length > 0;
  const ready = hasContact && hasNeed;
  const language = detectLanguage(texts);
  const name = detectName(texts);
  const vehicle = detectVehicle(texts);
  const project = hasNeed ? clip(needLines.slice(0, 2).join(' / '), 300) : null;
  const missing = [...(hasContact ? [] : ['phone or email']), ...(hasNeed ? [] : ['what needs repair'])];
  const contactList = [...contact.phones, ...contact.emails];
  const threadId = transcript.threadIds[0];

  const reason = ready
    ? 'The customer left contact details and described the job.'
    : !hasContact && !hasNeed
      ? 'The customer has not said what needs repair or left a phone number or email yet.'
      : !hasContact
        ? 'The customer described the job but left no phone number or email yet.'
        : 'The customer left contact details but has not said what needs repair.';

  const internal = [
    `${name ?? 'A customer'} wrote in ${LANGUAGE_NAMES[language]}${threadId ? ` (thread ${threadId})` : ''}.`,
    project ? `Job: ${/[.!?。！？…]$/.test(project) ? project : `${project}.`}` : 'No job described yet.',
    `Vehicle: ${vehicle ?? 'not given'}. Contact: ${contactList.length > 0 ? contactList.join(', ') : 'none yet'}.`,
  ].join(' ');

  const firstContact = contact.phones[0] ? `Call ${contact.phones[0]}` : contact.emails[0] ? `Email ${contact.emails[0]}` : null;
  const nextSteps = ready
    ? [
        `${firstContact ?? 'Contact the customer'} to discuss the job`,
        vehicle ? `Confirm the ${vehicle} details and material` : 'Confirm the vehicle year, make and model',
        'Give a rough price range and offer an inspection slot',
      ]
    : [
        hasContact
          ? `${firstContact ?? 'Contact the customer'} to ask what needs repair`
          : 'Wait for the customer to share a phone number or email',
        'Review the transcript for details',
      ];

  const questions = [
    ...(vehicle ? [] : ['What is the year, make and model?']),
    ...(hasNeed ? [] : ['What needs to be repaired or replaced?']),
    'Can you send photos of the damaged area?',
    'Do you want to match the original material or upgrade?',
    'When would you like to drop it off?',
  ];

  return {
    handoff_ready: ready,
    handoff_reason: reason,
    missing_info: missing,
    customer_name: name,
    internal_summary: internal,
    project_details: project,
    vehicle,
    next_steps: nextSteps,
    follow_up_questions: questions,
    call_script_prompts: [
      `Introduce yourself from the shop and mention their chat${project ? ` about ${clip(project, 60)}` : ''}`,
      vehicle ? `Confirm the vehicle: ${vehicle}` : 'Ask for the vehicle year, make and model',
      'Offer an inspection appointment and a rough price range',
    ],
    customer_language: language,
    outreach_message: outreach(language, name, vehicle, hasContact),
  };
}

/** Whether a Structured Outputs schema asks for the lead summary (by its telltale properties). */
export function isLeadSummarySchema(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const properties = (schema as { properties?: unknown }).properties;
  if (typeof properties !== 'object' || properties === null) return false;
  return 'handoff_ready' in properties && 'customer_language' in properties;
}
