import type { z } from 'zod';
import * as loop from './loop-events.js';
import * as message from './message-events.js';
import * as run from './run-events.js';
import * as session from './session-events.js';
import * as tool from './tool-events.js';
import * as voice from './voice-events.js';
import { VOICE_EVENT_TYPES } from './is-voice-event.js';

/**
 * Every event type of contract v1 and the schema of its `data`. Adding a type
 * is a minor release; renaming or removing one is a major (`v` changes).
 */
export const eventDataSchemas = {
  'session.started': session.sessionStartedData,
  'session.ended': session.sessionEndedData,
  'session.title_updated': session.sessionTitleUpdatedData,
  'run.started': run.runStartedData,
  'run.finished': run.runFinishedData,
  'run.failed': run.runFailedData,
  'step.started': run.stepStartedData,
  'step.finished': run.stepFinishedData,
  'generation.started': run.generationStartedData,
  'generation.retrying': run.generationRetryingData,
  'generation.finished': run.generationFinishedData,
  'message.started': message.messageStartedData,
  'message.delta': message.messageDeltaData,
  'message.completed': message.messageCompletedData,
  'user.message': message.userMessageData,
  'reasoning.started': message.reasoningStartedData,
  'reasoning.delta': message.reasoningDeltaData,
  'reasoning.completed': message.reasoningCompletedData,
  'tool_call.started': tool.toolCallStartedData,
  'tool_call.args_delta': tool.toolCallArgsDeltaData,
  'tool_call.ready': tool.toolCallReadyData,
  'tool_call.running': tool.toolCallRunningData,
  'tool_call.progress': tool.toolCallProgressData,
  'tool_call.completed': tool.toolCallCompletedData,
  'tool_call.approval_requested': tool.toolCallApprovalRequestedData,
  'tool_call.approval_resolved': tool.toolCallApprovalResolvedData,
  'clarify.requested': tool.clarifyRequestedData,
  'clarify.resolved': tool.clarifyResolvedData,
  'steer.accepted': loop.steerAcceptedData,
  'steer.applied': loop.steerAppliedData,
  'plan.updated': loop.planUpdatedData,
  'usage.updated': loop.usageUpdatedData,
  'context.compacted': loop.contextCompactedData,
  'agent.handoff': loop.agentHandoffData,
  'loop.budget_exhausted': loop.loopBudgetExhaustedData,
  'loop.stuck': loop.loopStuckData,
  'feedback.injected': loop.feedbackInjectedData,
  'skill.activated': loop.skillActivatedData,
  'skill.deactivated': loop.skillDeactivatedData,
  notice: loop.noticeData,
  custom: loop.customData,
  'voice.agent_state': voice.voiceAgentStateData,
  'voice.user_state': voice.voiceUserStateData,
  'voice.transcript': voice.voiceTranscriptData,
  'voice.speech_created': voice.voiceSpeechCreatedData,
  'voice.speech_paused': voice.voiceSpeechPausedData,
  'voice.speech_resumed': voice.voiceSpeechResumedData,
  'voice.speech_interrupted': voice.voiceSpeechInterruptedData,
  'voice.speech_finished': voice.voiceSpeechFinishedData,
  'voice.false_interruption': voice.voiceFalseInterruptionData,
  'voice.user_turn_skipped': voice.voiceUserTurnSkippedData,
  'voice.metrics': voice.voiceMetricsData,
  'voice.error': voice.voiceErrorData,
  'voice.closed': voice.voiceClosedData,
} as const;

type DataSchemas = typeof eventDataSchemas;

/** Every event type this version of the contract knows. */
export type EventType = keyof DataSchemas;

/** The `data` payload of event type `T`. */
export type EventData<T extends EventType> = z.output<DataSchemas[T]>;

/** All known event type names, in catalogue order. */
export const EVENT_TYPES = Object.keys(eventDataSchemas) as EventType[];

/**
 * Types that need no run: valid without a `runId` (a voice event tied to a
 * reply may still carry one). Every other type needs a `runId`.
 */
export const SESSION_SCOPED_TYPES: ReadonlySet<string> = new Set<EventType>([
  'session.started',
  'session.ended',
  'session.title_updated',
  ...VOICE_EVENT_TYPES,
]);

/** Types that end a run (and close a run-scoped stream). */
export const RUN_TERMINAL_TYPES: ReadonlySet<string> = new Set<EventType>([
  'run.finished',
  'run.failed',
]);

/** True when `type` is part of this contract version. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventDataSchemas, type);
}
