/**
 * The floor for the minting benchmark: a bare Express route that signs the same visitor token
 * (jose HS256, same claims, key imported once) and nothing else. Run as its own process, like the service.
 */
import express from 'express';
import { SignJWT } from 'jose';

// Imported once, as the service does.
const key = await crypto.subtle.importKey('raw', new Uint8Array(32).fill(7), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
const app = express();
app.use(express.json());
app.post('/mint', async (req, res) => {
  const user = typeof req.body?.user === 'string' ? req.body.user : 'anon_bench_floor';
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ loc: 'es', url: 'https://shop.example/es/' })
    .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'JWT' })
    .setSubject(user)
    .setIssuer('chatkit-lead-intake/session')
    .setAudience('chatkit-lead-intake/chatkit')
    .setIssuedAt(now)
    .setExpirationTime(now + 900)
    .sign(key);
  res.json({ token, expires_at: now + 900, user });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
