import type { Db, DbOrTx } from '../db/client.js';
import type { Workspace } from '../../generated/prisma/client.js';
import { refreshCadence } from './cadence.js';
import { upsertRacing } from './errors.js';
import { readSettings, workspaceSettingsSchema, type WorkspaceSettings } from './settings.js';

/** The workspace row for a Slack team, created on first contact. */
export async function ensureWorkspace(db: Db, slackTeamId: string, name?: string): Promise<Workspace> {
  return upsertRacing(() =>
    db.workspace.upsert({
      where: { slackTeamId },
      create: { slackTeamId, name: name ?? null },
      update: name ? { name } : {},
    }),
  );
}

/** Changes workspace settings; cadence defaults changing moves every account's cadence moments. */
export async function updateSettings(db: DbOrTx, workspaceId: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
  const ws = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  const next = workspaceSettingsSchema.parse({ ...readSettings(ws.settings), ...patch });
  await db.workspace.update({ where: { id: workspaceId }, data: { settings: next } });
  if (patch.tierCadenceDays || patch.cadenceWarningFraction !== undefined) await refreshCadence(db, { workspaceId });
  return next;
}
