import { OAuth2Client } from 'google-auth-library';

export interface OidcVerifierOptions {
  /** The audience(s) the tasks were created with (the endpoint's URL by default); any one is accepted. */
  audience: string | string[];
  /** The service account Cloud Tasks mints tokens for. */
  serviceAccountEmail: string;
  /** PEM certs URL; default Google's. The local emulator serves its own. */
  certsUrl?: string | undefined;
  /** Accepted issuers; default Google's. */
  issuers?: string[] | undefined;
}

export type VerifyResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Port + adapter in one: a task endpoint trusts only Cloud Tasks' OIDC tokens for our service account and its audience(s). */
export class OidcVerifier {
  private readonly client: OAuth2Client;

  constructor(private readonly options: OidcVerifierOptions) {
    this.client = new OAuth2Client({
      ...(options.certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl } } : {}),
      ...(options.issuers ? { issuers: options.issuers } : {}),
    });
  }

  async verify(authorization: string | undefined): Promise<VerifyResult> {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return { ok: false, status: 401, reason: 'missing bearer token' };
    let payload;
    try {
      const ticket = await this.client.verifyIdToken({ idToken: token, audience: this.options.audience });
      payload = ticket.getPayload();
    } catch {
      return { ok: false, status: 401, reason: 'invalid token' };
    }
    if (!payload?.email || payload.email !== this.options.serviceAccountEmail || payload.email_verified !== true) {
      return { ok: false, status: 403, reason: 'token is not from the tasks service account' };
    }
    return { ok: true };
  }
}
