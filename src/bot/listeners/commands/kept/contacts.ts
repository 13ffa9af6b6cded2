// /kept contact add|list: an account's key contacts, with their roles. Adding is open to every
// member, like logging a touch (which can add contacts too): it adds, never changes or removes.
import type { ContactRole } from '../../../../../generated/prisma/client.js';
import { requireAccount } from '../../../../services/accounts.js';
import { UserError } from '../../../../services/errors.js';
import { contactPolicy } from '../../../../services/permissions.js';
import { addContact, CONTACT_ROLES, contactsWithLastTouch, ROLE_LABEL } from '../../../../services/contacts.js';
import { contactList } from '../../../../messages/account.js';
import { md, note, type Message } from '../../../../messages/format.js';
import type { Actor } from '../../../people.js';
import type { ListenerDeps } from '../../deps.js';

export async function contactCommand(deps: ListenerDeps, actor: Actor, verb: string, rest: string): Promise<Message> {
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
  await deps.directory.authorize(actor, contactPolicy(account));
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
  return note(md`Added *${contact.name}*${details ? ` (${details})` : ''} as a key contact of *${account.name}*.`);
}
