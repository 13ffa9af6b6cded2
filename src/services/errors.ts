/**
 * An error whose message is written for the person who caused it: what was wrong and how to
 * write it instead. The bot shows it as-is (ephemeral); anything else is logged and reported
 * to the user as our failure.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Postgres unique violation, as surfaced by Prisma (P2002) or the pg driver (23505). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string }; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return (
    e?.code === 'P2002' ||
    e?.code === '23505' ||
    e?.cause?.code === '23505' ||
    e?.meta?.driverAdapterError?.cause?.originalCode === '23505'
  );
}

/**
 * Runs an upsert again when it lost a race: Prisma's upsert reads, then inserts, so two first
 * requests from the same team or person at once can both try to create the row. The second try
 * finds it. Not for use inside a transaction (the violation has aborted it).
 */
export async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return upsert();
  }
}
