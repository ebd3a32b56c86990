// Another process that asks a run to stop, as `pnpm stage 6 runs cancel <id>` does:
//   node --import tsx test/helpers/cancel-run.ts <runs.db> <run id>
// It prints one JSON line with what requestCancel answered, then exits.
import { RunStorage } from '../../src/storage/index.ts';

const [path, runId] = process.argv.slice(2);
if (!path || !runId) throw new Error('usage: cancel-run.ts <runs.db> <run id>');
const storage = RunStorage.open({ path });
try {
  const accepted = storage.requestCancel(runId, `Canceled by PID ${process.pid} (test).`);
  process.stdout.write(`${JSON.stringify({ accepted, pid: process.pid })}\n`);
} finally {
  storage.close();
}
