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
  /** The warning window before a cadence is due, as a fraction of the interval (at least one working day). */
  cadenceWarningFraction: z.number().min(0).max(0.9).default(0.2),
  /** Which prompts the workers send. */
  prompts: z
    .object({
      cadenceDueSoon: z.boolean().default(true),
      cadenceOverdue: z.boolean().default(true),
      goingDark: z.boolean().default(true),
      commitmentDueSoon: z.boolean().default(true),
      commitmentOverdue: z.boolean().default(true),
      customerFollowUp: z.boolean().default(true),
      negativeTouch: z.boolean().default(true),
      renewal: z.boolean().default(true),
    })
    .default({
      cadenceDueSoon: true,
      cadenceOverdue: true,
      goingDark: true,
      commitmentDueSoon: true,
      commitmentOverdue: true,
      customerFollowUp: true,
      negativeTouch: true,
      renewal: true,
    }),
  /** Direct messages go out only within working hours, Mon–Fri, in each recipient's own zone. */
  workingHours: z
    .object({ start: z.string().regex(/^\d{2}:\d{2}$/), end: z.string().regex(/^\d{2}:\d{2}$/) })
    .default({ start: '09:00', end: '18:00' }),
  /** Slack user ids allowed to act on any commitment, besides Slack admins and owners. */
  adminSlackIds: z.array(z.string()).default([]),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export function readSettings(raw: unknown): WorkspaceSettings {
  const parsed = workspaceSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : workspaceSettingsSchema.parse({});
}

export type PromptName = keyof WorkspaceSettings['prompts'];

type Leaf = string | number | boolean | string[] | null;

/** Settings as dotted paths to their values ("prompts.renewal" → true); lists stay whole. */
function leaves(value: unknown, prefix = ''): Record<string, Leaf> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.assign({}, ...Object.entries(value).map(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k)));
  }
  return { [prefix]: value as Leaf };
}

/** What changed between two settings documents, path by path: the audit trail's before and after. */
export function settingsDiff(before: WorkspaceSettings, after: WorkspaceSettings): { before: Record<string, Leaf>; after: Record<string, Leaf> } {
  const a = leaves(before);
  const b = leaves(after);
  const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  return { before: Object.fromEntries(changed.map((k) => [k, a[k] ?? null])), after: Object.fromEntries(changed.map((k) => [k, b[k] ?? null])) };
}
