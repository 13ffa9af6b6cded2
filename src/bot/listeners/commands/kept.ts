// /kept: accounts (add, link, set) and help. Later issues add settings, contacts and digests here.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { Account, ContactRole, Tier } from '../../../../generated/prisma/client.js';
import { createAccount, linkChannel, requireAccount, updateAccount, type AccountChange } from '../../../services/accounts.js';
import { UserError } from '../../../services/errors.js';
import { addContact, CONTACT_ROLES, contactsWithLastTouch, ROLE_LABEL } from '../../../services/contacts.js';
import { accountOverview } from '../../../services/overview.js';
import { readSettings, TIERS, type PromptName, type TierName } from '../../../services/settings.js';
import { updateSettings } from '../../../services/workspaces.js';
import { accountCard, contactList } from '../../views/account.js';
import type { Message } from '../../views/format.js';
import { parseMention, type Actor } from '../../people.js';
import { replyPrivately } from '../../reply.js';
import { esc, mention, note } from '../../views/format.js';
import { keptHelp } from '../../views/help.js';
import type { ListenerDeps } from '../deps.js';
import { digestCommand } from './digest.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const SET_FIELDS = ['owner', 'cadence', 'tier', 'renewal', 'alias', 'name'] as const;

export function keptCommand(deps: ListenerDeps) {
  return async ({ command, ack, client }: Args) => {
    await ack();
    const target = { userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url };
    const reply = (text: string) => replyPrivately(client, target, note(text));
    const reply2 = (msg: Message) => replyPrivately(client, target, msg);
    const text = command.text.trim();
    const m = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(text);
    const [area = '', verb = '', rest = ''] = m ? [m[1]!.toLowerCase(), (m[2] ?? '').toLowerCase(), (m[3] ?? '').trim()] : [];
    if (!text || area === 'help') return replyPrivately(client, { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id }, keptHelp());
    if (area === 'contact' || area === 'contacts') {
      const actor = await deps.directory.actor(command.team_id, command.user_id);
      return reply2(await contactCommand(deps, actor, verb, rest));
    }
    if (area === 'digest') {
      const actor = await deps.directory.actor(command.team_id, command.user_id);
      return digestCommand(deps, client, actor, command.channel_id, [verb, rest].filter(Boolean).join(' '), target);
    }
    if (area === 'settings') {
      const actor = await deps.directory.actor(command.team_id, command.user_id);
      return reply(await settingsCommand(deps, actor, [verb, rest].filter(Boolean).join(' ')));
    }
    if (area !== 'account') {
      return replyPrivately(client, { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id }, keptHelp(`I don’t know \`/kept ${esc(text)}\`. Here is what I do know:`));
    }
    const actor = await deps.directory.actor(command.team_id, command.user_id);
    const inChannel = !command.channel_id.startsWith('D');
    switch (verb) {
      case 'add': {
        const account = await createAccount(deps.db, { workspaceId: actor.workspace.id, name: rest, ownerId: actor.user.id, now: deps.clock.now() });
        if (inChannel) await linkChannel(deps.db, actor.workspace.id, account.id, command.channel_id);
        return reply(
          `Created *${esc(account.name)}*, owned by you${inChannel ? `, and linked <#${command.channel_id}> to it` : ''}. ` +
            `Set details with \`/kept account set ${account.name} cadence 14\` (also \`owner\`, \`tier\`, \`renewal\`, \`alias\`).`,
        );
      }
      case 'link': {
        if (!inChannel) throw new UserError('Run `/kept account link <name>` in the channel you want to link to the account.');
        if (!rest) throw new UserError('Which account? Write `/kept account link Acme`.');
        const account = await requireAccount(deps.db, actor.workspace.id, rest);
        const { previousAccountId } = await linkChannel(deps.db, actor.workspace.id, account.id, command.channel_id);
        return reply(`Linked <#${command.channel_id}> to *${esc(account.name)}*${previousAccountId ? ' (it was linked to another account before)' : ''}. Commitments made here now belong to it.`);
      }
      case 'set':
        return reply(await setField(deps, actor, rest));
      case '':
        throw new UserError('Write `/kept account Acme` to see an account, or `/kept account add Acme`, `/kept account link Acme`, `/kept account set Acme cadence 14`.');
      default: {
        // `/kept account acme` (or `account show acme`) shows the account card.
        const name = verb === 'show' ? rest : text.replace(/^account\s+/i, '');
        const account = await requireAccount(deps.db, actor.workspace.id, name);
        return reply2(accountCard(await accountOverview(deps.db, account.id, deps.clock.now()), actor.user.timeZone));
      }
    }
  };
}

