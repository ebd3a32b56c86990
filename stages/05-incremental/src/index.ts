// What later stages (and the benchmarks) reuse from stage 5: the runner's engine, step by
// step: read a project, parse it, select nodes, execute them, write the artifacts.
export { manifestJson, writeManifestJson } from './artifacts/manifest-json.ts';
export { writeRunResults } from './artifacts/run-results.ts';
export { readStateManifest } from './artifacts/state-manifest.ts';
export { projectChoice, stageProjectShownAs } from './commands/project-options.ts';
export {
  firstGeneratedDay,
  type GeneratedDay,
  generateDays,
  newestGeneratedDay,
  newestSaleDay,
} from './generate/generate-days.ts';
export { generatorOptions, readGeneratorOptions } from './generate/generator-options.ts';
export { seedDimensions } from './generate/seed-dimensions.ts';
export { writeDayFiles } from './generate/write-day-files.ts';
export { lakeDatabase, type MountedLake, mountLake } from './lake/mount-lake.ts';
export { type BuiltManifest, buildManifest } from './manifest/build-manifest.ts';
export type { CompileOptions, NodeCompiler } from './manifest/compiler.ts';
export type { Manifest, ManifestNode, ResourceType, SourceNode } from './manifest/types.ts';
export { type IncrementalPieces, loadIncrementalPieces } from './pieces.ts';
export { loadProject } from './project/load-project.ts';
export type { DbtProject, DuckDbTarget } from './project/types.ts';
export { executeNodes } from './run/execute-nodes.ts';
export { ensureRunState } from './run/run-state.ts';
export type { ExecutedStatement, NodeEvent, NodeResult, NodeStatus } from './run/types.ts';
export { selectNodes } from './selection/select-nodes.ts';
export { stage } from './stage.ts';
