// Block Kit for an account: the card (/kept account acme) and its contacts.
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { ROLE_LABEL, type ContactWithLastTouch } from '../services/contacts.js';
import type { AccountOverview } from '../services/overview.js';
import { type Message, type Mrkdwn, channel, context, joinMd, md, mention, message, mrkdwnText, plainText, section, slackDate, slackDay } from './format.js';
import { auditLine } from './audit.js';
import { KIND_LABEL, STATUS_LABEL } from './touch.js';
import type { TouchKind } from '../../generated/prisma/client.js';

function contactLine(c: ContactWithLastTouch, zone: string): Mrkdwn {
  const role = c.role ? ` · ${ROLE_LABEL[c.role]}` : '';
  const title = c.title ? md` (${c.title})` : '';
  const last = c.lastTouchedAt ? md`last touched ${slackDate(c.lastTouchedAt, zone)}` : 'never touched';
  return md`• *${c.name}*${title}${role} · ${last}`;
}

/** Up to `max` lines, and a count of the rest, so a long list never breaks Slack's limits. */
function capped(lines: Mrkdwn[], max: number, more: Mrkdwn | string): Mrkdwn {
  return lines.length <= max ? joinMd(lines, '\n') : md`${joinMd(lines.slice(0, max), '\n')}\n…and ${lines.length - max} ${more}`;
}

export function accountCard(o: AccountOverview, zone: string): Message {
  const a = o.account;
  const fields = [
    md`*Owner*\n${a.owner ? mention(a.owner.slackUserId) : 'nobody yet'}`,
    md`*Tier*\n${a.tier}`,
    md`*Cadence*\nevery ${o.intervalDays} days · ${STATUS_LABEL[o.status]}`,
    md`*Next touch due*\n${a.cadenceDueAt ? slackDay(a.cadenceDueAt, a.owner?.timeZone ?? zone) : '—'}`,
    md`*Last touch*\n${o.lastTouch ? md`${KIND_LABEL[o.lastTouch.kind as TouchKind]} ${slackDate(o.lastTouch.at, zone)}` : 'none yet'}`,
    md`*Open commitments*\nours ${o.open.ours} · theirs ${o.open.theirs}${o.open.overdue ? ` · :warning: ${o.open.overdue} overdue` : ''}`,
    md`*Renewal*\n${a.renewalDate ? DateTime.fromJSDate(a.renewalDate, { zone: 'UTC' }).toFormat('d LLL yyyy') : '—'}`,
    md`*Channels*\n${a.channels.length ? joinMd(a.channels.map((c) => channel(c.channelId)), ' ') : '—'}`,
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(a.name, 150) },
    { type: 'section', fields: fields.map(mrkdwnText) },
  ];
  if (a.aliases.length) blocks.push(context(md`Also known as ${joinMd(a.aliases.map((x) => md`“${x}”`), ', ')}`));
  blocks.push(
    section(
      o.contacts.length
        ? md`*Key contacts*\n${capped(o.contacts.map((c) => contactLine(c, zone)), 25, md`more: \`/kept contact list ${a.name}\``)}`
        : md`*Key contacts*\nNone yet. Add one with \`/kept contact add ${a.name} "Dana Smith" cfo decision-maker\`.`,
    ),
    context(md`Timeline: \`/touch list ${a.name}\` · commitments: \`/commit list ${a.name}\``),
  );
  if (o.changes.length) blocks.push(context(md`*Recent changes*\n${joinMd(o.changes.map((e) => auditLine(e, zone)), '\n')}`));
  return message(`${a.name}: cadence ${o.status.replace('_', ' ')}, ${o.open.ours + o.open.theirs} open commitments`, blocks);
}

export function contactList(account: { name: string }, contacts: ContactWithLastTouch[], zone: string): Message {
  const body = contacts.length ? capped(contacts.map((c) => contactLine(c, zone)), 60, 'more') : 'No key contacts yet.';
  return message(`Key contacts of ${account.name}`, [section(md`*Key contacts of ${account.name}*\n${body}`)]);
}
