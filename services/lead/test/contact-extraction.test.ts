import { describe, expect, it } from 'vitest';
import type { ExtractedContact } from '../src/domain/contact.js';
import { extractContact, extractContactFromText } from '../src/domain/contact-extraction.js';
import type { ContactExtractionOptions } from '../src/domain/contact-extraction.js';
import type { Transcript, TranscriptMessage } from '../src/domain/transcript.js';

// The shop of these tests: a San Jose upholstery shop whose own number and emails must never be
// reported as the customer's.
const shop: ContactExtractionOptions = {
  shopPhones: ['(408) 555-0100', '+1 650-555-0111'],
  shopEmails: ['Hello@AcmeUpholstery.com', 'mailto:quotes@acmeupholstery.com'],
  defaultCountry: 'US',
};

interface TextRow {
  when: string;
  then: string;
  text: string;
  expected: ExtractedContact;
}

const phones = (...values: string[]): ExtractedContact => ({ emails: [], phones: values });
const emails = (...values: string[]): ExtractedContact => ({ emails: values, phones: [] });
const nothing: ExtractedContact = { emails: [], phones: [] };

/** `[when, then, row]` tuples, so test names read "when …, then …" untruncated. */
const named = <Row extends { when: string; then: string }>(rows: Row[]): [string, string, Row][] =>
  rows.map((row) => [row.when, row.then, row]);

describe('extractContactFromText: US phone formats', () => {
  const rows: TextRow[] = [
    {
      when: 'a number is written (408) 555-0142',
      then: 'it is found in E.164',
      text: 'Call me at (408) 555-0142',
      expected: phones('+14085550142'),
    },
    {
      when: 'a number is written 408-555-0142',
      then: 'it is found in E.164',
      text: 'my cell is 408-555-0142 thanks',
      expected: phones('+14085550142'),
    },
    { when: 'a number is written with dots', then: 'it is found in E.164', text: 'phone: 408.555.0142', expected: phones('+14085550142') },
    { when: 'a number is ten bare digits', then: 'it is found in E.164', text: 'text me 4085550142', expected: phones('+14085550142') },
    {
      when: 'a number has +1 and spaces',
      then: 'it is found in E.164',
      text: 'reach me on +1 408 555 0142',
      expected: phones('+14085550142'),
    },
    {
      when: 'a number has a 1- trunk prefix',
      then: 'it is found in E.164',
      text: 'number 1-408-555-0142',
      expected: phones('+14085550142'),
    },
    {
      when: 'a fixture number (650) 555-0199 is given',
      then: 'the fictional 555-01XX number is accepted',
      text: 'Try (650) 555-0199 after 5',
      expected: phones('+16505550199'),
    },
    {
      when: 'an order is mentioned without a number marker',
      then: 'a phone after it is still found',
      text: 'call me about the order 408-555-0142',
      expected: phones('+14085550142'),
    },
    {
      when: 'a fixture number +1 408-555-0142 is given',
      then: 'it is accepted',
      text: 'It is +1 408-555-0142.',
      expected: phones('+14085550142'),
    },
    {
      when: 'a number has an extension',
      then: 'the E.164 number is kept without the extension',
      text: 'work: (408) 555-0142 ext. 12',
      expected: phones('+14085550142'),
    },
    { when: 'a number is glued to a tel: label', then: 'it is found', text: 'tel:4085550142', expected: phones('+14085550142') },
    {
      when: 'a number ends a sentence with punctuation',
      then: 'the punctuation is not part of it',
      text: 'Call 408-555-0142!',
      expected: phones('+14085550142'),
    },
  ];
  it.each(named(rows))('when %s, then %s', (_when, _then, { text, expected }) => {
    expect(extractContactFromText(text, shop)).toEqual(expected);
  });
});

