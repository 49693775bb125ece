import { CONTRACT_VERSION } from '@switchboard/events';

/** Placeholder page until the chat UI lands (see README.md). */
export function App() {
  return (
    <main>
      <h1>Switchboard</h1>
      <p>The chat UI is not built yet. It will speak event contract v{CONTRACT_VERSION}.</p>
    </main>
  );
}
