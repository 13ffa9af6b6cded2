// The answer to someone who may not do what they tried: who may, by name, and that nothing changed.
import { ROLE_WORDS, type Refusal, type Subject } from '../services/permissions.js';
import { type MdValue, type Message, type Mrkdwn, channel, joinMd, md, mention, note } from './format.js';

const MAX_ADMINS_NAMED = 5;

function what(s: Subject): Mrkdwn | string {
  switch (s.kind) {
    case 'commitment':
      return md`change *${s.reference}*`;
    case 'account':
      return md`change *${s.name}*`;
    case 'linkTo':
      return md`link ${channel(s.channelId)} to *${s.account}*`;
    case 'moveFrom':
      return md`move ${channel(s.channelId)} away from *${s.account}*`;
    case 'digest':
      return md`change the weekly digest of ${channel(s.channelId)}`;
    case 'settings':
      return 'change Kept’s settings';
    case 'admins':
      return 'name Kept’s admins';
    case 'import':
      return 'import data into Kept';
    case 'exportAll':
      return 'export the whole workspace';
  }
}

/** "a, b or c" */
function orList(items: MdValue[]): Mrkdwn {
  if (items.length <= 1) return joinMd(items);
  return md`${joinMd(items.slice(0, -1), ', ')} or ${items[items.length - 1]!}`;
}

export function refusalMessage(r: Refusal): Message {
  const people = r.holders.map((h) => md`${mention(h.slackUserId)} (${h.roles.map((x) => ROLE_WORDS[x]).join(', ')})`);
  let admins: Mrkdwn;
  if (r.keptAdmins.length) {
    const named = r.keptAdmins.slice(0, MAX_ADMINS_NAMED).map(mention);
    const more = r.keptAdmins.length > MAX_ADMINS_NAMED ? ` and ${r.keptAdmins.length - MAX_ADMINS_NAMED} more` : '';
    admins = md`a Kept admin (${joinMd(named, ', ')}${more})${r.slackAdminsToo ? ' or a Slack workspace admin' : ''}`;
  } else {
    admins = md`a Slack workspace admin or owner (Kept has no admins of its own yet)`;
  }
  const unverified = r.unverified ? ' I could not check your Slack admin status just now; try again in a minute.' : '';
  return note(md`:no_entry: Only ${orList([...people, admins])} can ${what(r.subject)}. Nothing was changed.${unverified}`);
}
