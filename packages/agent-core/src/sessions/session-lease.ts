import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { AgentCoreError } from '../errors/agent-core-error.js';

/** Default lease time of the stores: a crashed writer's session is free after this long. */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * A new lease owner id: `host/pid/random`. Host and pid let a store hand a
 * session over at once when its owner is a process of this host that died
 * (a crash on this machine need not wait for the lease to expire).
 */
export function newLeaseOwner(): string {
  return `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/** A stored lease: who holds it and until when (store clock, epoch ms). */
export interface StoredLease {
  owner: string | null;
  expiresAt: number;
}

/** Whether `owner` may take (or renew) a session whose lease is `lease` at time `now`. */
export function mayTakeLease(lease: StoredLease, owner: string, now: number): boolean {
  return (
    lease.owner == null ||
    lease.owner === owner ||
    lease.expiresAt <= now ||
    ownerProcessIsGone(lease.owner)
  );
}

/** True only when the owner is a process of this host that no longer exists. */
function ownerProcessIsGone(owner: string): boolean {
  const [host, pidText] = owner.split('/');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid)
    return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** `CORE_SESSION_LOCKED` for a session another live owner holds. */
export function sessionLocked(sessionId: string, lease: StoredLease): AgentCoreError {
  return new AgentCoreError({
    code: 'CORE_SESSION_LOCKED',
    message: `Session ${sessionId} is open in another handle or process (${lease.owner}) until ${new Date(lease.expiresAt).toISOString()}.`,
    hint: 'Use the handle that has it open, close() it first, or wait until its lease expires.',
    details: { sessionId, owner: lease.owner, expiresAt: lease.expiresAt },
  });
}

/** `CORE_SESSION_CONFLICT`: a save from a writer that no longer owns the session. */
export function sessionConflict(sessionId: string, reason: string): AgentCoreError {
  return new AgentCoreError({
    code: 'CORE_SESSION_CONFLICT',
    message: `Session ${sessionId} was not saved: ${reason}. Nothing was overwritten.`,
    hint: 'Another handle or process took the session over; load it again to continue.',
    details: { sessionId },
  });
}
