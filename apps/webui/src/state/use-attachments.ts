import { useCallback, useState } from 'react';
import { api } from '../api/api-client.js';
import { randomId } from '../lib/format.js';

/** A file on its way into the next message. */
export interface PendingAttachment {
  readonly localId: string;
  readonly file: File;
  /**
   * A local preview of an image: a `data:` URL, because the server's
   * Content-Security-Policy (helmet's default `img-src 'self' data:`) blocks
   * `blob:` URLs, which would show as broken images.
   */
  readonly previewUrl?: string;
  readonly state: 'uploading' | 'ready' | 'failed';
  /** The server's id once uploaded: what the run refers to. */
  readonly id?: string;
  readonly error?: string;
}

/** Images up to this size get a preview (a data URL holds the whole file in memory). */
const MAX_PREVIEW_BYTES = 10 * 1024 * 1024;

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('no data URL'));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(file);
  });
}

/**
 * The attachments of the message being written: each file is uploaded as
 * soon as it is added (`POST /api/attachments`), so sending only names ids.
 */
export function useAttachments(enabled: boolean) {
  const [items, setItems] = useState<readonly PendingAttachment[]>([]);

  const add = useCallback(
    (files: readonly File[]) => {
      if (!enabled) return;
      for (const file of files) {
        const localId = randomId('att');
        setItems((current) => [...current, { localId, file, state: 'uploading' }]);
        if (file.type.startsWith('image/') && file.size <= MAX_PREVIEW_BYTES)
          readDataUrl(file).then(
            (previewUrl) =>
              setItems((current) =>
                current.map((item) => (item.localId === localId ? { ...item, previewUrl } : item)),
              ),
            () => undefined, // no preview: the chip shows a paperclip instead
          );
        api.upload(file).then(
          (uploaded) =>
            setItems((current) =>
              current.map((item) =>
                item.localId === localId ? { ...item, state: 'ready', id: uploaded.id } : item,
              ),
            ),
          (error: unknown) =>
            setItems((current) =>
              current.map((item) =>
                item.localId === localId
                  ? {
                      ...item,
                      state: 'failed',
                      error: error instanceof Error ? error.message : String(error),
                    }
                  : item,
              ),
            ),
        );
      }
    },
    [enabled],
  );

  const remove = useCallback((localId: string) => {
    setItems((current) => current.filter((item) => item.localId !== localId));
  }, []);

  /** Ids of the uploaded files, and a reset for after the message was sent. */
  const readyIds = items.flatMap((item) => (item.state === 'ready' && item.id ? [item.id] : []));
  const clear = useCallback(() => setItems([]), []);
  return { items, add, remove, readyIds, clear };
}
