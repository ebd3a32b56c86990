import { describe, expect, test } from 'vitest';
import type { Command } from '../src/cli/command.ts';
import { commandHelp } from '../src/cli/help.ts';
import { parseCommandLine, positiveInteger } from '../src/cli/parse-command-line.ts';
import { reportError } from '../src/cli/run-main.ts';
import { CliError, NotImplementedError, UsageError } from '../src/errors.ts';
import { renderBarChart } from '../src/render/bar-chart.ts';
import { formatRows, toCsv } from '../src/render/format-rows.ts';
import { captureIo } from '../src/testing/capture-io.ts';

const command: Command = {
  description: 'Demo.',
  options: {
    format: { type: 'string', description: 'Output.', default: 'table', choices: ['table', 'csv'] },
    limit: { type: 'string', valueName: 'N', description: 'How many.' },
  },
  run: async () => 0,
};

function collect(): { stream: NodeJS.WritableStream; text(): string } {
  const { io, text } = captureIo();
  return { stream: io.output, text };
}

describe('command line parsing', () => {
  test('defaults, flags and positionals', () => {
    const parsed = parseCommandLine(command, ['x', '--mine', '--limit', '3'], 'demo');
    expect(parsed.options).toMatchObject({ format: 'table', limit: '3', mine: true, help: false });
    expect(parsed.positionals).toEqual(['x']);
  });

  test('an unknown option is a usage error (exit 2) listing the valid ones', () => {
    expect(() => parseCommandLine(command, ['--limt', '3'], 'demo')).toThrow(UsageError);
    try {
      parseCommandLine(command, ['--limt', '3'], 'demo');
    } catch (error) {
      expect(error).toMatchObject({ exitCode: 2, hint: expect.stringContaining('--limit') });
    }
  });

  test('a value outside the choices is a usage error naming them', () => {
    expect(() => parseCommandLine(command, ['--format', 'xml'], 'demo')).toThrow(/Invalid value "xml" for --format/);
  });

  test('positiveInteger accepts whole numbers ≥ 1 only', () => {
    expect(positiveInteger({ n: '7' }, 'n')).toBe(7);
    expect(positiveInteger({}, 'n')).toBeUndefined();
    for (const bad of ['0', '-1', '2.5', 'abc']) expect(() => positiveInteger({ n: bad }, 'n')).toThrow(UsageError);
  });

  test('help lists options with defaults and the common ones', () => {
    const help = commandHelp('pnpm demo', command);
    expect(help).toContain('--format <table|csv>');
    expect(help).toContain('(default: table)');
    expect(help).toContain('--limit <N>');
    expect(help).toContain('--mine');
  });
});

describe('error reporting', () => {
  test('user errors print message and hint without a stack, with their exit code', async () => {
    const out = collect();
    expect(await reportError(new UsageError('Bad.', { hint: 'Do this.' }), out.stream)).toBe(2);
    expect(out.text()).toContain('Bad.');
    expect(out.text()).toContain('Do this.');
    expect(out.text()).not.toContain('    at ');
  });

  test('an unfinished exercise prints its hint from exercises/info.yaml', async () => {
    const out = collect();
    expect(await reportError(new NotImplementedError('01-star-schema/top-customers'), out.stream)).toBe(1);
    expect(out.text()).toContain('is not implemented yet');
    expect(out.text()).toContain('Hint: Join fact_sales to dim_customer');
  });

  test('bugs print the stack', async () => {
    const out = collect();
    expect(await reportError(new TypeError('boom'), out.stream)).toBe(1);
    expect(out.text()).toContain('TypeError: boom');
    expect(out.text()).toContain('    at ');
    expect(new CliError('x').exitCode).toBe(1);
  });
});

describe('rendering', () => {
  test('CSV quotes commas, quotes and line breaks', () => {
    expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: 'two\nlines', d: null, e: 3 }])).toBe(
      'a,b,c,d,e\n"x,y","say ""hi""","two\nlines",,3\n',
    );
  });

  test('JSON output is the rows', () => {
    expect(JSON.parse(formatRows([{ a: 1 }], 'json'))).toEqual([{ a: 1 }]);
  });

  test('bar chart scales to the largest value', () => {
    const lines = renderBarChart(
      [
        { label: 'a', value: 10 },
        { label: 'bb', value: 5 },
        { label: 'c', value: 0 },
      ],
      { width: 10 },
    ).split('\n');
    expect(lines[0]).toBe(`a  │${'█'.repeat(10)} 10`);
    expect(lines[1]).toBe(`bb │${'█'.repeat(5)}      5`);
    expect(lines[2]).toBe(`c  │${' '.repeat(10)} 0`);
  });
});
