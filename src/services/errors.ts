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
