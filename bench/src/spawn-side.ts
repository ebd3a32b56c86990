import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScenarioContext, Side } from './scenario.ts';
import { parseSideRun, type SideRun } from './side-run.ts';

const childEntry = fileURLToPath(new URL('./run-side.ts', import.meta.url));
// Resolved from here rather than by name, so the child finds tsx whatever its working folder.
const tsxLoader = import.meta.resolve('tsx');

/**
 * Runs one side of a scenario once, in a fresh Node process: the only way to read a
 * peak RSS that belongs to this run alone and not to earlier runs or the harness.
 */
export function spawnSide(
  scenario: string,
  side: Side,
  context: ScenarioContext,
  variant?: string | undefined,
): Promise<SideRun> {
  const args = [
    '--import',
    tsxLoader,
    childEntry,
    scenario,
    side,
    '--rows',
    String(context.rows),
    '--input',
    context.inputDir,
    '--run-dir',
    context.runDir,
    ...(variant === undefined ? [] : ['--variant', variant]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(
          new Error(`${scenario} (${side}${variant === undefined ? '' : `, ${variant}`}) ${how}:\n${stderr.trim()}`),
        );
        return;
      }
      try {
        resolve(parseSideRun(stdout));
      } catch (error) {
        reject(error);
      }
    });
  });
}
