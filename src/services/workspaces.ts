import type { DbOrTx } from '../db/client.js';
import type { Workspace } from '../generated/prisma/client.js';

/** The workspace row for a Slack team, created on first contact. */
export async function ensureWorkspace(db: DbOrTx, slackTeamId: string, name?: string): Promise<Workspace> {
  return db.workspace.upsert({
    where: { slackTeamId },
    create: { slackTeamId, name: name ?? null },
    update: name ? { name } : {},
  });
}
