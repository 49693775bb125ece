import { startModelServer } from '@switchboard/testkit';
import { createAgent } from '../agent/agent.js';
import { collect, recordBus, waitFor } from './run-helpers.js';
import { startTestAgent } from './test-agent.js';

/**
 * A `triage` agent that hands "Is my invoice paid?" over to a `billing`
 * agent (`transfer_to_billing` with `reason`), each on a scripted loopback
 * model server, run until the billing agent's run has finished. Gives every
 * event of the agent's bus (`all`), the first run's events and result, the
 * target run's id and the billing model's server (what it was sent).
 */
export async function runInvoiceHandoff(reason: string) {
  const billingServer = await startModelServer({
    script: [{ text: 'Billing here: your invoice is paid.' }],
  });
  try {
    const billing = createAgent({
      name: 'billing',
      model: 'openai-compatible:billing',
      env: { SWITCHBOARD_BASE_URL: billingServer.baseUrl },
    });
    const t = await startTestAgent(
      [{ toolCalls: [{ id: 'h1', name: 'transfer_to_billing', args: { reason } }] }],
      { name: 'triage', handoffs: [billing] },
    );
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    const first = await collect(session.run('Is my invoice paid?'));
    const target = first.result.handoffTo?.runId;
    if (target === undefined) throw new Error(`no handoff: ${first.types.join(', ')}`);
    await waitFor(() => all.some((e) => e.type === 'run.finished' && e.runId === target));
    return {
      all,
      first,
      target,
      billingServer,
      async [Symbol.asyncDispose]() {
        await t[Symbol.asyncDispose]();
        await billingServer.close();
      },
    };
  } catch (error) {
    await billingServer.close();
    throw error;
  }
}
