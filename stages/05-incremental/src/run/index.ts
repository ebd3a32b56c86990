// Executing nodes: the scheduler, its results and events, and the run state it keeps.
export { type ExecuteNodesOptions, executeNodes } from './execute-nodes.ts';
export { type ExecuteCommand, executionDependencies, runnableNodes } from './execution-graph.ts';
export { describeNodeFailure, NodeError } from './node-error.ts';
export { relationSql } from './relations.ts';
export { type ModelState, readRunState, runStateSchema, runStateTable } from './run-state.ts';
export type * from './types.ts';
