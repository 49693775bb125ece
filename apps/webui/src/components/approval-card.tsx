import { useId, useState } from 'react';
import type { PendingApproval } from '@switchboard/events/client';
import { useChatActions } from './chat-actions.js';
import { Countdown } from './countdown.js';

/** Allow once, allow always, or deny with a reason. */
export function ApprovalCard({ approval }: { approval: PendingApproval }) {
  const actions = useChatActions();
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const reasonId = useId();
  const decide = async (decision: { approved: boolean; always?: boolean; reason?: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await actions.approve(approval.approvalId, decision);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };
  const deadline = approval.expiresAt ? Date.parse(approval.expiresAt) : undefined;
  return (
    <div className="approval" role="group" aria-label={`Approve ${approval.toolName ?? 'tool'}?`}>
      <p className="approval__question">
        <strong>{approval.toolName ?? 'This tool'}</strong> needs your approval
        {approval.reason ? `: ${approval.reason}` : '.'}
        {deadline !== undefined && Number.isFinite(deadline) ? (
          <Countdown deadline={deadline} />
        ) : null}
      </p>
      {denying ? (
        <form
          className="approval__deny"
          onSubmit={(event) => {
            event.preventDefault();
            void decide({ approved: false, ...(reason.trim() ? { reason: reason.trim() } : {}) });
          }}
        >
          <label htmlFor={reasonId}>Reason (the agent sees it)</label>
          <input
            id={reasonId}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder="Why not?"
            autoFocus
          />
          <button type="submit" className="btn btn--danger" disabled={busy}>
            Deny
          </button>
          <button type="button" className="btn btn--ghost" onClick={() => setDenying(false)}>
            Back
          </button>
        </form>
      ) : (
        <div className="approval__buttons">
          <button
            type="button"
            className="btn btn--primary"
            disabled={busy}
            onClick={() => void decide({ approved: true })}
          >
            Allow once
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void decide({ approved: true, always: true })}
          >
            Always allow
          </button>
          <button
            type="button"
            className="btn btn--danger-outline"
            disabled={busy}
            onClick={() => setDenying(true)}
          >
            Deny…
          </button>
        </div>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