describe('extractContactFromText: international phone formats', () => {
  const rows: TextRow[] = [
    {
      when: 'a UK number is written +44 20 7946 0958',
      then: 'it is found in E.164',
      text: 'London office: +44 20 7946 0958',
      expected: phones('+442079460958'),
    },
    {
      when: 'a Mexican number is written +52 55 1234 5678',
      then: 'it is found in E.164',
      text: 'mi celular +52 55 1234 5678',
      expected: phones('+525512345678'),
    },
    {
      when: 'a Vietnamese mobile is written +84 912 345 678',
      then: 'it is found in E.164',
      text: 'Zalo: +84 912 345 678',
      expected: phones('+84912345678'),
    },
    {
      when: 'a number uses the 0044 international prefix',
      then: 'it is read as +44',
      text: 'ring me on 0044 20 7946 0958',
      expected: phones('+442079460958'),
    },
    {
      when: 'a number uses the US 011 international prefix',
      then: 'it is read as +44',
      text: 'dial 011 44 20 7946 0958',
      expected: phones('+442079460958'),
    },
    {
      when: 'a Chinese mobile is written +86 138 0013 8000',
      then: 'it is found in E.164',
      text: '手机 +86 138 0013 8000',
      expected: phones('+8613800138000'),
    },
  ];
  it.each(named(rows))('when %s, then %s', (_when, _then, { text, expected }) => {
    expect(extractContactFromText(text, shop)).toEqual(expected);
  });
});

describe('extractContactFromText: digits that are not phone numbers', () => {
  const rows: Omit<TextRow, 'expected'>[] = [
    { when: 'a model year is mentioned', then: 'no phone is found', text: 'It is a 2019 Honda Civic' },
    { when: 'a year range is mentioned', then: 'no phone is found', text: 'fits models from 1998 to 2004, also 1998-2004' },
    { when: 'a price with a thousands separator is mentioned', then: 'no phone is found', text: 'they quoted me $1,200 for the seats' },
    { when: 'a price in words is mentioned', then: 'no phone is found', text: 'I can pay 1200 dollars' },
    { when: 'a price with cents is mentioned', then: 'no phone is found', text: 'is $450.00 ok?' },
    { when: 'several prices follow each other', then: 'no phone is found', text: 'options: 1200 1500 2000' },
    { when: 'a ZIP code is mentioned', then: 'no phone is found', text: 'I live in 95112' },
    { when: 'a ZIP+4 code is mentioned', then: 'no phone is found', text: 'San Jose, CA 95112-1234' },
    { when: 'a VIN is given', then: 'no phone is found', text: 'VIN 1HGCM82633A004352' },
    { when: 'a mileage with a separator is given', then: 'no phone is found', text: 'it has 120,000 miles' },
    { when: 'a mileage in k is given', then: 'no phone is found', text: 'only 85k mi on it' },
    { when: 'a US date is given', then: 'no phone is found', text: 'can I come 03/15/2026?' },
    { when: 'an ISO date and time are given', then: 'no phone is found', text: 'booked 2026-03-15 10:30' },
    { when: 'a European date is given', then: 'no phone is found', text: 'am 15.03.2026 bitte' },
    { when: 'times are given', then: 'no phone is found', text: 'between 10:30 and 4:15pm' },
    { when: 'an order number with # is given', then: 'it is not read as a phone', text: 'order #4085550142 was wrong' },
    {
      when: 'an invoice number that looks like a phone is given',
      then: 'it is not read as a phone',
      text: 'invoice no. 408-555-0142 is unpaid',
    },
    { when: 'a part number is given', then: 'no phone is found', text: 'part 52010-1234 and part no. 4085550142' },
    { when: 'short digit runs are given', then: 'no phone is found', text: 'seat 12, row 345, code 5550' },
    { when: 'a seven-digit local number without area code is given', then: 'it is not guessed', text: 'call 555-0142' },
    { when: 'ten digits with a nonexistent area code are given', then: 'no phone is found', text: 'ref 123-456-7890' },
    { when: 'a long digit run contains a phone-like prefix', then: 'no phone is found', text: 'serial 4085550142123' },
    { when: 'a link holds a phone-like id', then: 'no phone is found', text: 'see https://example.com/items/4085550142?ref=1' },
    { when: 'an email local part holds phone-like digits', then: 'only the email is found', text: 'john4085550142@example.com' },
    {
      when: 'an email local part holds a dotted phone-like group',
      then: 'its digits are not read as a phone',
      text: 'write to jane.4085550142@example.com',
    },
  ];
  it.each(named(rows))('when %s, then %s', (_when, _then, { text }) => {
    expect(extractContactFromText(text, shop).phones).toEqual([]);
  });
});

