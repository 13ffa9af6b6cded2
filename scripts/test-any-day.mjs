#!/usr/bin/env node
// Runs the test suite as of awkward moments of the calendar, under libfaketime (Debian's `faketime`),
// so a test that holds only on some days, hours or daylight-saving weeks fails here rather than in
// CI on the day it breaks. Each moment also sets the process's time zone, so code that leans on the
// machine's zone is caught too.
//
//   npm run test:any-day                          the whole suite at every moment
//   npm run test:any-day -- tests/unit/time.test.ts   only some files
//   KEPT_ANY_DAY_JSON=dir npm run test:any-day     also write vitest's JSON report per moment into dir
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Instants in UTC; `tz` is the zone the process runs in. Chosen where calendars and clocks turn. */
export const MOMENTS = [
  { label: 'Friday night in New York', at: '2026-12-05T04:50:00Z', tz: 'America/New_York' },
  { label: 'Sunday night in Sydney (Monday morning is minutes away)', at: '2026-12-06T12:55:00Z', tz: 'Australia/Sydney' },
  { label: "New Year's night, seconds before midnight UTC", at: '2026-12-31T23:59:30Z', tz: 'UTC' },
  { label: 'New York, the repeated hour as summer time ends', at: '2026-11-01T05:50:00Z', tz: 'America/New_York' },
  { label: 'New York, the missing hour as summer time begins', at: '2027-03-14T06:58:00Z', tz: 'America/New_York' },
  { label: 'Berlin, the missing hour as summer time begins', at: '2027-03-28T00:58:00Z', tz: 'Europe/Berlin' },
  { label: 'Sydney, the repeated hour as summer time ends', at: '2027-04-03T15:50:00Z', tz: 'Australia/Sydney' },
  { label: '29 February, late evening in Berlin', at: '2028-02-29T22:30:00Z', tz: 'Europe/Berlin' },
];

const files = process.argv.slice(2);
const jsonDir = process.env.KEPT_ANY_DAY_JSON;
if (jsonDir) mkdirSync(jsonDir, { recursive: true });

const probe = spawnSync('faketime', ['-f', '+0', 'true']);
if (probe.error || probe.status !== 0) {
  console.error('test:any-day needs libfaketime: apt-get install faketime (Debian), brew install libfaketime (macOS).');
  process.exit(2);
}

const failed = [];
MOMENTS.forEach((m, i) => {
  // A relative offset keeps the clock running from the moment (timers and timeouts still work),
  // and avoids libfaketime reading a local time that is ambiguous in the repeated hour.
  const offset = Math.round((Date.parse(m.at) - Date.now()) / 1000);
  const reporters = ['--reporter=default', ...(jsonDir ? ['--reporter=json', `--outputFile.json=${join(jsonDir, `moment-${i + 1}.json`)}`] : [])];
  console.log(`\n== as of ${m.at} (${m.tz}): ${m.label}`);
  const run = spawnSync('faketime', ['-f', `${offset >= 0 ? '+' : ''}${offset}`, 'npx', 'vitest', 'run', ...reporters, ...files], {
    stdio: 'inherit',
    // Node's timers run on the monotonic clock; leave it real so nothing waits for faked time.
    env: { ...process.env, TZ: m.tz, DONT_FAKE_MONOTONIC: '1' },
  });
  if (run.status !== 0) failed.push(m);
});

console.log(`\n${MOMENTS.length - failed.length} of ${MOMENTS.length} moments passed`);
for (const m of failed) console.log(`  failed as of ${m.at} (${m.tz}): ${m.label}`);
process.exit(failed.length ? 1 : 0);
