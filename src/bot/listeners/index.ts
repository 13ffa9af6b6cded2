// Where every Slack interaction lands. One handler per file, registered here by type.
import type { App } from '@slack/bolt';
import type { BotDeps } from '../app.js';
import { ACTIONS, COMMANDS, VIEWS } from '../ids.js';
import { Directory } from '../people.js';
import { commitmentDone } from './actions/commitment-done.js';
import { openCommitModalAction } from './actions/open-commit-modal.js';
import { commitCommand } from './commands/commit.js';
import { keptCommand } from './commands/kept.js';
import type { ListenerDeps } from './deps.js';
import { accountOptions } from './options/account-select.js';
import { commitModalSubmit } from './views/commit-modal.js';

export function registerListeners(app: App, deps: BotDeps): ListenerDeps {
  const d: ListenerDeps = { ...deps, directory: new Directory(deps.db, deps.clock, app.client) };
  app.command(COMMANDS.commit, commitCommand(d));
  app.command(COMMANDS.kept, keptCommand(d));
  app.action(ACTIONS.commitmentDone, commitmentDone(d));
  app.action(ACTIONS.openCommitModal, openCommitModalAction(d));
  app.options(ACTIONS.accountSelect, accountOptions(d));
  app.view(VIEWS.commitModal, commitModalSubmit(d));
  return d;
}