describe('extractContactFromText: emails', () => {
  const rows: TextRow[] = [
    {
      when: 'a plain email is given',
      then: 'it is found',
      text: 'email me: jane.doe@example.com',
      expected: emails('jane.doe@example.com'),
    },
    { when: 'an email is upper-case', then: 'it is lower-cased', text: 'JANE.DOE@EXAMPLE.COM', expected: emails('jane.doe@example.com') },
    {
      when: 'an email ends a sentence',
      then: 'the trailing dot is dropped',
      text: 'It is jane@example.co.uk.',
      expected: emails('jane@example.co.uk'),
    },
    {
      when: 'an email has a plus tag and sub-domain',
      then: 'it is kept whole',
      text: 'use j.doe+cars@mail.example.org, please',
      expected: emails('j.doe+cars@mail.example.org'),
    },
    {
      when: 'an email has a mailto: prefix',
      then: 'the prefix is dropped',
      text: 'mailto:Jane@Example.com',
      expected: emails('jane@example.com'),
    },
    {
      when: 'an email is in angle brackets',
      then: 'the brackets are dropped',
      text: 'Jane Doe <jane@example.com>',
      expected: emails('jane@example.com'),
    },
    {
      when: 'an email is a markdown mailto link',
      then: 'it is found once',
      text: '[jane@example.com](mailto:jane@example.com)',
      expected: emails('jane@example.com'),
    },
    {
      when: 'an email is in parentheses',
      then: 'the parentheses are dropped',
      text: '(jane_doe@example.com)',
      expected: emails('jane_doe@example.com'),
    },
    {
      when: 'an email is spelled "name at gmail dot com"',
      then: 'it is rebuilt',
      text: 'my email is jane.doe at gmail dot com',
      expected: emails('jane.doe@gmail.com'),
    },
    {
      when: 'an email is spelled with [at] and [dot]',
      then: 'it is rebuilt',
      text: 'jane [at] example [dot] org',
      expected: emails('jane@example.org'),
    },
    {
      when: 'an email is spelled in Spanish with arroba and punto',
      then: 'it is rebuilt',
      text: 'mi correo es juan arroba hotmail punto com',
      expected: emails('juan@hotmail.com'),
    },
    {
      when: 'prose says "at" and "dot com" without an email',
      then: 'no email is invented',
      text: 'I work at acme dot com and I am at home at 5',
      expected: nothing,
    },
    {
      when: 'a word-form at follows a pronoun',
      then: 'no email is invented',
      text: 'email me at gmail dot com or reach us at yahoo dot com',
      expected: nothing,
    },
    {
      when: 'a word-form at is used with a known provider and a spelled-out dot in the local part',
      then: 'it is rebuilt',
      text: 'John dot Smith at Gmail dot com',
      expected: emails('john.smith@gmail.com'),
    },
    { when: 'an @ mention without a domain is given', then: 'no email is found', text: 'ping @jane or jane@localhost', expected: nothing },
    {
      when: 'two dots in a row are in the local part',
      then: 'no broken address is invented',
      text: 'jane..doe@example',
      expected: nothing,
    },
  ];
  it.each(named(rows))('when %s, then %s', (_when, _then, { text, expected }) => {
    expect(extractContactFromText(text, shop)).toEqual(expected);
  });
});

