// Sums every project's vitest JSON report into one `N passed, N failed` line.
// Fails when no test ran at all or any failed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const perProject = [];
// Projects live in packages/* and apps/*, plus the root examples project.
const projectDirs = ['packages', 'apps']
  .filter((top) => existsSync(top))
  .flatMap((top) => readdirSync(top).map((project) => [top, project]))
  .concat([['.', 'examples']]);
for (const [top, project] of projectDirs) {
  const file = path.join(top, project, 'test-results', 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  perProject.push(
    `${path.join(top, project)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
if (existsSync('test-results/boundaries.json')) {
  const report = JSON.parse(readFileSync('test-results/boundaries.json', 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  perProject.push(
    `dependency boundaries: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
if (existsSync('test-results/pack-install.json')) {
  const report = JSON.parse(readFileSync('test-results/pack-install.json', 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests;
  perProject.push(
    `pack and install: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} known gaps`,
  );
}
console.log(perProject.join('\n'));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0) {
  console.error('no test ran');
  process.exit(1);
}
if (failed > 0) process.exit(1);