async function contactCommand(deps: ListenerDeps, actor: Actor, verb: string, rest: string): Promise<Message> {
  if (verb === 'list') {
    if (!rest) throw new UserError('Which account? Write `/kept contact list acme`.');
    const account = await requireAccount(deps.db, actor.workspace.id, rest);
    return contactList(account, await contactsWithLastTouch(deps.db, account.id), actor.user.timeZone);
  }
  if (verb !== 'add') throw new UserError('Write `/kept contact add acme "Dana Smith" cfo decision-maker` or `/kept contact list acme`.');
  // The account is everything before a quoted name, or the first word: acme "Dana Smith" cfo decision-maker
  const quoted = /^(.+?)\s+["“”']([^"“”']+)["“”']\s*(.*)$/.exec(rest);
  const bare = /^(\S+)\s+(\S+)\s*(.*)$/.exec(rest);
  const m = quoted ?? bare;
  if (!m) throw new UserError('Write `/kept contact add acme "Dana Smith" cfo decision-maker`: the account, the name (in quotes if it has spaces), then an optional title, role and email.');
  const account = await requireAccount(deps.db, actor.workspace.id, m[1]!);
  let role: ContactRole | null = null;
  let email: string | null = null;
  const title: string[] = [];
  for (const word of (m[3] ?? '').split(/\s+/).filter(Boolean)) {
    const r = CONTACT_ROLES[word.toLowerCase()];
    if (r && !role) role = r;
    else if (word.includes('@')) email = word.replace(/^<mailto:[^|]+\|(.+)>$/, '$1');
    else title.push(word);
  }
  const contact = await addContact(deps.db, { workspaceId: actor.workspace.id, accountId: account.id, name: m[2]!, role, title: title.join(' ') || null, email });
  const details = [contact.title, contact.role ? ROLE_LABEL[contact.role] : null, contact.email].filter(Boolean).join(', ');
  return note(`Added *${esc(contact.name)}*${details ? ` (${esc(details)})` : ''} as a key contact of *${esc(account.name)}*.`);
}

