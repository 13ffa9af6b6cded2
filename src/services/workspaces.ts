import type { Db, DbOrTx } from '../db/client.js';
import type { Workspace } from '../../generated/prisma/client.js';
import { refreshCadence } from './cadence.js';
import { inTransaction, recordAudit, type ChangedBy } from './audit.js';
import { upsertRacing } from './errors.js';
import { readSettings, settingsDiff, workspaceSettingsSchema, type WorkspaceSettings } from './settings.js';

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

/**
 * Changes workspace settings (whoever may: services/permissions.ts) and records what changed in
 * the audit trail, in one transaction; the row lock keeps two changes at once from losing one.
 * Cadence defaults changing moves every account's cadence moments.
 */
export async function updateSettings(db: DbOrTx, workspaceId: string, patch: Partial<WorkspaceSettings>, by?: ChangedBy): Promise<WorkspaceSettings> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx.$queryRaw<{ settings: unknown }[]>`SELECT settings FROM workspaces WHERE id = ${workspaceId}::uuid FOR UPDATE`;
    if (!row) throw new Error(`no workspace ${workspaceId}`);
    const before = readSettings(row.settings);
    const next = workspaceSettingsSchema.parse({ ...before, ...patch });
    const diff = settingsDiff(before, next);
    if (Object.keys(diff.after).length === 0) return next;
    await tx.workspace.update({ where: { id: workspaceId }, data: { settings: next } });
    await recordAudit(tx, { workspaceId, kind: patch.adminSlackIds ? 'admins_changed' : 'settings_changed', ...diff }, by);
    // Working hours move the cadence moments too: due at their end, warned at their start.
    if (patch.tierCadenceDays || patch.cadenceWarningFraction !== undefined || patch.workingHours) await refreshCadence(tx, { workspaceId });
    return next;
  });
}
