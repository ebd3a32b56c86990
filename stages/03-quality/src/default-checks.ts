import { fileURLToPath } from 'node:url';

/** The checks for stage 3's warehouse, committed beside this package: stages/03-quality/checks.yml. */
export const defaultChecksPath = fileURLToPath(new URL('../checks.yml', import.meta.url));
