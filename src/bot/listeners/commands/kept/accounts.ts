// /kept account add|link|set|<name>: accounts, their channels and their details.
import type { SlashCommand } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { Account, Tier } from '../../../../../generated/prisma/client.js';
import { accountForChannel, createAccount, linkChannel, requireAccount, updateAccount, type AccountChange } from '../../../../services/accounts.js';
import { UserError } from '../../../../services/errors.js';
import { accountOverview } from '../../../../services/overview.js';
import { accountPolicy, linkPolicies, moveFromPolicy } from '../../../../services/permissions.js';
import { TIERS } from '../../../../services/settings.js';
import { accountCard } from '../../../../messages/account.js';
import { type Mrkdwn, channel, joinMd, md, mention, note, type Message } from '../../../../messages/format.js';
import { parseMention, type Actor } from '../../../people.js';
import type { ListenerDeps } from '../../deps.js';

const SET_FIELDS = ['owner', 'cadence', 'tier', 'renewal', 'alias', 'name'] as const;

export async function accountCommand(deps: ListenerDeps, actor: Actor, command: SlashCommand, verb: string, rest: string): Promise<Message> {
  const text = command.text.trim();
  const inChannel = !command.channel_id.startsWith('D');
  const by = { actorId: actor.user.id, at: deps.clock.now() };
  switch (verb) {
    case 'add': {
      // Anyone may create an account (they own it); linking this channel moves it away from the
      // account it belongs to, which only that account's owner or a Kept admin may do.
      const current = inChannel ? await accountForChannel(deps.db, actor.workspace.id, command.channel_id) : null;
      if (current) await deps.directory.authorize(actor, moveFromPolicy(command.channel_id, current));
      const account = await createAccount(deps.db, { workspaceId: actor.workspace.id, name: rest, ownerId: actor.user.id, now: by.at }, by);
      if (inChannel) await linkChannel(deps.db, actor.workspace.id, account.id, command.channel_id, by);
      const linked = inChannel ? md`, and linked ${channel(command.channel_id)} to it` : '';
      return note(md`Created *${account.name}*, owned by you${linked}. Set details with \`/kept account set ${account.name} cadence 14\` (also \`owner\`, \`tier\`, \`renewal\`, \`alias\`).`);
    }
    case 'link': {
      if (!inChannel) throw new UserError('Run `/kept account link <name>` in the channel you want to link to the account.');
      if (!rest) throw new UserError('Which account? Write `/kept account link Acme`.');
      const account = await requireAccount(deps.db, actor.workspace.id, rest);
      const current = await accountForChannel(deps.db, actor.workspace.id, command.channel_id);
      await deps.directory.authorize(actor, ...linkPolicies(command.channel_id, account, current));
      const { previousAccountId } = await linkChannel(deps.db, actor.workspace.id, account.id, command.channel_id, by);
      return note(md`Linked ${channel(command.channel_id)} to *${account.name}*${previousAccountId ? ' (it was linked to another account before)' : ''}. Commitments made here now belong to it.`);
    }
    case 'set':
      return note(await setField(deps, actor, rest));
    case '':
      throw new UserError('Write `/kept account Acme` to see an account, or `/kept account add Acme`, `/kept account link Acme`, `/kept account set Acme cadence 14`.');
    default: {
      // `/kept account acme` (or `account show acme`) shows the account card.
      const name = verb === 'show' ? rest : text.replace(/^account\s+/i, '');
      const account = await requireAccount(deps.db, actor.workspace.id, name);
      return accountCard(await accountOverview(deps.db, account.id, deps.clock.now()), actor.user.timeZone);
    }
  }
}

const SET_USAGE =
  'Write `/kept account set <account> <field> <value>`, where field is owner (@person), cadence (days), tier (strategic, key or standard), renewal (2027-03-31 or none), alias or name; several at once are separated by `|`: `/kept account set Acme owner @maria | cadence 14 | tier strategic`.';

type SetField = (typeof SET_FIELDS)[number];

/**
 * `set Acme owner @maria | cadence 14 | tier strategic`: every part is read and checked before
 * anything changes, then all are applied in one transaction (updateAccount), or none.
 */
