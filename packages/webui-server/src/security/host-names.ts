import { isIP } from 'node:net';

/** Host names every loopback server answers to, as they appear in a `Host` header. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * True for an address that only this machine can reach: `localhost`, any
 * `127.x.x.x` and `::1`. `0.0.0.0` and `::` listen on every interface, so
 * they are not loopback.
 */
export function isLoopbackAddress(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/**
 * The host name of a `Host` header value, lowercased, without the port:
 * `Example.com:8420` → `example.com`, `[::1]:8420` → `[::1]`. Undefined for
 * a value that is not a host (empty, or with a path or credentials).
 */
export function hostNameOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim().toLowerCase();
  if (value === '' || /[\s/@?#]/.test(value)) return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  if (colon < 0) return value;
  if (value.indexOf(':', colon + 1) >= 0) return undefined; // a bare IPv6 address is not a Host value
  return /^\d{1,5}$/.test(value.slice(colon + 1)) ? value.slice(0, colon) : undefined;
}

/** A configured host name as it appears in a `Host` header (IPv6 in brackets, lowercased). */
export function normaliseHostName(name: string): string {
  const value = name.trim().toLowerCase();
  return isIP(value) === 6 ? `[${value}]` : value;
}
