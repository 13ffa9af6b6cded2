// app_uninstalled and tokens_revoked: Kept's token in that workspace no longer works. The token is
// deleted at once, what was waiting to be sent there is skipped with the reason, its digests'
// schedulers are removed, and Kept answers nothing more there (Bolt finds no install to authorize).
// The data stays for KEPT_RETENTION_DAYS in case of a reinstall.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { removeDigestScheduler } from '../../../jobs/digest.job.js';
import { deactivateWorkspace } from '../../../services/installations.js';
import type { ListenerDeps } from '../deps.js';

type Args = AllMiddlewareArgs & { body: { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean } };

async function tokenGone(deps: ListenerDeps, args: Args, reason: string): Promise<void> {
  const teamId = args.body.team_id ?? args.context.teamId;
  if (!teamId) return;
  if (args.body.is_enterprise_install && args.body.enterprise_id) {
    // An org-wide install removed: its one row serves every workspace of the organisation.
    await deps.db.installation.deleteMany({ where: { installKey: args.body.enterprise_id, isEnterpriseInstall: true } });
  }
  const gone = await deactivateWorkspace(deps.db, teamId, reason, deps.clock.now());
  if (!gone) return;
  deps.tokens?.forget(gone.workspaceId);
  if (deps.queues) for (const id of gone.digestIds) await removeDigestScheduler(deps.queues, id);
  deps.logger.info(`workspace ${teamId}: ${reason}; ${gone.skipped} pending deliveries skipped, ${gone.digestIds.length} digest schedulers removed`);
}

export function appUninstalled(deps: ListenerDeps) {
  return async (args: SlackEventMiddlewareArgs<'app_uninstalled'> & Args) => tokenGone(deps, args, 'uninstalled');
}

export function tokensRevoked(deps: ListenerDeps) {
  return async (args: SlackEventMiddlewareArgs<'tokens_revoked'> & Args) => {
    // Only the bot token matters: Kept stores no user tokens.
    if (!args.event.tokens.bot?.length) return;
    await tokenGone(deps, args, 'tokens revoked');
  };
}
