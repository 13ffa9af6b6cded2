// Cadence moments are days in the owner's zone (issue 14): the migration that turns stored moments
// into days computes exactly what refreshCadence stores from now on (zones, weekends, tier
// defaults, own cadences, custom settings), and an owner who moves takes the moments along.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { refreshCadence } from '../../src/services/cadence.js';
import { ensureUser } from '../../src/services/users.js';
import { createTestDatabase } from '../helpers/db.js';

const SQL = readFileSync(new URL('../../prisma/migrations/20261206030000_cadence_days/migration.sql', import.meta.url), 'utf8');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('migration 20261206030000_cadence_days', () => {
  it('stores the same moments as refreshCadence, for every account', async () => {
    const db = database.db;
    const plain = await db.workspace.create({ data: { slackTeamId: 'TMIG1' } });
    const custom = await db.workspace.create({
      data: { slackTeamId: 'TMIG2', settings: { tierCadenceDays: { strategic: 5, key: 10, standard: 21 }, cadenceWarningFraction: 0.3, workingHours: { start: '08:30', end: '17:00' } } },
    });
    const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Mars/Olympus_Mons', null];
    let n = 0;
    for (const ws of [plain, custom]) {
      for (const zone of zones) {
        const owner = zone ? await db.user.create({ data: { workspaceId: ws.id, slackUserId: `U${++n}`, displayName: 'x', timeZone: zone } }) : null;
        for (const [tier, cadenceDays, lastTouch] of [
          ['strategic', null, '2026-11-02T23:30:00Z'], // late Monday in New York, already Tuesday in UTC
          ['key', null, '2026-10-24T10:00:00Z'], // across the autumn daylight-saving changes
          ['standard', null, null], // never touched: from creation
          ['key', 7, '2026-11-29T12:00:00Z'], // a Sunday touch, due a Sunday
          ['standard', 1, '2026-11-27T16:00:00Z'], // a Friday, due Saturday
          ['strategic', 3, '2026-11-20T09:00:00Z'], // due a Monday
        ] as const) {
          await db.account.create({
            data: {
              workspaceId: ws.id, name: `A${++n}`, normalizedName: `a${n}`, tier, cadenceDays, ownerId: owner?.id ?? null,
              lastTouchAt: lastTouch ? new Date(lastTouch) : null, createdAt: new Date('2026-11-05T07:00:00Z'),
            },
          });
        }
      }
    }
    const moments = () => db.account.findMany({ orderBy: { name: 'asc' }, select: { name: true, cadenceWarnAt: true, cadenceDueAt: true, cadenceDarkAt: true } });
    for (const ws of [plain, custom]) await refreshCadence(db, { workspaceId: ws.id });
    const expected = await moments();
    expect(expected.every((m) => m.cadenceDueAt && m.cadenceWarnAt && m.cadenceDarkAt)).toBe(true);
    // Moments as they were stored before (to the minute of the last touch), then the migration.
    await db.$executeRaw`UPDATE accounts SET cadence_warn_at = now(), cadence_due_at = now(), cadence_dark_at = now()`;
    await db.$executeRawUnsafe(SQL);
    expect(await moments()).toEqual(expected);
  });
});

describe('an owner who changes time zone', () => {
  it('takes their accounts’ cadence days along', async () => {
    const db = database.db;
    const clock = new FixedClock('2026-12-01T12:00:00Z');
    const ws = await db.workspace.create({ data: { slackTeamId: 'TMOVE' } });
    let tz = 'Europe/Berlin';
    const profiles = { lookup: async () => ({ displayName: 'ana', timeZone: tz, isAdmin: false }) };
    const ana = await ensureUser(db, clock, profiles, ws.id, 'UMOVE');
    const account = await db.account.create({ data: { workspaceId: ws.id, name: 'Moving', normalizedName: 'moving', ownerId: ana.id, cadenceDays: 14, lastTouchAt: new Date('2026-12-02T10:00:00Z') } });
    await refreshCadence(db, { accountIds: [account.id] });
    const due = async () => (await db.account.findUniqueOrThrow({ where: { id: account.id } })).cadenceDueAt?.toISOString();
    expect(await due()).toBe('2026-12-16T17:00:00.000Z'); // Wed 16 Dec 18:00 Berlin
    // A day later Slack says she is in New York now.
    tz = 'America/New_York';
    clock.advance(25 * 3600_000);
    await ensureUser(db, clock, profiles, ws.id, 'UMOVE');
    expect(await due()).toBe('2026-12-16T23:00:00.000Z'); // Wed 16 Dec 18:00 New York
  });
});
