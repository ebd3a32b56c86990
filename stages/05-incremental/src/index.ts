// What later stages reuse from stage 5: the runner and its artifacts.
export { type IncrementalPieces, loadIncrementalPieces } from './pieces.ts';
export { stage } from './stage.ts';