async function settingsCommand(deps: ListenerDeps, actor: Actor, text: string): Promise<string> {
  // Read fresh: the actor's cached workspace row may predate another process's change.
  const current = readSettings((await deps.db.workspace.findUniqueOrThrow({ where: { id: actor.workspace.id } })).settings);
  const show = (s: typeof current) =>
    `Cadence defaults: ${TIERS.map((t) => `${t} every ${s.tierCadenceDays[t]} days`).join(', ')}. ` +
    `Warning window: the last ${Math.round(s.cadenceWarningFraction * 100)}% of the interval (at least one working day). ` +
    `DMs go out ${s.workingHours.start}–${s.workingHours.end}, Mon–Fri, in each person's zone. ` +
    `Prompts: ${Object.entries(PROMPT_NAMES).map(([k, v]) => `${k} ${s.prompts[v] ? 'on' : 'off'}`).join(', ')}. ` +
    `Kept admins (may change any commitment, besides Slack admins): ${s.adminSlackIds.length ? s.adminSlackIds.map(mention).join(' ') : 'none'}.`;
  if (!text) return `${show(current)}\nChange with \`/kept settings cadence strategic 7\` or \`/kept settings warning 20%\`.`;
  const cadence = /^cadence\s+(\w+)\s+(\d{1,3})$/i.exec(text);
  const warning = /^warning\s+(\d{1,2})\s*%?$/i.exec(text);
  const prompt = /^prompt\s+(\S+)\s+(on|off)$/i.exec(text);
  const hours = /^hours\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/i.exec(text);
  const admins = /^admins\s+(.+)$/i.exec(text);
  let next;
  if (cadence) {
    const tier = cadence[1]!.toLowerCase() as TierName;
    const days = Number(cadence[2]);
    if (!TIERS.includes(tier)) throw new UserError(`The tier is one of ${TIERS.join(', ')}.`);
    if (days < 1 || days > 365) throw new UserError('The cadence is a number of days from 1 to 365.');
    next = await updateSettings(deps.db, actor.workspace.id, { tierCadenceDays: { ...current.tierCadenceDays, [tier]: days } });
  } else if (warning) {
    const pct = Number(warning[1]);
    if (pct > 90) throw new UserError('The warning window is a percentage of the interval from 0 to 90.');
    next = await updateSettings(deps.db, actor.workspace.id, { cadenceWarningFraction: pct / 100 });
  } else if (prompt) {
    const name = PROMPT_NAMES[prompt[1]!.toLowerCase()];
    if (!name) throw new UserError(`The prompts are ${Object.keys(PROMPT_NAMES).join(', ')}.`);
    next = await updateSettings(deps.db, actor.workspace.id, { prompts: { ...current.prompts, [name]: prompt[2]!.toLowerCase() === 'on' } });
  } else if (hours) {
    const [h1, m1, h2, m2] = hours.slice(1).map(Number) as [number, number, number, number];
    if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 * 60 + m1 >= h2 * 60 + m2) throw new UserError('Working hours are a start and an end on the same day, like `hours 09:00-18:00`.');
    const pad = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    next = await updateSettings(deps.db, actor.workspace.id, { workingHours: { start: pad(h1, m1), end: pad(h2, m2) } });
  } else if (admins) {
    const ids = /^none$/i.test(admins[1]!.trim()) ? [] : admins[1]!.split(/\s+/).map((m) => parseMention(m)?.id);
    if (ids.some((id) => !id)) throw new UserError('Name Kept admins with mentions, like `admins @li @sam`, or `admins none`.');
    next = await updateSettings(deps.db, actor.workspace.id, { adminSlackIds: ids as string[] });
  } else {
    throw new UserError('Write `/kept settings cadence strategic 7`, `warning 20%`, `prompt renewal off`, `hours 09:00-18:00` or `admins @li @sam`.');
  }
  return `Saved. ${show(next)}`;
}

/** What people type → the settings key. */
const PROMPT_NAMES: Record<string, PromptName> = {
  'cadence-due-soon': 'cadenceDueSoon',
  'cadence-overdue': 'cadenceOverdue',
  'going-dark': 'goingDark',
  'commitment-due-soon': 'commitmentDueSoon',
  'commitment-overdue': 'commitmentOverdue',
  'customer-follow-up': 'customerFollowUp',
  'negative-touch': 'negativeTouch',
  renewal: 'renewal',
};

async function setField(deps: ListenerDeps, actor: Actor, rest: string): Promise<string> {
  const m = new RegExp(`^(.+?)\\s+(${SET_FIELDS.join('|')})\\s+(.+)$`, 'i').exec(rest);
  if (!m) {
    throw new UserError('Write `/kept account set <account> <field> <value>`, where field is owner (@person), cadence (days), tier (strategic, key or standard), renewal (2027-03-31 or none), alias or name.');
  }
  const account = await requireAccount(deps.db, actor.workspace.id, m[1]!);
  const field = m[2]!.toLowerCase() as (typeof SET_FIELDS)[number];
  const value = m[3]!.trim();
  const updated = await updateAccount(deps.db, account.id, await parseChange(deps, actor, field, value));
  return `Updated *${esc(updated.name)}*: ${describe(updated, field, value)}.`;
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

function describe(a: Account, field: string, value: string): string {
  switch (field) {
    case 'owner':
      return `owner is now ${mention(parseMention(value)!.id)}`;
    case 'cadence':
      return `cadence is every ${a.cadenceDays} days`;
    case 'tier':
      return `tier is ${a.tier}`;
    case 'renewal':
      return a.renewalDate ? `renews on ${DateTime.fromJSDate(a.renewalDate, { zone: 'UTC' }).toISODate()}` : 'no renewal date';
    case 'alias':
      return `also known as ${a.aliases.map((x) => `“${esc(x)}”`).join(', ')}`;
    default:
      return `renamed to ${esc(a.name)}`;
  }
}
