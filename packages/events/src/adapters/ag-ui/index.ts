// @switchboard/events/ag-ui: the contract as AG-UI 1.0 events. Needs the optional peer @ag-ui/core.
export { AG_UI_NAMESPACE, createAgUiAdapter, toAgUiEvents } from './to-ag-ui.js';
export type { AgUiAdapter, AgUiEvent } from './to-ag-ui.js';
