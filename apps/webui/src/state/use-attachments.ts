import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/api-client.js';
import { randomId } from '../lib/format.js';

/** A file on its way into the next message. */
export interface PendingAttachment {
  readonly localId: string;
  readonly file: File;
  /** A local preview of an image (an object URL, revoked on removal). */
  readonly previewUrl?: string;
  readonly state: 'uploading' | 'ready' | 'failed';
  /** The server's id once uploaded: what the run refers to. */
  readonly id?: string;
  readonly error?: string;
}

/**
 * The attachments of the message being written: each file is uploaded as
 * soon as it is added (`POST /api/attachments`), so sending only names ids.
 */
export function useAttachments(enabled: boolean) {
  const [items, setItems] = useState<readonly PendingAttachment[]>([]);
  const urls = useRef(new Set<string>());

  useEffect(
    () => () => {
      for (const url of urls.current) URL.revokeObjectURL(url);
    },
    [],
  );

  const add = useCallback(
    (files: readonly File[]) => {
      if (!enabled) return;
      for (const file of files) {
        const localId = randomId('att');
        const previewUrl = file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
        if (previewUrl) urls.current.add(previewUrl);
        setItems((current) => [
          ...current,
          { localId, file, state: 'uploading', ...(previewUrl ? { previewUrl } : {}) },
        ]);
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
    setItems((current) => {
      const gone = current.find((item) => item.localId === localId);
      if (gone?.previewUrl) {
        URL.revokeObjectURL(gone.previewUrl);
        urls.current.delete(gone.previewUrl);
      }
      return current.filter((item) => item.localId !== localId);
    });
  }, []);

  /** Ids of the uploaded files, and a reset for after the message was sent. */
  const readyIds = items.flatMap((item) => (item.state === 'ready' && item.id ? [item.id] : []));
  const clear = useCallback(() => setItems([]), []);
  return { items, add, remove, readyIds, clear };
}
