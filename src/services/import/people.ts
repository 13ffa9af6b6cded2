// Owners and channels named in a file, resolved in bulk: emails and Slack ids to people (one
// Slack listing for many, a few look-ups for a few: the Slack side decides), #names to channel ids.
// Services never call Slack; a SlackLookup is passed in (absent on a command line without a token).
import type { DbOrTx } from '../../db/client.js';
import { PROFILE_MAX_AGE_MS } from '../users.js';
import type { ChannelRef, PersonRef } from './values.js';

export interface SlackPerson {
  slackUserId: string;
  displayName: string;
  timeZone: string;
  isAdmin: boolean;
}

export interface SlackLookup {
  /** The people Slack knows among these emails (lower-cased) and ids; deactivated people are left out. */
  people(q: { emails: string[]; ids: string[] }): Promise<{ byEmail: Map<string, SlackPerson>; byId: Map<string, SlackPerson> }>;
  /** Every channel Kept can see (public ones, and private ones it is in). */
  channels(): Promise<{ id: string; name: string }[]>;
}

/** A person as an import will store them: a profile from Slack, or a placeholder for an id Kept cannot check. */
export interface Person {
  slackUserId: string;
  displayName: string;
  timeZone: string;
  isAdmin: boolean;
  /** False for a placeholder: its profile is read from Slack the first time they use Kept. */
  fetched: boolean;
}

export interface ResolvedPeople {
  get(ref: PersonRef): Person | string;
}

const NO_SLACK_EMAIL = 'Kept cannot look up email addresses here (no Slack token is set); give the Slack user id (U0123ABCD) instead, or import from Slack with /kept import.';

/**
 * Resolves every person named in a file at once. Ids Kept already knows with a fresh profile need
 * no Slack call; the rest go to Slack in one batch.
 */
export async function resolvePeople(db: DbOrTx, workspaceId: string, refs: PersonRef[], slack: SlackLookup | null, now: Date): Promise<ResolvedPeople> {
  const emails = [...new Set(refs.flatMap((r) => ('email' in r ? [r.email] : [])))];
  const ids = [...new Set(refs.flatMap((r) => ('slackUserId' in r ? [r.slackUserId] : [])))];
  const known = new Map<string, Person>();
  const fresh = new Set<string>();
  if (ids.length) {
    const rows = await db.$queryRaw<{ slack_user_id: string; display_name: string; time_zone: string; is_admin: boolean; fetched_at: Date | null }[]>`
      SELECT slack_user_id, display_name, time_zone, is_admin, fetched_at FROM users WHERE workspace_id = ${workspaceId}::uuid AND slack_user_id = ANY(${ids}::text[])`;
    for (const u of rows) {
      known.set(u.slack_user_id, { slackUserId: u.slack_user_id, displayName: u.display_name, timeZone: u.time_zone, isAdmin: u.is_admin, fetched: u.fetched_at !== null });
      if (u.fetched_at && now.getTime() - u.fetched_at.getTime() < PROFILE_MAX_AGE_MS) fresh.add(u.slack_user_id);
    }
  }
  const stale = ids.filter((id) => !fresh.has(id));
  const found = slack && (emails.length || stale.length) ? await slack.people({ emails, ids: stale }) : { byEmail: new Map<string, SlackPerson>(), byId: new Map<string, SlackPerson>() };
  const person = (p: SlackPerson): Person => ({ ...p, fetched: true });
  return {
    get(ref) {
      if ('email' in ref) {
        if (!slack) return NO_SLACK_EMAIL;
        const p = found.byEmail.get(ref.email);
        return p ? person(p) : `Slack has no active member with the email ${ref.email}; check the address, or give their Slack id (U0123ABCD).`;
      }
      const id = ref.slackUserId;
      const p = found.byId.get(id);
      if (p) return person(p);
      const k = known.get(id);
      if (k && (fresh.has(id) || !slack)) return k;
      if (!slack) return { slackUserId: id, displayName: id, timeZone: 'UTC', isAdmin: false, fetched: false };
      return `Slack has no active member with the id ${id}; check it (a profile’s ⋮ menu → Copy member ID).`;
    },
  };
}

