// Dagster's asset selection syntax: the parser (given code), the checks against a graph, formatting back to text.
export { checkSelection } from './check-selection.ts';
export { formatSelection } from './format-selection.ts';
export { type ParseSelectionOptions, parseSelection, SelectionError, selectionAttributes } from './parse-selection.ts';
export { type ResolveSelectionOptions, resolveSelection } from './resolve-selection.ts';
