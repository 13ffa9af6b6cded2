// The audit trail in words: who changed a setting, an account, a channel link or a digest, when,
// from what to what (`/kept settings history`, and the last few on an account card).
import type { KnownBlock } from '@slack/types';
import type { AuditEntry } from '../services/audit.js';
import type { PromptName } from '../services/settings.js';
import { LIMITS, type MdValue, type Message, type Mrkdwn, channel, context, joinMd, md, mention, message, section, slackDate } from './format.js';

/** The prompts' names as people type them (`/kept settings prompt renewal off`). */
export const PROMPT_WORDS: Record<PromptName, string> = {
  cadenceDueSoon: 'cadence-due-soon',
  cadenceOverdue: 'cadence-overdue',
  goingDark: 'going-dark',
  commitmentDueSoon: 'commitment-due-soon',
  commitmentOverdue: 'commitment-overdue',
  customerFollowUp: 'customer-follow-up',
  negativeTouch: 'negative-touch',
  renewal: 'renewal',
};

const DAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A setting's path in words: "prompts.renewal" → "prompt renewal". */
function settingLabel(path: string): string {
  const [head, tail = ''] = path.split('.');
  if (head === 'tierCadenceDays') return `${tail} cadence (days)`;
  if (head === 'cadenceWarningFraction') return 'warning window';
  if (head === 'prompts') return `prompt ${PROMPT_WORDS[tail as PromptName] ?? tail}`;
  if (head === 'workingHours') return tail === 'start' ? 'DMs from' : 'DMs until';
  if (head === 'adminSlackIds') return 'Kept admins';
  return path;
}

/** One recorded value, shown the way it was set; people (Slack ids Kept parsed) as mentions. */
function value(key: string, v: unknown): MdValue {
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return 'none';
  if (key === 'adminSlackIds' || key === 'owner') return Array.isArray(v) ? joinMd(v.map((x) => mention(String(x))), ' ') : mention(String(v));
  if (key === 'cadenceWarningFraction' && typeof v === 'number') return `${Math.round(v * 100)}%`;
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (Array.isArray(v)) return v.map(String).join(', ');
  return String(v);
}

function changes(before: Record<string, unknown> | null, after: Record<string, unknown> | null, label: (k: string) => string): Mrkdwn {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return joinMd(keys.map((k) => md`${label(k)}: ${value(k, before?.[k])} → ${value(k, after?.[k])}`), '; ');
}

function digestWords(d: Record<string, unknown> | null): string {
  if (!d) return 'none';
  const what = d.scope === 'account' ? 'the account review' : d.scope === 'tier' ? `${String(d.tier)} accounts` : d.scope === 'owners' ? `accounts of ${String(d.owners)} owner(s)` : 'all accounts';
  return `${DAYS[Number(d.weekday)] ?? '?'} ${String(d.time)} (${String(d.timeZone)}), ${what}`;
}

function what(e: AuditEntry): Mrkdwn {
  const account = e.accountName ?? 'an account since removed';
  const where = e.channelId ? channel(e.channelId) : 'a channel';
  switch (e.kind) {
    case 'settings_changed':
    case 'admins_changed':
      return md`settings: ${changes(e.before, e.after, settingLabel)}`;
    case 'account_created':
      return md`created *${String(e.after?.name ?? account)}*, owner ${value('owner', e.after?.owner)}`;
    case 'account_changed':
      return md`*${account}*: ${changes(e.before, e.after, (k) => k)}`;
    case 'channel_linked':
      return e.before?.account
        ? md`moved ${where} from *${String(e.before.account)}* to *${String(e.after?.account ?? account)}*`
        : md`linked ${where} to *${String(e.after?.account ?? account)}*`;
    case 'digest_changed':
      return md`weekly digest of ${where}: ${digestWords(e.before)} → ${digestWords(e.after)}`;
    case 'digest_stopped':
      return md`stopped the weekly digest of ${where} (was ${digestWords(e.before)})`;
  }
}

/** "<date> · <@who> · what changed" */
export function auditLine(e: AuditEntry, zone: string): Mrkdwn {
  const who = e.actorSlackId ? mention(e.actorSlackId) : 'an operator';
  return md`${slackDate(e.at, zone)} · ${who} · ${what(e)}`;
}

/** The trail, newest first, as one ephemeral message within Slack's limits. */
export function auditHistory(title: string, entries: AuditEntry[], zone: string): Message {
  const blocks: KnownBlock[] = [section(md`*${title}*`)];
  if (entries.length === 0) blocks.push(context('Nothing changed yet.'));
  for (const e of entries.slice(0, LIMITS.messageBlocks - 1)) blocks.push(section(auditLine(e, zone)));
  return message(`${title}: ${entries.length} ${entries.length === 1 ? 'change' : 'changes'}`, blocks);
}
