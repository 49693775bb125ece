import type { Command } from 'commander';
import { loadCliConfig } from '../../config/load-cli-config.js';
import { printableError } from '../../errors/format-error.js';
import type { CommandContext } from '../../program/command-context.js';
import { EXIT } from '../../program/exit-codes.js';
import {
  checkDataDir,
  checkLangfuse,
  checkModelKey,
  checkModelReachable,
  checkSqlite,
} from './doctor-checks.js';
import { check, type CheckResult } from './check-result.js';
import { checkChromium, checkPostgres, checkVoice } from './doctor-environment-checks.js';

interface DoctorOptions {
  model?: string;
  baseUrl?: string;
  timeout: number;
  json?: boolean;
}

/**
 * `switchboard doctor`: the configuration with the source of every value
 * (secrets masked), then each check with its outcome and, for a problem,
 * the fix. Exit 1 when something needed is broken.
 */
export async function doctorAction(context: CommandContext, command: Command): Promise<number> {
  const options = command.opts<DoctorOptions>();
  const { output } = context;
  const { describeConfig } = await import('@switchboard/agent-core/config');
  const { CONTRACT_VERSION } = await import('@switchboard/events');
  if (!options.json) {
    const version = command.parent?.version() ?? '';
    output.line(
      output.style.dim(
        `switchboard ${version} · event contract v${CONTRACT_VERSION} · node ${process.version}`,
      ),
    );
  }
  let config;
  try {
    config = await loadCliConfig(context, options);
  } catch (error) {
    const printable = printableError(error);
    if (!printable) throw error;
    const failed = check.problem(
      'configuration',
      `${printable.code}: ${printable.message}`,
      printable.hint ?? 'Fix the values named above.',
    );
    print(context, { rows: [], files: [], warnings: [], checks: [failed] }, options.json);
    return EXIT.FAILED;
  }
  const checks: CheckResult[] = [checkModelKey(config)];
  if (checks[0]!.status === 'ok') {
    const reachable = await checkModelReachable(config, options.timeout);
    if (reachable) checks.push(reachable);
  }
  const dataDir = checkDataDir(config);
  checks.push(dataDir);
  if (dataDir.status === 'ok') checks.push(await checkSqlite(config));
  checks.push(await checkLangfuse(config, options.timeout));
  // What only some setups use, each when relevant (see doctor-environment-checks.ts).
  const postgres = await checkPostgres(config, options.timeout);
  if (postgres) checks.push(postgres);
  checks.push(...(await checkVoice(options.timeout)));
  checks.push(await checkChromium(context.io.env, options.timeout));
  print(
    context,
    { rows: describeConfig(config), files: config.files, warnings: config.warnings, checks },
    options.json,
  );
  output.debug(`checked ${checks.length} things`);
  return checks.some((result) => result.status === 'problem') ? EXIT.FAILED : EXIT.OK;
}

interface Report {
  rows: { key: string; value: string | undefined; source: string }[];
  files: string[];
  warnings: string[];
  checks: CheckResult[];
}

function print(context: CommandContext, report: Report, json: boolean | undefined): void {
  const { output } = context;
  if (json) {
    output.line(JSON.stringify(report, null, 2));
    return;
  }
  const style = output.style;
  if (report.rows.length > 0) {
    output.line(style.bold('Configuration'));
    const width = Math.max(...report.rows.map((row) => row.key.length));
    const valueWidth = Math.min(
      48,
      Math.max(...report.rows.map((row) => (row.value ?? '-').length)),
    );
    for (const row of report.rows) {
      output.line(
        `  ${row.key.padEnd(width)}  ${(row.value ?? '-').padEnd(valueWidth)}  ${style.dim(row.source)}`,
      );
    }
    output.line(
      style.dim(`  files: ${report.files.length > 0 ? report.files.join(', ') : 'none'}`),
    );
    for (const warning of report.warnings) output.line(`  ${style.yellow('warning:')} ${warning}`);
    output.line();
  }
  output.line(style.bold('Checks'));
  for (const result of report.checks) {
    const mark =
      result.status === 'ok'
        ? style.green('✓')
        : result.status === 'problem'
          ? style.red('✗')
          : style.dim('–');
    output.line(`  ${mark} ${result.name}: ${result.detail}`);
    if (result.fix) output.line(`    ${style.yellow('fix:')} ${result.fix}`);
  }
  const problems = report.checks.filter((result) => result.status === 'problem').length;
  output.line();
  output.line(
    problems === 0 ? style.green('Everything needed works.') : style.red(`${problems} problem(s).`),
  );
}
