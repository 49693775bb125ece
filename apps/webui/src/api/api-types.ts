/** A session as the list and metadata routes describe it. */
export interface SessionMeta {
  id: string;
  title: string | null;
  model: string | null;
  createdAt: number;
  updatedAt: number;
  costUsd?: number;
}

/** `GET /api/sessions`. */
export interface SessionPage {
  sessions: SessionMeta[];
  nextCursor?: string | null;
}

/** `GET /api/config`. */
export interface ServerConfig {
  model: string | null;
  models: string[];
  features: Record<string, boolean>;
}

/** `POST /api/attachments`: what the run's `attachments` refer to. */
export interface UploadedAttachment {
  id: string;
  name?: string;
  mediaType?: string;
  size?: number;
  url?: string;
}
