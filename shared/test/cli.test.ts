import { describe, expect, test } from 'vitest';
import { defineCommand } from '../src/cli/command.ts';
import { commandHelp } from '../src/cli/help.ts';
import { parseCommandLine, positiveInteger } from '../src/cli/parse-command-line.ts';
import { reportError } from '../src/cli/run-main.ts';
import { MineScope } from '../src/course/mine-scope.ts';
import { CliError, ExerciseError, NotImplementedError, UsageError } from '../src/errors.ts';
import { renderBarChart } from '../src/render/bar-chart.ts';
import { formatRows, toCsv } from '../src/render/format-rows.ts';
import { renderTable } from '../src/render/table.ts';
import { captureIo } from '../src/testing/capture-io.ts';

const command = defineCommand({
  description: 'Demo.',
  options: {
    format: { type: 'string', description: 'Output.', default: 'table', choices: ['table', 'csv'] },
    limit: { type: 'string', valueName: 'N', description: 'How many.' },
    select: { type: 'string', short: 's', multiple: true, description: 'Several.' },
  },
  async run({ options }) {
    // Typed from the declarations: these lines would not compile with the wrong types.
    const format: 'table' | 'csv' = options.format;
    const limit: string | undefined = options.limit;
    const select: string[] = options.select;
    return format.length + (limit?.length ?? 0) + select.length;
  },
});

function collect(): { stream: NodeJS.WritableStream; text(): string } {
  const { io, text } = captureIo();
  return { stream: io.output, text };
}

describe('command line parsing', () => {
  test('defaults, flags and positionals', () => {
    const parsed = parseCommandLine(command, ['x', '--mine', '--limit', '3', '-s', 'a', '--select', 'b'], 'demo');
    expect(parsed.options).toMatchObject({
      format: 'table',
      limit: '3',
      mine: 'stage',
      help: false,
      select: ['a', 'b'],
    });
    expect(parsed.positionals).toEqual(['x']);
    expect(parseCommandLine(command, ['--mine=all'], 'demo').options.mine).toBe('all');
    expect(parseCommandLine(command, [], 'demo').options).toMatchObject({ mine: undefined, select: [] });
  });

  test('a command that runs no pieces does not offer --mine', () => {
    const plain = defineCommand({ description: 'x', options: {}, withoutMine: true, run: async () => 0 });
    expect(() => parseCommandLine(plain, ['--mine'], 'pnpm reset')).toThrow(UsageError);
    expect(commandHelp('pnpm reset', plain)).not.toContain('--mine');
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
    expect(positiveInteger('7', 'n')).toBe(7);
    expect(positiveInteger(undefined, 'n')).toBeUndefined();
    for (const bad of ['0', '-1', '2.5', 'abc']) expect(() => positiveInteger(bad, 'n')).toThrow(UsageError);
  });

  test('help lists options with defaults and the common ones', () => {
    const help = commandHelp('pnpm demo', command);
    expect(help).toContain('--format <table|csv>');
    expect(help).toContain('(default: table)');
    expect(help).toContain('--limit <N>');
    expect(help).toContain('-s, --select <value> …');
    expect(help).toContain('--mine[=all]');
  });
});

describe('--mine scope', () => {
  test("a bare --mine swaps in only the running stage's pieces, and says so", () => {
    const mine = MineScope.parse('stage', 3);
    expect(mine.covers(1, '01-star-schema')).toBe(false);
    expect(mine.covers(2, '02-csv-loads')).toBe(false);
    expect(mine.covers(3, '03-quality')).toBe(true);
    expect(mine.summary()).toBe(
      'Pieces: yours for stage 3 (exercises/03-quality/); the reference for stages 1, 2. Add --mine=all to run your pieces of every stage.',
    );
  });

  test('--mine=all and --mine=1,2 choose those stages; no flag means none and no note', () => {
    const all = MineScope.parse('all', 3);
    expect([all.covers(1, '01-a'), all.covers(3, '03-c')]).toEqual([true, true]);
    expect(all.summary()).toBe('Pieces: yours for stages 1, 3 (exercises/01-a/, exercises/03-c/).');
    const some = MineScope.parse('1,2', 3);
    expect([some.covers(1, '01-a'), some.covers(2, '02-b'), some.covers(3, '03-c')]).toEqual([true, true, false]);
    const none = MineScope.parse(undefined, 3);
    expect(none.covers(3, '03-c')).toBe(false);
    expect(none.summary()).toBeUndefined();
    expect(() => MineScope.parse('x', 3)).toThrow(UsageError);
  });
});

