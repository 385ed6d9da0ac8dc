/**
 * The deterministic intake assistant `POST /v1/responses` plays for plain-text requests, so the
 * product's own ChatKit server (an `@openai/agents` agent) can be developed offline against the
 * stand-in. It plays an auto upholstery shop's intake assistant:
 *
 * - it reads the customer's messages (the `user` messages of `input`, oldest first) and asks for
 *   what is still missing, in order: the job (what needs repair), the vehicle (make/model/year),
 *   then a contact (name and phone or email); once a phone or email is known it thanks the customer
 *   and says the shop will call back (phone) or write back (email only);
 * - it answers in the language of the customer's LAST message (en, es, vi, fr, zh, ar, pt, by
 *   script and stop words); a last message without any language signal ("555-0101") keeps the
 *   language of the latest message that has one; default en;
 * - it never quotes prices: a price question gets "the shop gives a quote after seeing the job";
 * - an opening-hours question is answered from the context lines of the instructions (the agent
 *   puts `key: value` lines there, see `parseContextLines`): `shop_is_open_now`,
 *   `shop_next_open_day`, `shop_next_open_time`, `shop_hours_today`, `shop_closes_at_time`;
 *   without them it says the shop will confirm its hours. `shop_name` names the shop.
 *
 * Pure and deterministic: same conversation, same reply.
 */
import { conversationLanguage, type ChatLanguage } from './language.js';
import { DEFAULT_SHOP_CONTACT, detectName, detectVehicle, extractContact, mentionsNeed, type ShopContact } from './lead-summary.js';

export type AssistantLanguage = ChatLanguage;

/** What the assistant asks for (or says) as the main point of its reply. */
export type AssistantStep = 'ask_job' | 'ask_vehicle' | 'ask_contact' | 'thanks';

export interface ShopAssistantInput {
  /** The customer's messages, oldest first (the `user` messages of the request's `input`). */
  customerMessages: readonly string[];
  /** The request's `instructions` plus any system/developer messages, where context lines live. */
  instructions?: string;
  /** The shop's own phone/email, never taken for the customer's. */
  shop?: ShopContact;
}

export interface ShopAssistantReply {
  text: string;
  language: AssistantLanguage;
  step: AssistantStep;
  /** Side questions the reply answered before its main point. */
  answered: ReadonlyArray<'price' | 'hours'>;
  /** What the assistant knows so far. */
  known: { job: boolean; vehicle: string | null; name: string | null; phone: string | null; email: string | null };
}

// ---------------------------------------------------------------------------------------------
// Context lines

const CONTEXT_LINE = /^\s*(?:[-*•]\s*)?([a-z][a-z0-9_]*)\s*:\s*(.*?)\s*$/;

/**
 * `key: value` lines of the instructions, e.g. `shop_is_open_now: true`. A key is lower-case
 * snake_case at the start of a line (after optional indentation and a `-`/`*` bullet); the value
 * is the rest of the line, trimmed, with one pair of surrounding quotes removed. Later lines win.
 */
