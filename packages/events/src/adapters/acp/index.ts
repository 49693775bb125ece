// @switchboard/events/acp: the contract as Agent Client Protocol (v1) messages. Needs the optional peer `@agentclientprotocol/sdk` (types).
export { ACP_EVENT_METHOD, ACP_META_KEY, createAcpAdapter, toAcpMessages } from './to-acp.js';
export type { AcpAdapter, AcpAdapterOptions, AcpMessage } from './to-acp.js';
