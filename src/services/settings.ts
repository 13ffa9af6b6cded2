// Per-workspace settings live in workspaces.settings (JSON) and are read through this schema,
// so a missing or older document always yields complete defaults.
import { z } from 'zod';

export const TIERS = ['strategic', 'key', 'standard'] as const;
export type TierName = (typeof TIERS)[number];

export const workspaceSettingsSchema = z.object({
  /** Default contact cadence in days, by tier. */
  tierCadenceDays: z
    .object({ strategic: z.number().int().positive(), key: z.number().int().positive(), standard: z.number().int().positive() })
    .default({ strategic: 7, key: 14, standard: 30 }),
  /** Slack user ids allowed to act on any commitment, besides Slack admins and owners. */
  adminSlackIds: z.array(z.string()).default([]),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export function readSettings(raw: unknown): WorkspaceSettings {
  const parsed = workspaceSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : workspaceSettingsSchema.parse({});
}
