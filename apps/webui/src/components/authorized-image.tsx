import { useEffect, useState } from 'react';
import { authHeaders } from '../api/token-store.js';

/** What an image from the API shows while it loads, once loaded, or when it cannot. */
type Loaded = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'failed' };

/**
 * An image this server serves (`/api/…`). Without a token it is a plain
 * `<img src>`. With one (the tab signed in), an `<img>` cannot send the bearer
 * header, so the file is fetched with it and shown from a `data:` URL: the
 * server's Content-Security-Policy allows `data:` images and not `blob:` ones,
 * and no new server surface (a signed URL that would have to be scoped,
 * expiring and tested) is needed. The fetch is aborted when the image leaves
 * the screen (a virtualised row unmounts) or its source changes.
 */
export function AuthorizedImage(props: { src: string; alt: string; className?: string }) {
  const { src, alt, className } = props;
  const authorization = authHeaders().authorization;
  const needsToken = authorization !== undefined && src.startsWith('/api/');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    if (!needsToken) return;
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    fetchAsDataUrl(src, authorization, controller.signal).then(
      (url) => {
        if (!controller.signal.aborted) setLoaded({ state: 'ready', url });
      },
      () => {
        if (!controller.signal.aborted) setLoaded({ state: 'failed' });
      },
    );
    return () => controller.abort();
  }, [src, authorization, needsToken]);

  if (!needsToken) return <img src={src} alt={alt} className={className} loading="lazy" />;
  if (loaded.state === 'ready') return <img src={loaded.url} alt={alt} className={className} />;
  return (
    <span
      className={`${className ?? ''} attachment__placeholder`}
      role="img"
      aria-label={loaded.state === 'failed' ? `${alt} (could not be loaded)` : alt}
      data-state={loaded.state}
    />
  );
}

async function fetchAsDataUrl(
  src: string,
  authorization: string,
  signal: AbortSignal,
): Promise<string> {
  const response = await fetch(src, { headers: { authorization }, signal });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${src}`);
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('unreadable'));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
}
