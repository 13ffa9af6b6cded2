// Block Kit for an account: the card (/kept account acme) and its contacts.
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { ROLE_LABEL, type ContactWithLastTouch } from '../services/contacts.js';
import type { AccountOverview } from '../services/overview.js';
import { type Message, context, esc, mention, message, section, slackDate } from './format.js';
import { KIND_LABEL, STATUS_LABEL } from './touch.js';
import type { TouchKind } from '../../generated/prisma/client.js';

function contactLine(c: ContactWithLastTouch, zone: string): string {
  const role = c.role ? ` · ${ROLE_LABEL[c.role]}` : '';
  const title = c.title ? ` (${esc(c.title)})` : '';
  const last = c.lastTouchedAt ? `last touched ${slackDate(c.lastTouchedAt, zone)}` : 'never touched';
  return `• *${esc(c.name)}*${title}${role} · ${last}`;
}

/** Up to `max` lines, and a count of the rest, so a long list never breaks Slack's limits. */
function capped(lines: string[], max: number, more: string): string {
  return lines.length <= max ? lines.join('\n') : `${lines.slice(0, max).join('\n')}\n…and ${lines.length - max} ${more}`;
}

export function accountCard(o: AccountOverview, zone: string): Message {
  const a = o.account;
  const fields = [
    `*Owner*\n${a.owner ? mention(a.owner.slackUserId) : 'nobody yet'}`,
    `*Tier*\n${a.tier}`,
    `*Cadence*\nevery ${o.intervalDays} days · ${STATUS_LABEL[o.status]}`,
    `*Next touch due*\n${a.cadenceDueAt ? slackDate(a.cadenceDueAt, zone) : '—'}`,
    `*Last touch*\n${o.lastTouch ? `${KIND_LABEL[o.lastTouch.kind as TouchKind]} ${slackDate(o.lastTouch.at, zone)}` : 'none yet'}`,
    `*Open commitments*\nours ${o.open.ours} · theirs ${o.open.theirs}${o.open.overdue ? ` · :warning: ${o.open.overdue} overdue` : ''}`,
    `*Renewal*\n${a.renewalDate ? DateTime.fromJSDate(a.renewalDate, { zone: 'UTC' }).toFormat('d LLL yyyy') : '—'}`,
    `*Channels*\n${a.channels.length ? a.channels.map((c) => `<#${c.channelId}>`).join(' ') : '—'}`,
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: a.name.slice(0, 150) } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (a.aliases.length) blocks.push(context(`Also known as ${a.aliases.map((x) => `“${esc(x)}”`).join(', ')}`));
  blocks.push(
    section(
      o.contacts.length
        ? `*Key contacts*\n${capped(o.contacts.map((c) => contactLine(c, zone)), 25, 'more: `/kept contact list ' + esc(a.name) + '`')}`
        : `*Key contacts*\nNone yet. Add one with \`/kept contact add ${esc(a.name)} "Dana Smith" cfo decision-maker\`.`,
    ),
    context(`Timeline: \`/touch list ${esc(a.name)}\` · commitments: \`/commit list ${esc(a.name)}\``),
  );
  return message(`${a.name}: cadence ${o.status.replace('_', ' ')}, ${o.open.ours + o.open.theirs} open commitments`, blocks);
}

export function contactList(account: { name: string }, contacts: ContactWithLastTouch[], zone: string): Message {
  const body = contacts.length ? capped(contacts.map((c) => contactLine(c, zone)), 60, 'more') : 'No key contacts yet.';
  return message(`Key contacts of ${account.name}`, [section(`*Key contacts of ${esc(account.name)}*\n${body}`)]);
}
