// Who may change what: one model for every path that changes state, whatever the transport
// (slash command, button, modal, the console). The rules are pure functions over plain data; one
// loader (authorize) reads what they need and refuses with an error that names who may.
//
//   commitment   its owner, whoever recorded it, the account's owner, Kept admins
//   account      its owner, Kept admins (settings, owner, name, aliases, cadence, tier, renewal,
//                snoozing its cadence nudge); an account nobody owns: Kept admins
//   channel link the new account's changers, and when the channel moves, the old account's too
//   digest       in an account's channel: the account's owner; elsewhere whoever set it up;
//                Kept admins everywhere. A channel with neither: any member may set one up.
//   settings     Kept admins
//   import       Kept admins (exporting the whole workspace too; anyone exports what they own)
//   Kept admins  Kept admins, and Slack workspace admins and owners always (so the list can be
//                mended when every named admin has left)
//   open         recording a commitment or a touch, creating an account (its creator owns it),
//                adding a key contact (adds, never overwrites), reading anything
//
// Kept admins are the people named with `/kept settings admins`; until someone is named, Slack's
// workspace admins and owners are. `admins none` therefore hands the role back to Slack's admins:
// nobody can lock everyone out.
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { User } from '../../generated/prisma/client.js';
import { UserError } from './errors.js';
import { readSettings } from './settings.js';
import type { ProfileSource } from './users.js';

/** The person acting, as Kept knows them. `isAdmin`: a Slack workspace admin or owner, as last read from Slack. */
export interface Person {
  id: string;
  slackUserId: string;
  isAdmin: boolean;
}

export type Role = 'owner' | 'recorder' | 'accountOwner' | 'digestCreator';

/** What a refusal says the person tried to change. */
export type Subject =
  | { kind: 'commitment'; reference: string }
  | { kind: 'account'; name: string }
  | { kind: 'linkTo'; account: string; channelId: string }
  | { kind: 'moveFrom'; account: string; channelId: string }
  | { kind: 'digest'; channelId: string }
  | { kind: 'settings' }
  | { kind: 'admins' }
  | { kind: 'import' }
  | { kind: 'exportAll' };

/** Who may do one thing: named people (by role), Kept admins always, and maybe everyone or Slack admins too. */
export interface Policy {
  subject: Subject;
  holders: Array<{ userId: string; role: Role }>;
  /** Any member may. */
  open?: boolean;
  /** Slack workspace admins and owners may, even after Kept admins are named. */
  slackAdmins?: boolean;
}

// ---- the rules (pure) --------------------------------------------------------------------------

const holders = (list: Array<[string | null | undefined, Role]>) =>
  list.filter((h): h is [string, Role] => Boolean(h[0])).map(([userId, role]) => ({ userId, role }));

export function commitmentPolicy(c: { number: number; ownerId: string; createdById: string; account: { ownerId: string | null } }): Policy {
  return {
    subject: { kind: 'commitment', reference: `C-${c.number}` },
    holders: holders([[c.ownerId, 'owner'], [c.createdById, 'recorder'], [c.account.ownerId, 'accountOwner']]),
  };
}

export function accountPolicy(a: { name: string; ownerId: string | null }): Policy {
  return { subject: { kind: 'account', name: a.name }, holders: holders([[a.ownerId, 'accountOwner']]) };
}

/**
 * Linking a channel adds it to `to`; if it was linked to `from`, it also leaves that account (whose
 * prompts, digest and commitments went there). Both checks must pass.
 */
export function linkPolicies(channelId: string, to: { id: string; name: string; ownerId: string | null }, from: { id: string; name: string; ownerId: string | null } | null): Policy[] {
  const policies: Policy[] = [{ subject: { kind: 'linkTo', account: to.name, channelId }, holders: holders([[to.ownerId, 'accountOwner']]) }];
  if (from && from.id !== to.id) policies.push(moveFromPolicy(channelId, from));
  return policies;
}

/** Taking a channel away from the account it is linked to. */
export function moveFromPolicy(channelId: string, from: { name: string; ownerId: string | null }): Policy {
  return { subject: { kind: 'moveFrom', account: from.name, channelId }, holders: holders([[from.ownerId, 'accountOwner']]) };
}

export function digestPolicy(channelId: string, channelAccount: { ownerId: string | null } | null, existing: { createdById: string } | null): Policy {
  return {
    subject: { kind: 'digest', channelId },
    holders: holders([[channelAccount?.ownerId, 'accountOwner'], [existing?.createdById, 'digestCreator']]),
    open: !channelAccount && !existing,
  };
}

export const settingsPolicy: Policy = { subject: { kind: 'settings' }, holders: [] };
export const adminsPolicy: Policy = { subject: { kind: 'admins' }, holders: [], slackAdmins: true };
/** Bringing a CSV of accounts, contacts or commitments in (it creates and changes many at once). */
export const importPolicy: Policy = { subject: { kind: 'import' }, holders: [] };
/** Exporting every account's data, not only the accounts one owns. */
export const exportAllPolicy: Policy = { subject: { kind: 'exportAll' }, holders: [] };

