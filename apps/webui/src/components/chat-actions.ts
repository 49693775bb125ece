import { createContext, useContext } from 'react';

/** What the cards of a timeline can ask the app to do. */
export interface ChatActions {
  /** Answers an approval: allow once, allow always, or deny with a reason. */
  approve(
    approvalId: string,
    decision: { approved: boolean; always?: boolean; reason?: string },
  ): Promise<void>;
  /** Answers a clarify question. */
  answer(clarifyId: string, answer: string): Promise<void>;
}

const noop = () => Promise.resolve();

export const ChatActionsContext = createContext<ChatActions>({ approve: noop, answer: noop });

/** The actions of the chat around this component. */
export function useChatActions(): ChatActions {
  return useContext(ChatActionsContext);
}
