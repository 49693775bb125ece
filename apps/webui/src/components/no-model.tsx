/**
 * What to do when the server runs without a model: the variables to set (the
 * server's own hint first), instead of a chat that cannot answer.
 */
export function NoModel(props: { hint?: string | undefined; message?: string | undefined }) {
  return (
    <main className="empty-state" aria-labelledby="no-model-title">
      <h1 id="no-model-title">No model configured</h1>
      <p>
        {props.message ??
          'The Switchboard server is running, but it has no model to talk to, so chats cannot run yet.'}
      </p>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      <p>Set these variables where the server starts, then restart it:</p>
      <table className="vars">
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <code>SWITCHBOARD_MODEL</code>
            </td>
            <td>
              <code>provider:model</code>, e.g. <code>openai:gpt-4o-mini</code>,{' '}
              <code>anthropic:claude-sonnet-4-5</code> or <code>openai-compatible:qwen3</code>
            </td>
          </tr>
          <tr>
            <td>
              <code>OPENAI_API_KEY</code> / <code>ANTHROPIC_API_KEY</code>
            </td>
            <td>
              the key of an <code>openai:</code> or <code>anthropic:</code> model
            </td>
          </tr>
          <tr>
            <td>
              <code>SWITCHBOARD_BASE_URL</code>, <code>SWITCHBOARD_API_KEY</code>
            </td>
            <td>
              URL and key of an <code>openai-compatible:</code> server (Ollama, LM Studio, vLLM…)
            </td>
          </tr>
        </tbody>
      </table>
      <pre className="code-sample">
        SWITCHBOARD_MODEL=openai:gpt-4o-mini OPENAI_API_KEY=sk-… pnpm start
      </pre>
    </main>
  );
}