export interface ResolvedChannels {
  get(ref: ChannelRef): { id: string } | string;
}

/**
 * One listing of the channels Kept can see, when the file names any; without Slack, ids are taken
 * as given. Channels already linked to an account need no check (an exported file imports back).
 */
export async function resolveChannels(db: DbOrTx, workspaceId: string, refs: ChannelRef[], slack: SlackLookup | null): Promise<ResolvedChannels> {
  const ids = refs.flatMap((r) => ('id' in r ? [r.id] : []));
  const linked = ids.length
    ? await db.$queryRaw<{ channel_id: string }[]>`SELECT channel_id FROM account_channels WHERE workspace_id = ${workspaceId}::uuid AND channel_id = ANY(${[...new Set(ids)]}::text[])`
    : [];
  const byId = new Set(linked.map((l) => l.channel_id));
  const needSlack = refs.some((r) => 'name' in r || !byId.has(r.id));
  const visible = slack && needSlack ? await slack.channels() : [];
  for (const c of visible) byId.add(c.id);
  const byName = new Map(visible.map((c) => [c.name.toLowerCase(), c.id]));
  return {
    get(ref) {
      if ('id' in ref) {
        if (!slack || byId.has(ref.id)) return { id: ref.id };
        return `Kept cannot see channel ${ref.id}: check the id, or invite Kept to it (/invite @Kept) and import again.`;
      }
      if (!slack) return `Kept cannot look up #${ref.name} here (no Slack token is set); give the channel id (C0123ABCD) instead.`;
      const id = byName.get(ref.name.toLowerCase());
      return id ? { id } : `There is no channel #${ref.name} that Kept can see: check the name, or invite Kept to it (/invite @Kept) and import again.`;
    },
  };
}

/**
 * Writes the people an import names (new ones, and fresh profiles of known ones) in one statement,
 * and returns their user ids by Slack id.
 */
export async function storePeople(db: DbOrTx, workspaceId: string, people: Person[], now: Date): Promise<Map<string, string>> {
  if (people.length === 0) return new Map();
  const unique = [...new Map(people.map((p) => [p.slackUserId, p])).values()];
  const rows = JSON.stringify(
    unique.map((p) => ({ slack_user_id: p.slackUserId, display_name: p.displayName, time_zone: p.timeZone, is_admin: p.isAdmin, fetched_at: p.fetched ? now.toISOString() : null })),
  );
  const stored = await db.$queryRaw<{ id: string; slack_user_id: string }[]>`
    INSERT INTO users (workspace_id, slack_user_id, display_name, time_zone, is_admin, fetched_at, updated_at)
    SELECT ${workspaceId}::uuid, slack_user_id, display_name, time_zone, is_admin, fetched_at, ${now}::timestamptz
    FROM jsonb_to_recordset(${rows}::jsonb) AS r(slack_user_id text, display_name text, time_zone text, is_admin boolean, fetched_at timestamptz)
    ON CONFLICT (workspace_id, slack_user_id) DO UPDATE SET
      display_name = CASE WHEN excluded.fetched_at IS NULL THEN users.display_name ELSE excluded.display_name END,
      time_zone = CASE WHEN excluded.fetched_at IS NULL THEN users.time_zone ELSE excluded.time_zone END,
      is_admin = CASE WHEN excluded.fetched_at IS NULL THEN users.is_admin ELSE excluded.is_admin END,
      fetched_at = COALESCE(excluded.fetched_at, users.fetched_at),
      updated_at = ${now}::timestamptz
    RETURNING id, slack_user_id`;
  return new Map(stored.map((r) => [r.slack_user_id, r.id]));
}
