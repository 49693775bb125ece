import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPostgresBin, startPostgresCluster } from './start-postgres-cluster.js';

/** Runs SQL through the real `psql` client over TCP; returns its unaligned output. */
function psql(url: string, sql: string): string {
  const result = spawnSync(path.join(findPostgresBin(), 'psql'), [url, '-XAtq', '-c', sql], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

describe('startPostgresCluster', () => {
  it('starts a throwaway server on loopback, keeps data across restart, removes it on stop', async () => {
    const cluster = await startPostgresCluster();
    expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
    expect(psql(cluster.url, 'SHOW listen_addresses')).toBe('127.0.0.1');
    expect(psql(cluster.url, 'SHOW fsync')).toBe('off');
    psql(cluster.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    await cluster.restart();
    expect(psql(cluster.url, 'SELECT n FROM kept')).toBe('42');
    await cluster.stop();
    expect(existsSync(cluster.dir)).toBe(false);
    expect(() => psql(cluster.url, 'SELECT 1')).toThrow();
    await cluster.stop(); // idempotent
  }, 60_000);

  it('runs two clusters side by side on different ports', async () => {
    await using a = await startPostgresCluster();
    await using b = await startPostgresCluster({ durable: true });
    expect(a.port).not.toBe(b.port);
    expect(psql(b.url, 'SHOW fsync')).toBe('on');
  }, 60_000);
});