/** Kept admins: the people named in settings; until someone is named, Slack's workspace admins and owners. */
export function isKeptAdmin(p: Person, adminSlackIds: readonly string[]): boolean {
  return adminSlackIds.length ? adminSlackIds.includes(p.slackUserId) : p.isAdmin;
}

export function allows(policy: Policy, p: Person, adminSlackIds: readonly string[]): boolean {
  return (
    policy.open === true ||
    policy.holders.some((h) => h.userId === p.id) ||
    isKeptAdmin(p, adminSlackIds) ||
    (policy.slackAdmins === true && p.isAdmin)
  );
}

// ---- refusals ----------------------------------------------------------------------------------

/** Everything a refusal needs to say who may: people by Slack id and role, and who the admins are. */
export interface Refusal {
  subject: Subject;
  holders: Array<{ slackUserId: string; roles: Role[] }>;
  /** The named Kept admins; empty while Slack's admins hold the role. */
  keptAdmins: string[];
  slackAdminsToo: boolean;
  /** The person's Slack admin status mattered and could not be read from Slack just now. */
  unverified: boolean;
}

export const ROLE_WORDS: Record<Role, string> = { owner: 'the owner', recorder: 'who recorded it', accountOwner: 'the account owner', digestCreator: 'who set it up' };

/** A plain-text account of a refusal (logs, and any transport that cannot show mentions). */
export function describeRefusal(r: Refusal): string {
  const people = r.holders.map((h) => `${h.slackUserId} (${h.roles.map((x) => ROLE_WORDS[x]).join(', ')})`);
  const admins = r.keptAdmins.length ? `a Kept admin (${r.keptAdmins.join(', ')})` : 'a Slack workspace admin (Kept has no admins of its own yet)';
  const also = r.slackAdminsToo && r.keptAdmins.length ? ' or a Slack workspace admin' : '';
  return `Only ${[...people, admins].join(', ')}${also} can do that. Nothing was changed.`;
}

/** Refused: a UserError whose answer says who may (see messages/permissions.ts). */
export class NotAllowed extends UserError {
  constructor(readonly refusal: Refusal) {
    super(describeRefusal(refusal));
  }
}

// ---- the loader --------------------------------------------------------------------------------

/**
 * How old the cached Slack admin flag may be when a decision turns on it. Profiles are otherwise
 * re-read daily; a person demoted (or promoted) in Slack is seen within this time.
 */
export const ADMIN_FLAG_MAX_AGE_MS = 5 * 60 * 1000;

export interface PermissionDeps {
  db: Db;
  clock: Clock;
  profiles: ProfileSource;
}

/**
 * Passes when `user` may act under every policy given, else throws NotAllowed (nothing has changed
 * yet). Settings are read fresh: another process may just have named an admin. When the answer
 * depends on the person being a Slack admin and that was last read from Slack more than five
 * minutes ago, it is read again; if Slack cannot be asked, the answer is no (a privilege is not
 * granted on a stale word). Returns the user as last read (possibly refreshed).
 */
export async function authorize(deps: PermissionDeps, workspaceId: string, user: User, ...policies: Policy[]): Promise<User> {
  // The owner acting on their own (the common case) needs no more reading.
  if (policies.every((p) => allows(p, { ...user, isAdmin: false }, []))) return user;
  const ws = await deps.db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { settings: true } });
  const admins = readSettings(ws.settings).adminSlackIds;
  let person: User = user;
  let unverified = false;
  for (const policy of policies) {
    if (allows(policy, { ...person, isAdmin: false }, admins)) continue;
    const hinges = allows(policy, { ...person, isAdmin: true }, admins);
    if (hinges && !unverified && !fresh(person, deps.clock.now())) {
      const refreshed = await refreshAdminFlag(deps, person);
      if (refreshed) person = refreshed;
      else unverified = true;
    }
    if (!unverified && allows(policy, person, admins)) continue;
    throw new NotAllowed(await refusalFor(deps.db, policy, admins, hinges && unverified));
  }
  return person;
}

function fresh(user: User, now: Date): boolean {
  return user.fetchedAt !== null && now.getTime() - user.fetchedAt.getTime() < ADMIN_FLAG_MAX_AGE_MS;
}

async function refreshAdminFlag(deps: PermissionDeps, user: User): Promise<User | null> {
  const profile = await deps.profiles.lookup(user.slackUserId).catch(() => null);
  if (!profile) return null;
  return deps.db.user.update({
    where: { id: user.id },
    data: { displayName: profile.displayName, timeZone: profile.timeZone, isAdmin: profile.isAdmin, fetchedAt: deps.clock.now() },
  });
}

async function refusalFor(db: Db, policy: Policy, admins: string[], unverified: boolean): Promise<Refusal> {
  const ids = [...new Set(policy.holders.map((h) => h.userId))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, slackUserId: true } }) : [];
  const slackId = new Map(users.map((u) => [u.id, u.slackUserId]));
  const people = new Map<string, Role[]>();
  for (const h of policy.holders) {
    const s = slackId.get(h.userId);
    if (s) people.set(s, [...(people.get(s) ?? []), h.role]);
  }
  return {
    subject: policy.subject,
    holders: [...people].map(([slackUserId, roles]) => ({ slackUserId, roles })),
    keptAdmins: admins,
    slackAdminsToo: policy.slackAdmins === true,
    unverified,
  };
}
