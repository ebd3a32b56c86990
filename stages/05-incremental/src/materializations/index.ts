// Models: view, table, incremental (append, merge, delete+insert, microbatch); ephemeral
// models are inlined by the compiler and never executed.

export { incrementalStrategies, schemaChangeModes } from './incremental-config.ts';
export { materializations, materializeModel } from './materialize-model.ts';
