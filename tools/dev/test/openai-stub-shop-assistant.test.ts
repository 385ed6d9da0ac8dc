/** Table tests of the stand-in's deterministic shop intake assistant (pure logic, no server). */
import { describe, expect, it } from 'vitest';
import { conversationLanguage, detectMessageLanguage } from '../src/openai-stub/language.js';
import { parseContextLines, shopAssistantReply, type AssistantLanguage, type AssistantStep } from '../src/openai-stub/shop-assistant.js';
import type { ThreadItem } from '@lead-intake/shared/chatkit';
import { loadConversationFixtures } from '../src/fixtures/index.js';

const CLOSED_CONTEXT = [
  'You are the intake assistant.',
  'shop_name: Rosewood Upholstery',
  'shop_is_open_now: false',
  'shop_next_open_day: Monday',
  'shop_next_open_time: 8:00 AM',
].join('\n');

describe('shopAssistantReply: what it asks for next', () => {
  it.each<[string, string[], AssistantStep, RegExp]>([
    ['a greeting', ['Hi'], 'ask_job', /^What can we help you with\?/],
    ['a job', ['My driver seat is torn'], 'ask_vehicle', /^Got it\. What vehicle is it\? Please tell me the make, model and year\.$/],
    [
      'a job, then a vehicle',
      ['My driver seat is torn', '2015 Toyota Camry'],
      'ask_contact',
      /^Thanks! What is your name, and the best phone number or email/,
    ],
    ['job and vehicle at once', ['The headliner in my 2009 Subaru Outback is sagging'], 'ask_contact', /^Thanks! What is your name/],
    ['a vehicle but no job', ['I have a 2015 Toyota Camry'], 'ask_job', /^What can we help you with\?/],
    [
      'a phone',
      ['Seat torn', '2015 Toyota Camry', "I'm Ana, 650-555-0135"],
      'thanks',
      /^Thank you, Ana! The shop will call you back soon at \+16505550135\.$/,
    ],
    [
      'an email only',
      ['Seat torn', 'Honda Civic 2012', 'ana@example.com'],
      'thanks',
      /^Thank you! The shop will write back to you soon at ana@example\.com\.$/,
    ],
    ['a contact before anything else', ['Call me at 415-555-0168'], 'thanks', /will call you back soon at \+14155550168/],
    ["the shop's own number only", ['Is 408-555-0142 your number? My seat is torn'], 'ask_vehicle', /^Got it\./],
    ['a 7-digit number that is no phone', ['Seat torn on my Ford F-150', 'order 555-0101'], 'ask_contact', /^Thanks! What is your name/],
  ])('when the customer gave %s, then it answers %s', (_label, messages, step, text) => {
    const reply = shopAssistantReply({ customerMessages: messages });
    expect(reply.step).toBe(step);
    expect(reply.text).toMatch(text);
  });

  it('when context names the shop, then the thanks uses that name', () => {
    const reply = shopAssistantReply({ customerMessages: ['Seat torn', 'mia@example.org'], instructions: CLOSED_CONTEXT });
    expect(reply.text).toBe('Thank you! Rosewood Upholstery will write back to you soon at mia@example.org.');
  });

  it('when the same conversation is answered twice, then the replies are identical (deterministic)', () => {
    const input = { customerMessages: ['Hola', 'el asiento está roto'], instructions: CLOSED_CONTEXT };
    expect(shopAssistantReply(input)).toEqual(shopAssistantReply(input));
  });
});

