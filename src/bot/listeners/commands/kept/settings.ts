// /kept settings: the workspace's cadence defaults, warning window, prompts, working hours and
// Kept admins; `history` shows the audit trail. Reading is open; changing is for Kept admins.
import { auditTrail } from '../../../../services/audit.js';
import { UserError } from '../../../../services/errors.js';
import { adminsPolicy, settingsPolicy } from '../../../../services/permissions.js';
import { readSettings, TIERS, type PromptName, type TierName, type WorkspaceSettings } from '../../../../services/settings.js';
import { updateSettings } from '../../../../services/workspaces.js';
import { auditHistory, PROMPT_WORDS } from '../../../../messages/audit.js';
import { type Message, type Mrkdwn, joinMd, md, mention, note } from '../../../../messages/format.js';
import { parseMention, type Actor } from '../../../people.js';
import type { ListenerDeps } from '../../deps.js';

const HISTORY_SHOWN = 20;

function show(s: WorkspaceSettings): Mrkdwn {
  const admins = s.adminSlackIds.length ? joinMd(s.adminSlackIds.map(mention), ' ') : 'none named, so Slack’s workspace admins and owners';
  return md`Cadence defaults: ${TIERS.map((t) => `${t} every ${s.tierCadenceDays[t]} days`).join(', ')}. Warning window: the last ${Math.round(s.cadenceWarningFraction * 100)}% of the interval (at least one working day). DMs go out ${s.workingHours.start}–${s.workingHours.end}, Mon–Fri, in each person's zone. Prompts: ${Object.entries(PROMPT_NAMES).map(([k, v]) => `${k} ${s.prompts[v] ? 'on' : 'off'}`).join(', ')}. Kept admins (change settings and any account, commitment or digest): ${admins}.`;
}

export async function settingsCommand(deps: ListenerDeps, actor: Actor, text: string): Promise<Message> {
  // Read fresh: the actor's cached workspace row may predate another process's change.
  const current = readSettings((await deps.db.workspace.findUniqueOrThrow({ where: { id: actor.workspace.id } })).settings);
  if (!text) return note(md`${show(current)}\nChange with \`/kept settings cadence strategic 7\` or \`/kept settings warning 20%\`; \`/kept settings history\` shows who changed what.`);
  if (/^history$/i.test(text)) return auditHistory('Recent changes to settings, accounts, channels and digests', await auditTrail(deps.db, { workspaceId: actor.workspace.id }, HISTORY_SHOWN), actor.user.timeZone);
  await deps.directory.authorize(actor, /^admins\b/i.test(text) ? adminsPolicy : settingsPolicy);
  const by = { actorId: actor.user.id, at: deps.clock.now() };
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
    next = await updateSettings(deps.db, actor.workspace.id, { tierCadenceDays: { ...current.tierCadenceDays, [tier]: days } }, by);
  } else if (warning) {
    const pct = Number(warning[1]);
    if (pct > 90) throw new UserError('The warning window is a percentage of the interval from 0 to 90.');
    next = await updateSettings(deps.db, actor.workspace.id, { cadenceWarningFraction: pct / 100 }, by);
  } else if (prompt) {
    const name = PROMPT_NAMES[prompt[1]!.toLowerCase()];
    if (!name) throw new UserError(`The prompts are ${Object.keys(PROMPT_NAMES).join(', ')}.`);
    next = await updateSettings(deps.db, actor.workspace.id, { prompts: { ...current.prompts, [name]: prompt[2]!.toLowerCase() === 'on' } }, by);
  } else if (hours) {
    const [h1, m1, h2, m2] = hours.slice(1).map(Number) as [number, number, number, number];
    if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 * 60 + m1 >= h2 * 60 + m2) throw new UserError('Working hours are a start and an end on the same day, like `hours 09:00-18:00`.');
    const pad = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    next = await updateSettings(deps.db, actor.workspace.id, { workingHours: { start: pad(h1, m1), end: pad(h2, m2) } }, by);
  } else if (admins) {
    const ids = /^none$/i.test(admins[1]!.trim()) ? [] : admins[1]!.split(/\s+/).map((m) => parseMention(m)?.id);
    if (ids.some((id) => !id)) throw new UserError('Name Kept admins with mentions, like `admins @li @sam`, or `admins none`.');
    next = await updateSettings(deps.db, actor.workspace.id, { adminSlackIds: [...new Set(ids as string[])] }, by);
  } else {
    throw new UserError('Write `/kept settings cadence strategic 7`, `warning 20%`, `prompt renewal off`, `hours 09:00-18:00` or `admins @li @sam`.');
  }
  return note(md`Saved. ${show(next)}`);
}

/** What people type → the settings key. */
const PROMPT_NAMES: Record<string, PromptName> = Object.fromEntries(Object.entries(PROMPT_WORDS).map(([key, word]) => [word, key as PromptName]));
