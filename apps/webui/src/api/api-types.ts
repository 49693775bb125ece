/** A session as the list and metadata routes describe it. */
export interface SessionMeta {
  id: string;
  title: string | null;
  model: string | null;
  createdAt: number;
  updatedAt: number;
  costUsd?: number;
}

/**
 * `GET /api/sessions/:id`: the metadata, and the session's view (reduced by the
 * server with the shared reducer) up to `headSeq`, where its stream continues.
 */
export interface SessionDetail extends SessionMeta {
  status?: string;
  headSeq?: number;
  /** A `SessionViewJson`; read it with `sessionViewFromJson`, which checks its shape. */
  view?: unknown;
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
