// How each kind of course asset is materialized, by calling stages 2–5.
export { type CapturedOutput, capturedOutput } from './captured-output.ts';
export { type CoursePipeline, type CoursePipelineOptions, loadCoursePipeline } from './course-pipeline.ts';
export { type CourseProject, openCourseProject } from './course-project.ts';
export { DbtMaterializers } from './dbt-models.ts';
export { lakeBuildStep, lakeBuildStepName } from './lake-build.ts';
export { lakeClock } from './lake-clock.ts';
export { type LakeIngestOptions, lakeIngestStep, lakeIngestStepName } from './lake-ingest.ts';
export { observeRawFiles, type RawFileObservation, rawFingerprint } from './raw-files.ts';