describe('shopAssistantReply: the language of the last message', () => {
  it.each<[AssistantLanguage, string, AssistantStep, string]>([
    ['en', 'Hi, my leather seat is cracked', 'ask_vehicle', 'Got it. What vehicle is it? Please tell me the make, model and year.'],
    ['es', 'Hola, el asiento de mi carro está roto', 'ask_vehicle', 'Entendido. ¿Qué vehículo es? Dígame la marca, el modelo y el año.'],
    [
      'vi',
      'Chào, ghế xe tôi bị rách',
      'ask_vehicle',
      'Dạ, tiệm hiểu rồi. Xe của anh/chị là xe gì? Anh/chị cho biết hãng, mẫu xe và năm sản xuất.',
    ],
    [
      'fr',
      'Bonjour, mon siège est déchiré',
      'ask_vehicle',
      'Bien noté. De quel véhicule s’agit-il ? Indiquez-moi la marque, le modèle et l’année.',
    ],
    ['zh', '你好，我的座椅破了', 'ask_vehicle', '好的。请问是什么车？请告诉我品牌、型号和年份。'],
    ['ar', 'مرحبا، مقعد سيارتي ممزق', 'ask_vehicle', 'حسنًا. ما هي السيارة؟ من فضلك أخبرني بالشركة المصنعة والطراز وسنة الصنع.'],
    ['pt', 'Olá, o banco do meu carro rasgou', 'ask_vehicle', 'Entendi. Qual é o veículo? Por favor, diga a marca, o modelo e o ano.'],
    [
      'pt',
      'Oi, preciso reformar o estofamento de couro',
      'ask_vehicle',
      'Entendi. Qual é o veículo? Por favor, diga a marca, o modelo e o ano.',
    ],
    [
      'es',
      'Buenas tardes, necesito tapizar los asientos',
      'ask_vehicle',
      'Entendido. ¿Qué vehículo es? Dígame la marca, el modelo y el año.',
    ],
  ])('when the last message is in %s (%s), then the reply is too', (language, message, step, text) => {
    const reply = shopAssistantReply({ customerMessages: [message] });
    expect(reply).toMatchObject({ language, step, text });
  });

  it('when the customer switches language, then the reply follows the LAST message', () => {
    const reply = shopAssistantReply({ customerMessages: ['Hi, my seat is torn', 'Perdón, mejor en español: es un Honda Civic 2012'] });
    expect(reply).toMatchObject({ language: 'es', step: 'ask_contact' });
    expect(reply.text).toMatch(/^¡Gracias! ¿Cuál es su nombre/);
  });

  it('when the last message has no language signal (a phone number), then the latest message that has one decides', () => {
    const reply = shopAssistantReply({
      customerMessages: ['Bonjour, le cuir du siège est déchiré', 'Peugeot 308 2018', '+1 415 555 0168'],
    });
    expect(reply).toMatchObject({ language: 'fr', step: 'thanks' });
    expect(reply.text).toBe('Merci ! L’atelier vous rappellera bientôt au +14155550168.');
  });

  it.each<[string, AssistantLanguage | null]>([
    ['555-0101', null],
    ['jane.doe@example.com', null],
    ['<b>ok</b> https://example.com/photo.jpg', null],
    ['2015 Toyota Camry', null],
    ['Giá bao nhiêu?', 'vi'],
    ['多少钱？', 'zh'],
    ['بكم؟', 'ar'],
    ['Quanto custa?', 'pt'],
    ['¿Cuánto cuesta?', 'es'],
    ['Combien ça coûte ?', 'fr'],
    ['How much is it?', 'en'],
  ])('when a single message reads %j, then detectMessageLanguage gives %s', (text, language) => {
    expect(detectMessageLanguage(text)).toBe(language);
  });

  it('when nothing has a language signal, then the default is en', () => {
    expect(conversationLanguage(['555-0101', '2015 Toyota Camry'])).toBe('en');
    expect(conversationLanguage([])).toBe('en');
  });
});

