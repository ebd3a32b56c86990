// Preloaded (`node --import`) into the CLI commands a scenario starts: at exit, writes the
// process's peak RSS in KiB to the file named by MART_BENCH_PEAK_RSS_FILE. Node offers no
// way to read a child's resource usage from its parent (no RUSAGE_CHILDREN), so the child
// tells it. Imports nothing but node:fs, so it adds nothing to what it measures.
import { writeFileSync } from 'node:fs';

const file = process.env.MART_BENCH_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