describe('error reporting', () => {
  test('user errors print message and hint without a stack, with their exit code', () => {
    const out = collect();
    expect(reportError(new UsageError('Bad.', { hint: 'Do this.' }), { stream: out.stream })).toBe(2);
    expect(out.text()).toContain('Bad.');
    expect(out.text()).toContain('Do this.');
    expect(out.text()).not.toContain('    at ');
  });

  test("a file in the machine's way is explained with what to do, not called our bug", () => {
    const out = collect();
    const error = Object.assign(new Error("ENOTDIR: not a directory, mkdir '/d/lake/s3'"), {
      code: 'ENOTDIR',
      syscall: 'mkdir',
      path: '/d/lake/s3',
    });
    expect(reportError(error, { stream: out.stream })).toBe(1);
    expect(out.text()).toContain('✖ Cannot mkdir /d/lake/s3: part of that path is a file, not a folder (ENOTDIR).');
    expect(out.text()).toContain('set MART_DATA_DIR to another folder');
    expect(out.text()).not.toContain('a bug in Mini Data Mart');
    // An error code we cannot explain stays a bug to report, with its stack.
    const odd = Object.assign(new Error('EWEIRD'), { code: 'EWEIRD', path: '/d' });
    const other = collect();
    reportError(odd, { stream: other.stream });
    expect(other.text()).toContain('a bug in Mini Data Mart');
    expect(other.text()).toContain('    at ');
  });

  test('an unfinished exercise names its file and the hint command, never the hint text', () => {
    const out = collect();
    expect(reportError(new NotImplementedError('01-star-schema/top-customers'), { stream: out.stream })).toBe(1);
    expect(out.text()).toContain('Exercise 01-star-schema/top-customers is not implemented yet.');
    expect(out.text()).toContain('exercises/01-star-schema/top-customers.ts');
    expect(out.text()).toContain('`pnpm hint 1 top-customers`');
    expect(out.text()).not.toContain('Hint:');
  });

  test("a learner's failing exercise names it, their line and the SQL, and is not called our bug", () => {
    const out = collect();
    const error = new ExerciseError('01-star-schema/revenue-by-month', new Error('Binder Error: "amout" not found'), {
      location: 'exercises/01-star-schema/revenue-by-month.ts:17:10',
      sql: '\n      select amout\n        from fact_sales\n    ',
    });
    expect(reportError(error, { stream: out.stream })).toBe(1);
    expect(out.text()).toBe(
      [
        '✖ Your exercise 01-star-schema/revenue-by-month failed: Binder Error: "amout" not found',
        '  at exercises/01-star-schema/revenue-by-month.ts:17:10',
        '  The SQL it ran:',
        '    select amout',
        '      from fact_sales',
        '  Fix it in exercises/01-star-schema/revenue-by-month.ts, check it with `pnpm grade 1`, or run without --mine to use the reference pieces.',
        '',
      ].join('\n'),
    );
    expect(out.text()).not.toContain('bug in Mini Data Mart');
  });

  test('bugs print the stack', () => {
    const out = collect();
    expect(reportError(new TypeError('boom'), { stream: out.stream })).toBe(1);
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

  test('a column with any fraction shows every number with two decimals (money lines up)', () => {
    const table = renderTable([{ revenue: 27 }, { revenue: 27.6 }, { revenue: 1234 }, { revenue: null }]);
    expect(table).toContain('   27.00 │');
    expect(table).toContain('   27.60 │');
    expect(table).toContain('1,234.00 │');
    expect(renderTable([{ sales: 3 }])).toContain('│     3 │');
  });

  test('a bar chart with any fraction shows every value with two decimals', () => {
    const lines = renderBarChart(
      [
        { label: 'a', value: 11735 },
        { label: 'b', value: 27.6 },
      ],
      { width: 4 },
    ).split('\n');
    expect(lines[0]).toMatch(/ 11,735\.00$/);
    expect(lines[1]).toMatch(/ 27\.60$/);
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
