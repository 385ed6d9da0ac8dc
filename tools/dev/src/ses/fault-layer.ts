/**
 * The local SES's front door: `/__ses/*` control endpoints and the fault injection of `faults.ts`,
 * in front of aws-ses-v2-local's own Express app (which is handed every request that no fault
 * answers, its body already parsed the way it parses it).
 *
 *   GET    /__ses/faults   {"data": [ActiveSesFault...]}
 *   POST   /__ses/faults   SesFaultSpec or [SesFaultSpec...] -> 201 {"data": [ActiveSesFault...]};
 *                          400 {"error": {"code": "invalid_fault", "message"}}
 *   DELETE /__ses/faults   204
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Express, type Request, type Response } from 'express';
import { SesFaultSpecError, type ActiveSesFault, type SesFaultRegistry, type SesRequestFacts } from './faults.js';
import { annotateStoredEmail, answeredMessageId, rawHeaders } from './stored-email-extras.js';

const SENDING_ACTIONS = new Set(['SendEmail', 'SendRawEmail']);

export function faultLayer(inner: RequestListener, faults: SesFaultRegistry): Express {
  const app = express();
  app.disable('x-powered-by');

  const control = express.Router();
  control.use(express.json({ limit: '1mb' }));
  control.get('/faults', (_req, res) => {
    res.json({ data: faults.list() });
  });
  control.post('/faults', (req, res) => {
    const body: unknown = req.body;
    try {
      res.status(201).json({ data: faults.injectAll(Array.isArray(body) ? body : [body]) });
    } catch (error) {
      if (!(error instanceof SesFaultSpecError)) throw error;
      res.status(400).json({ error: { code: 'invalid_fault', message: error.message } });
    }
  });
  control.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  control.use((req, res) => {
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `Unknown local SES control endpoint (${req.method} ${req.originalUrl}).` } });
  });
  app.use('/__ses', control);

  // The same parser (and limit) as aws-ses-v2-local's; its own parser then skips the read body.
  app.post('/', express.urlencoded({ extended: false, limit: '25mb' }), (req, res, next) => {
    const facts = requestFacts(req);
    if (facts) annotateWhenAccepted(req, res);
    const fault = facts ? faults.take(facts) : undefined;
    if (!fault) {
      next();
      return;
    }
    applyFault(fault, req, res, next);
  });
  app.use((req, res) => {
    inner(req as IncomingMessage, res as ServerResponse);
  });
  return app;
}

/** Once SES answered with the message id: the stored email gets its acceptance time (and a SendRawEmail its headers). */
function annotateWhenAccepted(req: Request, res: Response): void {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const raw = body['RawMessage.Data'];
  const headers =
    body.Action === 'SendRawEmail' && typeof raw === 'string' ? rawHeaders(Buffer.from(raw, 'base64').toString('utf8')) : null;
  const send = res.send.bind(res);
  res.send = ((payload?: unknown) => {
    const messageId = typeof payload === 'string' ? answeredMessageId(payload) : undefined;
    if (messageId)
      annotateStoredEmail(messageId, { acceptedAtMs: performance.timeOrigin + performance.now(), ...(headers ? { headers } : {}) });
    return send(payload);
  }) as Response['send'];
}

function requestFacts(req: Request): SesRequestFacts | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const action = typeof body.Action === 'string' ? body.Action : '';
  if (!SENDING_ACTIONS.has(action)) return undefined;
  const subject = body['Message.Subject.Data'];
  const raw = body['RawMessage.Data'];
  const subjectText = typeof subject === 'string' ? subject : typeof raw === 'string' ? Buffer.from(raw, 'base64').toString('utf8') : '';
  return { action, subjectText };
}

function applyFault(fault: ActiveSesFault, req: Request, res: Response, next: () => void): void {
  switch (fault.kind) {
    case 'throttle':
      sesError(res, 400, 'Sender', 'Throttling', 'Maximum sending rate exceeded.');
      return;
    case 'status': {
      const server = fault.status >= 500;
      const code = fault.code ?? (server ? 'InternalFailure' : 'MessageRejected');
      sesError(res, fault.status, server ? 'Receiver' : 'Sender', code, fault.message ?? `Injected ${code}.`);
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'reply_lost':
      // aws-ses-v2-local stores the email, then answers with res.send → res.end: the answer never leaves.
      res.end = ((..._args: unknown[]) => {
        req.socket.destroy();
        return res;
      }) as Response['end'];
      next();
      return;
  }
}

/** An SES Query-protocol error, as the real service sends it. */
function sesError(res: Response, status: number, type: 'Sender' | 'Receiver', code: string, message: string): void {
  res
    .status(status)
    .type('text/xml')
    .send(
      `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type>` +
        `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
        `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