describe('shopAssistantReply: prices and opening hours', () => {
  it.each<[AssistantLanguage, string, string]>([
    ['en', 'How much does it cost to fix a torn seat?', "I can't quote prices here: the shop will give you a quote after seeing the job."],
    [
      'es',
      '¿Cuánto cuesta arreglar un asiento roto?',
      'No puedo dar precios por aquí: el taller le dará un presupuesto después de ver el trabajo.',
    ],
    ['vi', 'Sửa ghế rách giá bao nhiêu?', 'Tiệm không báo giá qua tin nhắn: tiệm sẽ báo giá sau khi xem tận nơi công việc.'],
    [
      'fr',
      'Combien coûte la réparation du siège ?',
      'Je ne peux pas donner de prix ici : l’atelier vous fera un devis après avoir vu le travail.',
    ],
    ['zh', '修座椅多少钱？', '我这里不能报价：店里看过具体情况后会给您报价。'],
    ['ar', 'كم سعر تصليح المقعد؟', 'لا أستطيع إعطاء أسعار هنا: ستقدم لك الورشة عرض سعر بعد معاينة العمل.'],
    ['pt', 'Quanto custa consertar o banco?', 'Não posso passar preços por aqui: a oficina fará um orçamento depois de ver o serviço.'],
  ])(
    'when the customer asks a price in %s, then it quotes none and says the shop quotes after seeing the job',
    (language, message, note) => {
      const reply = shopAssistantReply({ customerMessages: [message] });
      expect(reply.language).toBe(language);
      expect(reply.answered).toContain('price');
      expect(reply.text.startsWith(note)).toBe(true);
      expect(reply.text).not.toMatch(/[$€]\s?\d|\d+\s?(?:dollars|USD|pesos|đồng|元|دولار|reais)/i);
    },
  );

  it.each<[string, string, string]>([
    ['closed, with the next opening', CLOSED_CONTEXT, "We're closed right now. We open again Monday at 8:00 AM."],
    [
      'open, with closing time and today’s hours',
      'shop_is_open_now: true\nshop_closes_at_time: 5:00 PM\nshop_hours_today: 8:00 AM – 5:00 PM',
      "We're open right now until 5:00 PM (today's hours: 8:00 AM – 5:00 PM).",
    ],
    ['only today’s hours', 'shop_hours_today: 9:00 AM – 1:00 PM', "Today's hours: 9:00 AM – 1:00 PM."],
    [
      'bulleted, indented and quoted lines',
      '  - shop_is_open_now: "no"\n  * shop_next_open_day: Tuesday',
      "We're closed right now. We open again Tuesday.",
    ],
    [
      'no context lines',
      'You are a helpful assistant.',
      "I don't have the shop's hours at hand; the shop will confirm them when they contact you.",
    ],
  ])('when the customer asks about hours and the instructions have %s, then it answers from them', (_label, instructions, answer) => {
    const reply = shopAssistantReply({ customerMessages: ['Are you open now?'], instructions });
    expect(reply.answered).toEqual(['hours']);
    expect(reply.text).toBe(
      `${answer} What can we help you with? Tell me what needs repair, for example a torn seat, a sagging headliner or a worn steering wheel.`,
    );
  });

  it.each<[AssistantLanguage, string, string]>([
    ['es', '¿Están abiertos hoy?', 'Ahora mismo estamos cerrados. Volvemos a abrir el Monday a las 8:00 AM.'],
    ['fr', 'Vous êtes ouverts aujourd’hui ?', 'Nous sommes fermés en ce moment. Nous rouvrons Monday à 8:00 AM.'],
    ['vi', 'Tiệm có mở cửa hôm nay không?', 'Hiện tiệm đang đóng cửa. Tiệm mở cửa lại vào Monday lúc 8:00 AM.'],
    ['zh', '你们今天几点开门？', '我们现在已经关门了。下次营业是 Monday 8:00 AM。'],
    ['ar', 'هل الورشة مفتوح اليوم؟', 'نحن مغلقون الآن. نفتح مجددًا يوم Monday الساعة 8:00 AM.'],
    ['pt', 'Vocês estão abertos hoje?', 'Estamos fechados agora. Abrimos de novo Monday às 8:00 AM.'],
  ])(
    'when the customer asks about hours in %s, then the answer is in that language with the context values',
    (language, message, answer) => {
      const reply = shopAssistantReply({ customerMessages: [message], instructions: CLOSED_CONTEXT });
      expect(reply.language).toBe(language);
      expect(reply.answered).toEqual(['hours']);
      expect(reply.text.startsWith(answer)).toBe(true);
    },
  );

  it('when "open" is about the damage, not the shop, then no hours are given', () => {
    const reply = shopAssistantReply({ customerMessages: ['The seam split open on my seat'], instructions: CLOSED_CONTEXT });
    expect(reply.answered).toEqual([]);
    expect(reply.step).toBe('ask_vehicle');
  });
});

describe('parseContextLines', () => {
  it('when instructions mix prose and key: value lines, then only snake_case keys at line start are taken, the last one winning', () => {
    expect(
      parseContextLines(
        'You help customers. Note: be kind.\nshop_is_open_now: true\n- shop_hours_today: 8:00 AM – 5:00 PM\nShop_Name: ignored\nshop_next_open_day: "Monday"\nshop_is_open_now: false\nempty_value:   ',
      ),
    ).toEqual({ shop_is_open_now: 'false', shop_hours_today: '8:00 AM – 5:00 PM', shop_next_open_day: 'Monday' });
  });
});

describe('shopAssistantReply on the conversation fixtures', async () => {
  const fixtures = await loadConversationFixtures();
  const customerTexts = (items: readonly ThreadItem[]): string[] =>
    items.flatMap((item) => (item.type === 'user_message' ? [item.content.map((c) => c.text).join('\n')] : []));

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'when %s is answered, then the reply is in the fixture language and thanks exactly when a contact was given',
    (_name, f) => {
      const reply = shopAssistantReply({ customerMessages: customerTexts(f.items) });
      const hasContact = f.expect.emails.length + f.expect.phones.length > 0;
      expect(reply.language).toBe(f.expect.language);
      expect(reply.step === 'thanks').toBe(hasContact);
      if (hasContact) expect([reply.known.phone, reply.known.email]).toContain(f.expect.phones[0] ?? f.expect.emails[0]);
    },
  );
});
