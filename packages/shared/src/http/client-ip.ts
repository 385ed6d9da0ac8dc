import { BlockList, isIP } from 'node:net';

export interface ProxyTrust {
  /** Hops always trusted from the socket outwards (1 = Cloud Run's front end). */
  hops: number | false;
  /** Further proxies trusted only when their address is in one of these CIDR ranges (e.g. Firebase Hosting's egress). */
  ranges?: readonly string[];
}

/**
 * Express `trust proxy` as a function: the first `hops` addresses are trusted, and beyond them an
 * address only if it is in a listed range. A client can prepend anything to `X-Forwarded-For`,
 * but it cannot make the address the front end appended fall in a trusted range, so `req.ip`
 * stays the real client on a direct connection and on the Hosting path alike (decision 0007).
 */
export function proxyTrust(trust: ProxyTrust): (address: string, hop: number) => boolean {
  const hops = trust.hops === false ? 0 : trust.hops;
  const list = new BlockList();
  for (const range of trust.ranges ?? []) {
    const [network, bits] = range.split('/');
    const family = isIP(network ?? '') === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(network ?? '', Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  const hasRanges = (trust.ranges ?? []).length > 0;
  return (address, hop) => {
    if (hop < hops) return true;
    if (!hasRanges) return false;
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    return isIP(plain) !== 0 && list.check(plain, family);
  };
}

/** Valid CIDR (or single address) syntax for `TRUSTED_PROXY_RANGES`. */
export function isCidr(value: string): boolean {
  const [network, bits, extra] = value.split('/');
  if (extra !== undefined || !network) return false;
  const family = isIP(network);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n >= 0 && n <= (family === 6 ? 128 : 32);
}
