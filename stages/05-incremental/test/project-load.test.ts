import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/project/load-project.ts';
import { fixturesDir, loadFixtureProject, tempProject } from './fixtures/projects/load-fixture.ts';

const defaultTarget = { path: '/tmp/mart/stage-05.duckdb' };

describe('loadProject', () => {
  it('reads dbt_project.yml with defaults, vars and config blocks; no profiles.yml → the stage warehouse', () => {
    const project = loadFixtureProject('jaffle');
    expect(project).toMatchObject({
      root: join(fixturesDir, 'jaffle'),
      name: 'jaffle',
      modelPaths: ['models'],
      seedPaths: ['seeds'],
      macroPaths: ['macros'],
      snapshotPaths: ['snapshots'],
      testPaths: ['tests'],
      targetPath: join(fixturesDir, 'jaffle', 'target'),
      profileName: 'jaffle',
      profilesFile: null,
      target: {
        name: 'dev',
        type: 'duckdb',
        path: '/tmp/mart/stage-05.duckdb',
        database: 'stage-05',
        schema: 'main',
        threads: 1,
      },
    });
    expect(project.vars.start_date).toBe('2018-01-01');
    expect(project.configBlocks.models['+materialized']).toBe('view');
    expect(project.configBlocks.data_tests).toEqual({ jaffle: { '+store_failures': false } });
    expect(project.warnings).toEqual([
      "dbt_project.yml:7:3: 'on-run-start' is ignored (hooks at the start of a run are not run).",
    ]);
  });

  it('--vars win over dbt_project.yml vars; --target-path is relative to the project', () => {
    const project = loadProject({
      projectDir: join(fixturesDir, 'jaffle'),
      env: {},
      defaultTarget,
      vars: { start_date: '2020-01-01', extra: 1 },
      targetPath: 'out',
      threads: 4,
    });
    expect(project.vars).toMatchObject({ start_date: '2020-01-01', extra: 1 });
    expect(project.targetPath).toBe(join(fixturesDir, 'jaffle', 'out'));
    expect(project.target.threads).toBe(4);
  });

  it('reads profiles.yml: env_var(), path relative to the project, database = file base name, --target', () => {
    const dir = tempProject({
      'dbt_project.yml':
        "name: shop\nprofile: shop\nmodel-paths: ['transform']\ntarget-path: \"{{ env_var('TP', 'build') }}\"\n",
      'profiles.yml': [
        'shop:',
        '  target: dev',
        '  outputs:',
        '    dev:',
        '      type: duckdb',
        "      path: \"{{ env_var('DB_FILE', 'dev.duckdb') }}\"",
        '      schema: analytics',
        '      threads: 2',
        '      extensions: [httpfs]',
        '    prod:',
        '      type: duckdb',
        '      path: /data/prod.duckdb',
        '',
      ].join('\n'),
    });
    const project = loadProject({ projectDir: dir, env: { DB_FILE: 'data/shop.duckdb' }, defaultTarget });
    expect(project.modelPaths).toEqual(['transform']);
    expect(project.targetPath).toBe(join(dir, 'build'));
    expect(project.target).toEqual({
      name: 'dev',
      type: 'duckdb',
      path: join(dir, 'data/shop.duckdb'),
      database: 'shop',
      schema: 'analytics',
      threads: 2,
    });
    expect(project.warnings).toEqual([
      "profiles.yml: the output key 'extensions' of target 'dev' is not supported and is ignored.",
    ]);
    const prod = loadProject({ projectDir: dir, env: {}, defaultTarget, targetName: 'prod' });
    expect(prod.target).toMatchObject({
      name: 'prod',
      path: '/data/prod.duckdb',
      database: 'prod',
      schema: 'main',
      threads: 1,
    });
  });

  it('refuses a non-duckdb profile, a missing target and a missing profile, at their line', () => {
    const profile = (text: string) =>
      tempProject({ 'dbt_project.yml': 'name: shop\nprofile: shop\n', 'profiles.yml': text });
    expect(() =>
      loadProject({
        projectDir: profile('shop:\n  outputs:\n    dev:\n      type: postgres\n'),
        env: {},
        defaultTarget,
      }),
    ).toThrow("profiles.yml:4:13: target 'dev' has type 'postgres': only duckdb is supported");
    expect(() =>
      loadProject({
        projectDir: profile('shop:\n  outputs:\n    dev:\n      type: duckdb\n'),
        env: {},
        defaultTarget,
        targetName: 'ci',
      }),
    ).toThrow("profiles.yml:3:5: The profile 'shop' does not have a target named 'ci'");
    expect(() => loadProject({ projectDir: profile('other:\n  outputs: {}\n'), env: {}, defaultTarget })).toThrow(
      "profiles.yml:1:1: Could not find profile named 'shop'",
    );
  });

  it('a missing or invalid dbt_project.yml is a CliError naming the file, line and column', () => {
    expect(() => loadProject({ projectDir: '/nonexistent/project', env: {}, defaultTarget })).toThrow(
      'No dbt_project.yml found at expected path /nonexistent/project/dbt_project.yml',
    );
    expect(() =>
      loadProject({
        projectDir: tempProject({ 'dbt_project.yml': 'name: p\nmodels:\n  +materialized: [view\n' }),
        env: {},
        defaultTarget,
      }),
    ).toThrow(/^dbt_project\.yml:4:1: not valid YAML/);
    expect(() =>
      loadProject({ projectDir: tempProject({ 'dbt_project.yml': 'version: 2\n' }), env: {}, defaultTarget }),
    ).toThrow(/^dbt_project\.yml:1:1: dbt_project\.yml has no name:/);
    expect(() =>
      loadProject({ projectDir: tempProject({ 'dbt_project.yml': 'name: my-project\n' }), env: {}, defaultTarget }),
    ).toThrow("dbt_project.yml:1:7: the project name 'my-project' is not valid");
    expect(() =>
      loadProject({
        projectDir: tempProject({ 'dbt_project.yml': 'name: p\nmodel-paths: 3\n' }),
        env: {},
        defaultTarget,
      }),
    ).toThrow('dbt_project.yml:2:14: model-paths must be a list of folder names');
  });

  it('warns once for each unsupported key and for packages.yml', () => {
    const dir = tempProject({
      'dbt_project.yml': 'name: p\ndispatch: []\nquery-comment: x\nflags: {}\nfoo: 1\n',
      'packages.yml': 'packages: []\n',
    });
    expect(loadProject({ projectDir: dir, env: {}, defaultTarget }).warnings).toEqual([
      "dbt_project.yml:2:11: 'dispatch' is ignored (macro dispatch is not supported).",
      "dbt_project.yml:3:16: 'query-comment' is ignored (query comments are not added).",
      "dbt_project.yml:4:8: 'flags' is ignored (project flags are not read).",
      "dbt_project.yml:5:6: 'foo' is ignored (this key is not known).",
      'packages.yml: packages are not supported and are not installed; copy the macros you need into macros/.',
    ]);
  });
});
