/** Contract tests: the local SES (aws-ses-v2-local) driven by the real @aws-sdk/client-ses. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { readStore, sesClientConfig, startSes } from '../src/ses/start-ses.js';

/** The clock the local SES stamps `acceptedAtMs` with (this process's). */
const epochMs = () => performance.timeOrigin + performance.now();

const ses = await startSes();
const client = new SESClient(sesClientConfig(ses.endpoint));

beforeEach(async () => {
  await ses.clear();
});

afterAll(async () => {
  client.destroy();
  await ses.close();
});

describe('startSes', () => {
  it('when started, then it listens on a free loopback port and serves the viewer', async () => {
    expect(ses.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ses.viewerUrl).toBe(`${ses.endpoint}/`);
    const viewer = await fetch(ses.viewerUrl);
    expect(viewer.status).toBe(200);
    expect(viewer.headers.get('content-type')).toContain('text/html');
    expect(await ses.store()).toEqual([]);
  });

  it('when a second server starts, then it gets another port', async () => {
    const other = await startSes();
    try {
      expect(other.endpoint).not.toBe(ses.endpoint);
    } finally {
      await other.close();
    }
  });
});

describe('SendEmail (v1)', () => {
  it('when an email with html, text and Reply-To is sent, then /store has subject, to, from, replyTo, html, text and the acceptance time', async () => {
    const before = epochMs();
    const out = await client.send(
      new SendEmailCommand({
        Source: 'Lead Bot <leads@shop.example>',
        Destination: { ToAddresses: ['owner@shop.example'], CcAddresses: ['desk@shop.example'] },
        ReplyToAddresses: ['customer@example.com'],
        Message: {
          Subject: { Data: 'New lead: Ana — seat repair', Charset: 'UTF-8' },
          Body: {
            Html: { Data: '<p>Hello <b>shop</b> &amp; team</p>', Charset: 'UTF-8' },
            Text: { Data: 'Hello shop & team', Charset: 'UTF-8' },
          },
        },
      }),
    );
    const after = epochMs();
    expect(out.MessageId).toBeTruthy();

    const emails = await ses.store();
    expect(emails).toHaveLength(1);
    const email = emails[0];
    expect(email).toMatchObject({
      messageId: out.MessageId,
      from: 'Lead Bot <leads@shop.example>',
      replyTo: ['customer@example.com'],
      destination: { to: ['owner@shop.example'], cc: ['desk@shop.example'], bcc: [] },
      subject: 'New lead: Ana — seat repair',
      body: { html: '<p>Hello <b>shop</b> &amp; team</p>', text: 'Hello shop & team' },
    });
    expect(email?.at).toBeGreaterThan(0);
    expect(email?.acceptedAtMs).toBeGreaterThanOrEqual(before);
    expect(email?.acceptedAtMs).toBeLessThanOrEqual(after);
  });

  it('when an email without a subject is sent, then SES rejects it', async () => {
    await expect(
      client.send(
        new SendEmailCommand({
          Source: 'leads@shop.example',
          Destination: { ToAddresses: ['owner@shop.example'] },
          Message: { Subject: undefined as never, Body: { Text: { Data: 'x' } } },
        }),
      ),
    ).rejects.toThrow();
    expect(await ses.store()).toEqual([]);
  });
});

describe('SendRawEmail (v1)', () => {
  it('when a MIME message with Reply-To, threading headers and html+text parts is sent, then /store has its parsed fields, headers and acceptance time', async () => {
    const raw = [
      'From: Lead Bot <leads@shop.example>',
      'To: owner@shop.example',
      'Reply-To: customer@example.com',
      'In-Reply-To: <0100-lead@us-west-1.amazonses.com>',
      'References: <lead.cthr_1@shop.example>',
      '  <0100-lead@us-west-1.amazonses.com>',
      'Subject: =?UTF-8?B?' + Buffer.from('Nuevo cliente: tapicería').toString('base64') + '?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Plain body',
      '--b1',
      'Content-Type: text/html; charset=UTF-8',
      '',
      '<p>HTML body</p>',
      '--b1--',
      '',
    ].join('\r\n');
    const before = epochMs();
    const out = await client.send(
      new SendRawEmailCommand({
        Source: 'leads@shop.example',
        Destinations: ['owner@shop.example'],
        RawMessage: { Data: Buffer.from(raw, 'utf8') },
      }),
    );
    const after = epochMs();
    expect(out.MessageId).toBeTruthy();

    const [email] = await readStore(ses.endpoint);
    expect(email).toMatchObject({
      messageId: out.MessageId,
      replyTo: ['customer@example.com'],
      destination: { to: ['owner@shop.example'] },
      subject: 'Nuevo cliente: tapicería',
    });
    expect(email?.from).toContain('leads@shop.example');
    expect(email?.body.text?.trim()).toBe('Plain body');
    expect(email?.body.html?.trim()).toBe('<p>HTML body</p>');
    // Kept by our front door (aws-ses-v2-local drops raw headers), folded lines unfolded.
    expect(email?.headers).toEqual(
      expect.arrayContaining([
        { name: 'In-Reply-To', value: '<0100-lead@us-west-1.amazonses.com>' },
        { name: 'References', value: '<lead.cthr_1@shop.example> <0100-lead@us-west-1.amazonses.com>' },
      ]),
    );
    // Milliseconds, where aws-ses-v2-local's own `at` is whole seconds.
    expect(email?.acceptedAtMs).toBeGreaterThanOrEqual(before);
    expect(email?.acceptedAtMs).toBeLessThanOrEqual(after);
  });
});

describe('clear', () => {
  it('when the store is cleared, then it is empty', async () => {
    await client.send(
      new SendEmailCommand({
        Source: 'leads@shop.example',
        Destination: { ToAddresses: ['owner@shop.example'] },
        Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
      }),
    );
    expect(await ses.store()).toHaveLength(1);
    await ses.clear();
    expect(await ses.store()).toEqual([]);
  });
});
