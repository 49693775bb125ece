import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { prefetchSession } from './state/session-prefetch.js';
import { readUrlSession } from './state/use-url-session.js';
import './styles.css';

// A reload or a link to a session: its stored view loads alongside the config.
prefetchSession(readUrlSession());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
