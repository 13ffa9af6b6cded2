import { type MdValue, type Message, joinMd, message, section } from './format.js';

const COMMIT_HELP = [
  '*Record a commitment* (who owes what to whom, by when)',
  '• `/commit Send revised pricing by Friday`: in an account’s channel, the account is implied',
  '• `/commit acme: SOC2 answers by Dec 3 5pm @maria`: for Acme, owned by @maria',
  '• `/commit acme: customer sends the signed order form by next Tuesday`: owed by the customer',
  '• `/commit`: open the form',
  '• On a message: *⋯ → Track as commitment* (“I’ll send the deck by Friday”): the form filled in from it; its thread hears when it is kept',
  '*See and close*',
  '• `/commit list`: yours (in an account’s channel, that account’s)',
  '• `/commit list overdue` · `/commit list mine` · `/commit list @person` · `/commit list acme`',
  '• `/commit done C-42`',
  '_Dates:_ Friday, tomorrow 3pm, Dec 3, next Tuesday, in 2 weeks. A date without a time means the end of that working day (18:00 your time).',
];

const TOUCH_HELP = [
  '*Log a touch* (calls, meetings, emails, reviews, visits, chats; a note is kept but does not count)',
  '• `/touch acme call with Dana: renewal on track :+1:`',
  '• `/touch meeting yesterday with @maria and Dana (CFO): pricing pushback :-1:`: in an account’s channel, the account is implied',
  '• `/touch call with Bill: migration worries :-1:`: Bill is not a key contact yet? The touch is saved with him named, and *Add Bill as a key contact* adds him in one click',
  '• `/touch`: open the form',
  '• On a message (a call recap, a pasted email): *⋯ → Log as touch*',
  '• `/touch list acme`: the account’s timeline, newest first',
  '_Sentiment:_ :+1: / :-1: or words (“on track”, “pushback”). Any touch restarts the account’s cadence clock from the day it happened; the next touch is due by the end of a working day.',
];

const KEPT_HELP = [
  '*Accounts*',
  '• `/kept account add Acme`: create an account (in a channel, also links the channel)',
  '• `/kept account link Acme`: link this channel to Acme',
  '• `/kept account set Acme owner @maria` · `cadence 14` · `tier strategic` · `renewal 2027-03-31` · `alias Acme Corp`; several at once with `|`: `/kept account set Acme owner @maria | cadence 14` (all or none)',
  '• `/kept account Acme`: the account card (cadence, last touch, open commitments, key contacts)',
  '*Key contacts*',
  '• `/kept contact add acme "Dana Smith" cfo decision-maker` (roles: decision-maker, champion, influencer, executive-sponsor, user)',
  '• `/kept contact list acme`',
  '*Weekly digest*',
  '• `/kept digest weekly mon 09:00 [Europe/Berlin]`: in an account’s channel, that account’s review; elsewhere a portfolio review `for @maria @li`, `for tier strategic` or `for all`',
  '• `/kept digest preview` (only you see it) · `/kept digest off`',
  '*Import and export* (CSV; columns and samples in the README)',
  '• `/kept import`: a form to upload accounts, contacts or open commitments from a CRM or a sheet (Kept admins; “Check only” writes nothing)',
  '• `/kept export accounts` · `contacts` · `commitments` · `touches` [`since 2026-11-01`] [`account Acme`]: the CSV arrives in your DM',
  '*Settings*',
  '• `/kept settings`: show · `/kept settings cadence strategic 7` · `/kept settings warning 20%`',
  '• `/kept settings prompt renewal off` (cadence-due-soon, cadence-overdue, going-dark, commitment-due-soon, commitment-overdue, customer-follow-up, negative-touch, renewal) · `/kept settings hours 09:00-18:00` · `/kept settings admins @li @sam` (changing settings is for Kept admins: Slack’s admins until some are named)',
  '• `/kept settings history`: who changed settings, accounts, channel links and digests',
  '• `/kept help`: this list',
];

/** `intro` is escaped unless it is Mrkdwn (it may quote what the person typed). */
export function commitHelp(intro?: MdValue): Message {
  const lines = intro ? [intro, '', ...COMMIT_HELP] : COMMIT_HELP;
  return message('How to use /commit', [section(joinMd(lines, '\n'))]);
}

export function touchHelp(intro?: MdValue): Message {
  const lines = intro ? [intro, '', ...TOUCH_HELP] : TOUCH_HELP;
  return message('How to use /touch', [section(joinMd(lines, '\n'))]);
}

export function keptHelp(intro?: MdValue): Message {
  const body = joinMd([...(intro ? [intro, ''] : []), ...KEPT_HELP], '\n');
  return message('Kept commands', [section(body), section(COMMIT_HELP.join('\n')), section(TOUCH_HELP.join('\n'))]);
}