async function setField(deps: ListenerDeps, actor: Actor, rest: string): Promise<Mrkdwn> {
  const [first = '', ...others] = rest.split(/\|(?![^<>]*>)/).map((p) => p.trim()); // not the | inside <@U1|maria>
  const fields = SET_FIELDS.join('|');
  const head = new RegExp(`^(.+?)\\s+(${fields})\\s+(.+)$`, 'i').exec(first);
  if (!head) throw new UserError(SET_USAGE);
  const parts: Array<{ field: SetField; value: string }> = [{ field: head[2]!.toLowerCase() as SetField, value: head[3]!.trim() }];
  for (const part of others) {
    const m = new RegExp(`^(${fields})\\s+(.+)$`, 'i').exec(part);
    if (!m) throw new UserError(`I did not understand “${part}”. ${SET_USAGE}`);
    parts.push({ field: m[1]!.toLowerCase() as SetField, value: m[2]!.trim() });
  }
  const twice = parts.find((p, i) => p.field !== 'alias' && parts.findIndex((q) => q.field === p.field) !== i);
  if (twice) throw new UserError(`\`${twice.field}\` is given twice; give each field once.`);
  const account = await requireAccount(deps.db, actor.workspace.id, head[1]!);
  await deps.directory.authorize(actor, accountPolicy(account));
  const problems: string[] = [];
  const changes: AccountChange[] = [];
  for (const { field, value } of parts) {
    try {
      changes.push(await parseChange(deps, actor, field, value));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length) throw new UserError(`${problems.join(' ')}${parts.length > 1 ? ' Nothing was changed.' : ''}`);
  const updated = await updateAccount(deps.db, account.id, changes, { actorId: actor.user.id, at: deps.clock.now() });
  return md`Updated *${updated.name}*: ${joinMd(parts.map((p) => describe(updated, p.field, p.value)), '; ')}.`;
}

async function parseChange(deps: ListenerDeps, actor: Actor, field: (typeof SET_FIELDS)[number], value: string): Promise<AccountChange> {
  switch (field) {
    case 'owner': {
      const who = parseMention(value);
      if (!who) throw new UserError('Name the owner with a mention, for example `owner @maria`.');
      const user = await deps.directory.user(actor.workspace.id, who.id, who.name);
      return { field, ownerId: user.id };
    }
    case 'cadence': {
      const c = /^(\d{1,3})\s*(d|days?|w|weeks?)?$/i.exec(value);
      if (!c) throw new UserError('Give the cadence in days or weeks, for example `cadence 14` or `cadence 2w`.');
      return { field, days: Number(c[1]) * (/^w/i.test(c[2] ?? '') ? 7 : 1) };
    }
    case 'tier': {
      const tier = value.toLowerCase();
      if (!(TIERS as readonly string[]).includes(tier)) throw new UserError(`The tier is one of ${TIERS.join(', ')}.`);
      return { field, tier: tier as Tier };
    }
    case 'renewal': {
      if (/^(none|-|clear)$/i.test(value)) return { field, date: null };
      const d = DateTime.fromISO(value, { zone: 'UTC' });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !d.isValid) throw new UserError('Give the renewal date as YYYY-MM-DD, for example `renewal 2027-03-31`, or `renewal none`.');
      return { field, date: d.toJSDate() };
    }
    case 'alias':
      return { field, alias: value };
    case 'name':
      return { field, name: value };
  }
}

function describe(a: Account, field: string, value: string): Mrkdwn | string {
  switch (field) {
    case 'owner':
      return md`owner is now ${mention(parseMention(value)!.id)}`;
    case 'cadence':
      return `cadence is every ${a.cadenceDays} days`;
    case 'tier':
      return `tier is ${a.tier}`;
    case 'renewal':
      return a.renewalDate ? `renews on ${DateTime.fromJSDate(a.renewalDate, { zone: 'UTC' }).toISODate()}` : 'no renewal date';
    case 'alias':
      return md`also known as ${joinMd(a.aliases.map((x) => `“${x}”`), ', ')}`;
    default:
      return `renamed to ${a.name}`;
  }
}