describe('extractContactFromText: several contacts, duplicates, languages, the shop itself', () => {
  const rows: TextRow[] = [
    {
      when: 'one message holds two phones and two emails',
      then: 'all are found in order of mention',
      text: 'cell 408-555-0142, home (650) 555-0199; jane@example.com or JD@work.example.net',
      expected: { emails: ['jane@example.com', 'jd@work.example.net'], phones: ['+14085550142', '+16505550199'] },
    },
    {
      when: 'two phones are separated only by a comma',
      then: 'both are found',
      text: '408-555-0142,408-555-0199',
      expected: phones('+14085550142', '+14085550199'),
    },
    {
      when: 'the same number is written twice in different formats',
      then: 'it is reported once',
      text: 'It is (408) 555-0142, i.e. +1 408 555 0142 or 4085550142',
      expected: phones('+14085550142'),
    },
    {
      when: 'the same email is written in two cases',
      then: 'it is reported once',
      text: 'Jane@Example.com / jane@example.com',
      expected: emails('jane@example.com'),
    },
    {
      when: 'a Spanish message gives a number',
      then: 'it is found',
      text: 'Hola, mi número es 408 555 0142 y mi correo es ana@ejemplo.mx',
      expected: { emails: ['ana@ejemplo.mx'], phones: ['+14085550142'] },
    },
    {
      when: 'a Vietnamese message gives a US and a Vietnamese number',
      then: 'both are found',
      text: 'Số điện thoại của tôi là 408 555 0142, hoặc +84 28 3822 1234 nhé',
      expected: phones('+14085550142', '+842838221234'),
    },
    {
      when: 'a Chinese message uses full-width digits and a full-width @',
      then: 'both are read',
      text: '我的电话是４０８－５５５－０１４２，邮箱ｌｉ．ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ',
      expected: { emails: ['li.wei@example.com'], phones: ['+14085550142'] },
    },
    {
      when: 'a Chinese message writes a number with no spaces around it',
      then: 'it is found',
      text: '请打4085550142找我',
      expected: phones('+14085550142'),
    },
    {
      when: 'the customer repeats the shop phone in another format',
      then: 'it is excluded',
      text: 'is 408.555.0100 your number? mine is 408-555-0142',
      expected: phones('+14085550142'),
    },
    {
      when: 'the customer repeats the second shop phone and the shop email in upper case',
      then: 'both are excluded',
      text: 'I called 16505550111 and wrote to HELLO@ACMEUPHOLSTERY.COM and quotes@acmeupholstery.com',
      expected: nothing,
    },
    {
      when: 'a message has dates, prices and a VIN around a phone',
      then: 'only the phone is found',
      text: '2019 Civic, VIN 1HGCM82633A004352, 120,000 miles, quoted $1,200 on 03/15/2026 at 10:30, call 408-555-0142',
      expected: phones('+14085550142'),
    },
  ];
  it.each(named(rows))('when %s, then %s', (_when, _then, { text, expected }) => {
    expect(extractContactFromText(text, shop)).toEqual(expected);
  });
});

const message = (id: number, role: TranscriptMessage['role'], text: string): TranscriptMessage => ({
  id: `msg_${id}`,
  role,
  text,
  createdAt: 1_767_000_000 + id,
  attachments: [],
});

const transcriptOf = (...messages: [TranscriptMessage['role'], string][]): Transcript => ({
  threadId: 'cthr_test',
  title: null,
  user: 'anon_testuser',
  createdAt: 1_767_000_000,
  version: messages.filter(([role]) => role === 'customer').length,
  messages: messages.map(([role, text], index) => message(index, role, text)),
});

describe('extractContact: transcripts', () => {
  const rows: { when: string; then: string; transcript: Transcript; expected: ExtractedContact }[] = [
    {
      when: 'only the assistant quotes the shop phone and email',
      then: 'nothing is extracted',
      transcript: transcriptOf(
        ['customer', 'how much to redo a 2019 Civic seat?'],
        ['assistant', 'Call us at (408) 555-0100 or write hello@acmeupholstery.com.'],
      ),
      expected: nothing,
    },
    {
      when: 'the assistant mentions some other contact',
      then: 'assistant text is never read',
      transcript: transcriptOf(['assistant', 'Our partner is at (650) 555-0123, partner@example.com'], ['customer', 'ok, thanks']),
      expected: nothing,
    },
    {
      when: 'contacts are spread over several customer messages',
      then: 'they are merged in order of first mention',
      transcript: transcriptOf(
        ['customer', 'my email is ZED@example.com'],
        ['assistant', 'Thanks! A phone number too? Ours is 408-555-0100.'],
        ['customer', 'sure: (650) 555-0199'],
        ['customer', 'or 408 555 0142, and zed@example.com again; 650.555.0199 works best'],
      ),
      expected: { emails: ['zed@example.com'], phones: ['+16505550199', '+14085550142'] },
    },
    {
      when: 'the customer repeats the shop number quoted by the assistant',
      then: 'it is excluded and the customer number is kept',
      transcript: transcriptOf(
        ['assistant', 'You can reach the shop at +1 (408) 555-0100.'],
        ['customer', 'I called 408-555-0100 already, no answer. Me: 408 555 0142'],
      ),
      expected: phones('+14085550142'),
    },
  ];
  it.each(named(rows))('when %s, then %s', (_when, _then, { transcript, expected }) => {
    expect(extractContact(transcript, shop)).toEqual(expected);
  });

  it('when the shop is in another country, then national numbers are read in that country', () => {
    const text = 'ring me on 020 7946 0958';
    expect(extractContactFromText(text, { shopPhones: [], shopEmails: [], defaultCountry: 'GB' })).toEqual(phones('+442079460958'));
    expect(extractContactFromText(text, shop)).toEqual(nothing);
  });
});
