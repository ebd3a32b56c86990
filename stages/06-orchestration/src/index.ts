// What other packages reuse from stage 6.
export { stage } from './stage.ts';