export function parseContextLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r\n|\r|\n/)) {
    const m = CONTEXT_LINE.exec(line);
    if (!m?.[1]) continue;
    const value = (m[2] ?? '').replace(/^(["'`])(.*)\1$/, '$2').trim();
    if (value !== '') out[m[1]] = value;
  }
  return out;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(true|yes|1|open)$/i.test(value)) return true;
  if (/^(false|no|0|closed)$/i.test(value)) return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// What the customer said

/** Job vocabulary beyond the lead summary's (en/es/vi/zh/fr): Portuguese and Arabic. */
const EXTRA_NEED = [
  /(?<!\p{L})(?:banco|bancos|estof|couro|rasgad|rasgou|furad|forro do teto|teto|costura|espuma|capota|volante|tapete|desbotad|barco)/iu,
  /(?:مقعد|مقاعد|كرسي|تنجيد|جلد|ممزق|تمزق|مقطوع|سقف|فرش|قماش|إسفنج|مقود|سجاد|قارب)/u,
];

function describesJob(text: string): boolean {
  return mentionsNeed(text) || EXTRA_NEED.some((re) => re.test(text));
}

/** Makes written in Han or Arabic script, which `detectVehicle` (Latin makes) does not know. */
const NON_LATIN_MAKES =
  /(?:丰田|豐田|本田|日产|日產|福特|宝马|寶馬|奔驰|賓士|大众|大眾|特斯拉|现代|現代|马自达|馬自達|雷克萨斯|凌志|起亚|起亞|雪佛兰|斯巴鲁|奥迪|奧迪|تويوتا|هوندا|نيسان|فورد|هيونداي|كيا|مرسيدس|لكزس|شيفروليه|بي إم دبليو|مازدا|جيب|دودج)/u;
const YEAR = /(?<!\d)(?:19[5-9]\d|20[0-3]\d)(?!\d)/;

function findVehicle(texts: readonly string[]): string | null {
  const latin = detectVehicle(texts);
  if (latin) return latin;
  for (const text of texts) {
    const make = NON_LATIN_MAKES.exec(text)?.[0];
    if (make) {
      const year = YEAR.exec(text)?.[0];
      return year ? `${year} ${make}` : make;
    }
  }
  return null;
}

const PRICE_QUESTION = [
  /\b(?:price|prices|pricing|cost|costs|how much|quote|estimate|charge|rates?)\b/i,
  /(?:precio|cu[aá]nto|cuesta|costo|presupuesto|cobran)/i,
  /(?:\bprix\b|combien|co[uû]t|tarif|devis)/i,
  /(?:giá|bao nhiêu|chi phí)/iu,
  /(?:多少钱|多少錢|价格|價格|价钱|報價|报价|费用|費用)/u,
  /(?:سعر|السعر|تكلفة|التكلفة|بكم|كم يكلف|كم سعر)/u,
  /(?:preço|preco|quanto custa|quanto fica|quanto é|custo|orçamento|valor)/iu,
];

const HOURS_QUESTION = [
  /\b(?:hours|opening|open (?:now|today|tomorrow|tonight|this weekend|on (?:sundays?|saturdays?|weekends?))|are you (?:guys )?open|you open|when do you (?:open|close)|what time do you|close today|closed today|closing time)\b/i,
  /(?:horario|abiertos?|abren|cierran|a qu[eé] hora)/i,
  /(?:ouvert|ouverts|horaires|heures d['’]ouverture|ferm[eé]|ouvrez|fermez)/i,
  /(?:mở cửa|đóng cửa|giờ làm việc|mấy giờ)/iu,
  /(?:营业|營業|开门|開門|关门|關門|几点|幾點|开到|開到)/u,
  /(?:مفتوح|تفتحون|تفتح|ساعات العمل|الدوام|مغلق|متى)/u,
  /(?:aberto|abertos|abrem|horário|horario de funcionamento|fecham|funcionamento|que horas)/iu,
];

function asks(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((re) => re.test(text));
}

// ---------------------------------------------------------------------------------------------
// What the assistant says

interface HoursFacts {
  openNow: boolean | undefined;
  nextOpenDay: string | undefined;
  nextOpenTime: string | undefined;
  hoursToday: string | undefined;
  closesAt: string | undefined;
}

interface Phrases {
  askJob: string;
  askVehicle: string;
  askContact: string;
  thanksCall(name: string | null, shop: string | null, phone: string): string;
  thanksWrite(name: string | null, shop: string | null, email: string): string;
  price: string;
  openNow(h: HoursFacts): string;
  closed: string;
  nextOpen(day: string, time: string | undefined): string;
  hoursToday(hours: string): string;
  hoursUnknown: string;
}

const opt = (value: string | undefined, render: (v: string) => string): string => (value ? render(value) : '');

const PHRASES: Readonly<Record<AssistantLanguage, Phrases>> = {
  en: {
    askJob: 'What can we help you with? Tell me what needs repair, for example a torn seat, a sagging headliner or a worn steering wheel.',
    askVehicle: 'Got it. What vehicle is it? Please tell me the make, model and year.',
    askContact: 'Thanks! What is your name, and the best phone number or email for the shop to reach you?',
    thanksCall: (name, shop, phone) =>
      `Thank you${opt(name ?? undefined, (n) => `, ${n}`)}! ${shop ?? 'The shop'} will call you back soon at ${phone}.`,
    thanksWrite: (name, shop, email) =>
      `Thank you${opt(name ?? undefined, (n) => `, ${n}`)}! ${shop ?? 'The shop'} will write back to you soon at ${email}.`,
    price: "I can't quote prices here: the shop will give you a quote after seeing the job.",
    openNow: (h) => `We're open right now${opt(h.closesAt, (t) => ` until ${t}`)}${opt(h.hoursToday, (t) => ` (today's hours: ${t})`)}.`,
    closed: "We're closed right now.",
    nextOpen: (d, t) => `We open again ${d}${opt(t, (x) => ` at ${x}`)}.`,
    hoursToday: (t) => `Today's hours: ${t}.`,
    hoursUnknown: "I don't have the shop's hours at hand; the shop will confirm them when they contact you.",
  },
  es: {
    askJob: '¿En qué le podemos ayudar? Cuénteme qué necesita reparar, por ejemplo un asiento roto, el techo caído o el volante gastado.',
    askVehicle: 'Entendido. ¿Qué vehículo es? Dígame la marca, el modelo y el año.',
    askContact: '¡Gracias! ¿Cuál es su nombre y el mejor teléfono o correo para que el taller le contacte?',
    thanksCall: (name, shop, phone) =>
      `¡Muchas gracias${opt(name ?? undefined, (n) => `, ${n}`)}! ${shop ?? 'El taller'} le llamará pronto al ${phone}.`,
    thanksWrite: (name, shop, email) =>
      `¡Muchas gracias${opt(name ?? undefined, (n) => `, ${n}`)}! ${shop ?? 'El taller'} le escribirá pronto a ${email}.`,
    price: 'No puedo dar precios por aquí: el taller le dará un presupuesto después de ver el trabajo.',
    openNow: (h) =>
      `Ahora mismo estamos abiertos${opt(h.closesAt, (t) => ` hasta las ${t}`)}${opt(h.hoursToday, (t) => ` (horario de hoy: ${t})`)}.`,
    closed: 'Ahora mismo estamos cerrados.',
    nextOpen: (d, t) => `Volvemos a abrir el ${d}${opt(t, (x) => ` a las ${x}`)}.`,
    hoursToday: (t) => `Horario de hoy: ${t}.`,
    hoursUnknown: 'No tengo el horario a mano; el taller se lo confirmará cuando le contacte.',
  },
  vi: {
    askJob: 'Tiệm có thể giúp gì cho anh/chị? Anh/chị cho biết cần sửa gì, ví dụ ghế bị rách, trần xe bị xệ hay vô lăng bị mòn.',
    askVehicle: 'Dạ, tiệm hiểu rồi. Xe của anh/chị là xe gì? Anh/chị cho biết hãng, mẫu xe và năm sản xuất.',
    askContact: 'Cảm ơn anh/chị! Anh/chị cho tiệm xin tên và số điện thoại hoặc email để liên hệ nhé.',
    thanksCall: (name, shop, phone) => `Cảm ơn ${name ?? 'anh/chị'}! ${shop ?? 'Tiệm'} sẽ sớm gọi lại cho anh/chị theo số ${phone}.`,
    thanksWrite: (name, shop, email) => `Cảm ơn ${name ?? 'anh/chị'}! ${shop ?? 'Tiệm'} sẽ sớm gửi email cho anh/chị tại ${email}.`,
    price: 'Tiệm không báo giá qua tin nhắn: tiệm sẽ báo giá sau khi xem tận nơi công việc.',
    openNow: (h) =>
      `Hiện tiệm đang mở cửa${opt(h.closesAt, (t) => ` đến ${t}`)}${opt(h.hoursToday, (t) => ` (giờ mở cửa hôm nay: ${t})`)}.`,
    closed: 'Hiện tiệm đang đóng cửa.',
    nextOpen: (d, t) => `Tiệm mở cửa lại vào ${d}${opt(t, (x) => ` lúc ${x}`)}.`,
    hoursToday: (t) => `Giờ mở cửa hôm nay: ${t}.`,
    hoursUnknown: 'Tôi chưa có giờ mở cửa của tiệm; tiệm sẽ xác nhận khi liên hệ với anh/chị.',
  },
  fr: {
    askJob:
      'Comment pouvons-nous vous aider ? Dites-moi ce qui est à réparer, par exemple un siège déchiré, un ciel de toit qui tombe ou un volant usé.',
    askVehicle: 'Bien noté. De quel véhicule s’agit-il ? Indiquez-moi la marque, le modèle et l’année.',
    askContact: 'Merci ! Quel est votre nom, et le meilleur numéro de téléphone ou courriel pour que l’atelier vous recontacte ?',
    thanksCall: (name, shop, phone) =>
      `Merci${opt(name ?? undefined, (n) => ` ${n}`)} ! ${shop ?? 'L’atelier'} vous rappellera bientôt au ${phone}.`,
    thanksWrite: (name, shop, email) =>
      `Merci${opt(name ?? undefined, (n) => ` ${n}`)} ! ${shop ?? 'L’atelier'} vous écrira bientôt à ${email}.`,
    price: 'Je ne peux pas donner de prix ici : l’atelier vous fera un devis après avoir vu le travail.',
    openNow: (h) =>
      `Nous sommes ouverts en ce moment${opt(h.closesAt, (t) => ` jusqu’à ${t}`)}${opt(h.hoursToday, (t) => ` (horaires du jour : ${t})`)}.`,
    closed: 'Nous sommes fermés en ce moment.',
    nextOpen: (d, t) => `Nous rouvrons ${d}${opt(t, (x) => ` à ${x}`)}.`,
    hoursToday: (t) => `Horaires du jour : ${t}.`,
    hoursUnknown: 'Je n’ai pas les horaires sous la main ; l’atelier vous les confirmera en vous recontactant.',
  },
  zh: {
    askJob: '请问需要我们帮您做什么？请告诉我需要修理的地方，比如座椅破了、顶棚下垂或方向盘磨损。',
    askVehicle: '好的。请问是什么车？请告诉我品牌、型号和年份。',
    askContact: '谢谢！请留下您的姓名，以及方便店里联系您的电话或邮箱。',
    thanksCall: (name, shop, phone) => `谢谢${name ?? '您'}！${shop ?? '店里'}会尽快拨打 ${phone} 给您回电。`,
    thanksWrite: (name, shop, email) => `谢谢${name ?? '您'}！${shop ?? '店里'}会尽快发邮件到 ${email} 给您回复。`,
    price: '我这里不能报价：店里看过具体情况后会给您报价。',
    openNow: (h) => `我们现在正在营业${opt(h.closesAt, (t) => `，营业到 ${t}`)}${opt(h.hoursToday, (t) => `（今天营业时间：${t}）`)}。`,
    closed: '我们现在已经关门了。',
    nextOpen: (d, t) => `下次营业是 ${d}${opt(t, (x) => ` ${x}`)}。`,
    hoursToday: (t) => `今天营业时间：${t}。`,
    hoursUnknown: '我这里没有店里的营业时间；店里联系您时会跟您确认。',
  },
  ar: {
    askJob: 'كيف يمكننا مساعدتك؟ أخبرني ما الذي يحتاج إلى إصلاح، مثل مقعد ممزق أو سقف متدلٍّ أو مقود بالٍ.',
    askVehicle: 'حسنًا. ما هي السيارة؟ من فضلك أخبرني بالشركة المصنعة والطراز وسنة الصنع.',
    askContact: 'شكرًا! ما اسمك، وما أفضل رقم هاتف أو بريد إلكتروني لتتواصل معك الورشة؟',
    thanksCall: (name, shop, phone) =>
      `شكرًا لك${opt(name ?? undefined, (n) => ` يا ${n}`)}! ${shop ?? 'الورشة'} ستتصل بك قريبًا على الرقم ${phone}.`,
    thanksWrite: (name, shop, email) =>
      `شكرًا لك${opt(name ?? undefined, (n) => ` يا ${n}`)}! ${shop ?? 'الورشة'} ستراسلك قريبًا على ${email}.`,
    price: 'لا أستطيع إعطاء أسعار هنا: ستقدم لك الورشة عرض سعر بعد معاينة العمل.',
    openNow: (h) => `نحن مفتوحون الآن${opt(h.closesAt, (t) => ` حتى ${t}`)}${opt(h.hoursToday, (t) => ` (مواعيد اليوم: ${t})`)}.`,
    closed: 'نحن مغلقون الآن.',
    nextOpen: (d, t) => `نفتح مجددًا يوم ${d}${opt(t, (x) => ` الساعة ${x}`)}.`,
    hoursToday: (t) => `مواعيد اليوم: ${t}.`,
    hoursUnknown: 'ليست لدي مواعيد عمل الورشة الآن؛ ستؤكدها لك الورشة عند التواصل معك.',
  },
  pt: {
    askJob: 'Como podemos ajudar? Diga-me o que precisa de reparo, por exemplo um banco rasgado, o forro do teto caído ou o volante gasto.',
    askVehicle: 'Entendi. Qual é o veículo? Por favor, diga a marca, o modelo e o ano.',
    askContact: 'Obrigado! Qual é o seu nome e o melhor telefone ou e-mail para a oficina entrar em contato?',
    thanksCall: (name, shop, phone) =>
      `Muito obrigado${opt(name ?? undefined, (n) => `, ${n}`)}! ${shop ?? 'A oficina'} vai ligar para você em breve no ${phone}.`,
    thanksWrite: (name, shop, email) =>
      `Muito obrigado${opt(name ?? undefined, (n) => `, ${n}`)}! ${shop ?? 'A oficina'} vai escrever para você em breve em ${email}.`,
    price: 'Não posso passar preços por aqui: a oficina fará um orçamento depois de ver o serviço.',
    openNow: (h) => `Estamos abertos agora${opt(h.closesAt, (t) => ` até ${t}`)}${opt(h.hoursToday, (t) => ` (horário de hoje: ${t})`)}.`,
    closed: 'Estamos fechados agora.',
    nextOpen: (d, t) => `Abrimos de novo ${d}${opt(t, (x) => ` às ${x}`)}.`,
    hoursToday: (t) => `Horário de hoje: ${t}.`,
    hoursUnknown: 'Não tenho o horário da oficina aqui; a oficina vai confirmar quando entrar em contato.',
  },
};

/** Sentences are joined with a space, except in Chinese. */
function joinSentences(language: AssistantLanguage, sentences: readonly string[]): string {
  return sentences.join(language === 'zh' ? '' : ' ');
}

function hoursAnswer(language: AssistantLanguage, context: Readonly<Record<string, string>>): string {
  const p = PHRASES[language];
  const facts: HoursFacts = {
    openNow: parseBoolean(context['shop_is_open_now']),
    nextOpenDay: context['shop_next_open_day'],
    nextOpenTime: context['shop_next_open_time'],
    hoursToday: context['shop_hours_today'],
    closesAt: context['shop_closes_at_time'],
  };
  if (facts.openNow === true) return p.openNow(facts);
  const sentences = [
    ...(facts.openNow === false ? [p.closed] : []),
    ...(facts.nextOpenDay ? [p.nextOpen(facts.nextOpenDay, facts.nextOpenTime)] : []),
    ...(facts.hoursToday ? [p.hoursToday(facts.hoursToday)] : []),
  ];
  return sentences.length > 0 ? joinSentences(language, sentences) : p.hoursUnknown;
}

/** The assistant's next reply to the conversation so far. */
export function shopAssistantReply(input: ShopAssistantInput): ShopAssistantReply {
  const texts = input.customerMessages.map((t) => t.trim()).filter(Boolean);
  const last = texts[texts.length - 1] ?? '';
  const language = conversationLanguage(texts);
  const p = PHRASES[language];
  const context = parseContextLines(input.instructions ?? '');
  const shopName = context['shop_name'] ?? null;

  const contact = extractContact(texts, input.shop ?? DEFAULT_SHOP_CONTACT);
  const known = {
    job: texts.some(describesJob),
    vehicle: findVehicle(texts),
    name: detectName(texts),
    phone: contact.phones[0] ?? null,
    email: contact.emails[0] ?? null,
  };

  const answered: Array<'price' | 'hours'> = [];
  const parts: string[] = [];
  if (asks(PRICE_QUESTION, last)) {
    answered.push('price');
    parts.push(p.price);
  }
  if (asks(HOURS_QUESTION, last)) {
    answered.push('hours');
    parts.push(hoursAnswer(language, context));
  }

  let step: AssistantStep;
  if (known.phone) {
    step = 'thanks';
    parts.push(p.thanksCall(known.name, shopName, known.phone));
  } else if (known.email) {
    step = 'thanks';
    parts.push(p.thanksWrite(known.name, shopName, known.email));
  } else if (!known.job) {
    step = 'ask_job';
    parts.push(p.askJob);
  } else if (!known.vehicle) {
    step = 'ask_vehicle';
    parts.push(p.askVehicle);
  } else {
    step = 'ask_contact';
    parts.push(p.askContact);
  }

  return { text: joinSentences(language, parts), language, step, answered, known };
}
