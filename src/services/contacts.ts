// Key contacts at a customer account, and which of them a touch names.
import type { DbOrTx } from '../db/client.js';
import type { Contact, ContactRole } from '../../generated/prisma/client.js';
import { UserError, isUniqueViolation } from './errors.js';
import { normalizeName } from './match.js';

export const CONTACT_ROLES: Record<string, ContactRole> = {
  'decision-maker': 'decision_maker',
  'decision_maker': 'decision_maker',
  dm: 'decision_maker',
  champion: 'champion',
  coach: 'champion',
  influencer: 'influencer',
  'executive-sponsor': 'executive_sponsor',
  'executive_sponsor': 'executive_sponsor',
  sponsor: 'executive_sponsor',
  user: 'user',
};

export const ROLE_LABEL: Record<ContactRole, string> = {
  decision_maker: 'decision maker',
  champion: 'champion',
  influencer: 'influencer',
  executive_sponsor: 'executive sponsor',
  user: 'user',
};

export const CONTACT_NAME_MAX = 80;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function addContact(
  db: DbOrTx,
  input: { workspaceId: string; accountId: string; name: string; role?: ContactRole | null; title?: string | null; email?: string | null },
): Promise<Contact> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) throw new UserError('The contact needs a name.');
  if (name.length > CONTACT_NAME_MAX) throw new UserError(`A contact name can be at most ${CONTACT_NAME_MAX} characters.`);
  if (input.email && !EMAIL_PATTERN.test(input.email)) throw new UserError(`“${input.email}” does not look like an email address.`);
  try {
    return await db.contact.create({
      data: {
        workspaceId: input.workspaceId,
        accountId: input.accountId,
        name,
        normalizedName: normalizeName(name),
        role: input.role ?? null,
        title: input.title?.trim() || null,
        email: input.email ?? null,
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new UserError(`*${name}* is already a contact of this account.`);
    throw err;
  }
}

/**
 * Matches free-text names to the account's contacts: the full name, or a first name that only
 * one contact has ("Dana" finds "Dana Smith"). The rest are returned as unknown.
 */
export function matchContacts(contacts: Contact[], names: string[]): { matched: Contact[]; unknown: string[] } {
  const matched = new Map<string, Contact>();
  const unknown: string[] = [];
  for (const name of names) {
    const n = normalizeName(name);
    const exact = contacts.find((c) => c.normalizedName === n);
    const byFirst = contacts.filter((c) => c.normalizedName.split(' ')[0] === n);
    const hit = exact ?? (byFirst.length === 1 ? byFirst[0] : undefined);
    if (hit) matched.set(hit.id, hit);
    else unknown.push(name);
  }
  return { matched: [...matched.values()], unknown };
}

export interface ContactWithLastTouch extends Contact {
  lastTouchedAt: Date | null;
}

/** The account's contacts with when each was last in a counted touch: one query. */
export async function contactsWithLastTouch(db: DbOrTx, accountId: string): Promise<ContactWithLastTouch[]> {
  const [contacts, last] = await Promise.all([
    db.contact.findMany({ where: { accountId }, orderBy: [{ role: 'asc' }, { name: 'asc' }] }),
    db.$queryRaw<{ contact_id: string; at: Date }[]>`
      SELECT tc.contact_id, max(t.occurred_at) AS at
      FROM touch_contacts tc JOIN touches t ON t.id = tc.touch_id
      WHERE t.account_id = ${accountId}::uuid AND t.kind <> 'note'
      GROUP BY tc.contact_id`,
  ]);
  const at = new Map(last.map((r) => [r.contact_id, r.at]));
  return contacts.map((c) => ({ ...c, lastTouchedAt: at.get(c.id) ?? null }));
}
