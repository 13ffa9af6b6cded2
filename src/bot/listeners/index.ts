// Where every Slack interaction lands. One handler per file, registered here by type.
import type { App } from '@slack/bolt';
import type { BotDeps } from '../app.js';
import { ACTIONS, COMMANDS, VIEWS } from '../ids.js';
import { Directory } from '../people.js';
import { commitmentDone } from './actions/commitment-done.js';
import { openCommitModalAction } from './actions/open-commit-modal.js';
import { logTouchAction, moreTimeAction, onTrackAction, snoozeCadenceAction } from './actions/prompt-buttons.js';
import { timelineOlder } from './actions/timeline-older.js';
import { commitCommand } from './commands/commit.js';
import { keptCommand } from './commands/kept.js';
import { touchCommand } from './commands/touch.js';
import type { ListenerDeps } from './deps.js';
import { accountOptions } from './options/account-select.js';
import { commitModalSubmit } from './views/commit-modal.js';
import { rescheduleSubmit } from './views/reschedule-modal.js';
import { touchModalSubmit } from './views/touch-modal.js';

export function registerListeners(app: App, deps: BotDeps): ListenerDeps {
  const d: ListenerDeps = { ...deps, directory: new Directory(deps.db, deps.clock, app.client) };
  app.command(COMMANDS.commit, commitCommand(d));
  app.command(COMMANDS.touch, touchCommand(d));
  app.command(COMMANDS.kept, keptCommand(d));
  app.action(ACTIONS.commitmentDone, commitmentDone(d));
  app.action(ACTIONS.openCommitModal, openCommitModalAction(d));
  app.action(ACTIONS.timelineOlder, timelineOlder(d));
  app.action(ACTIONS.logTouch, logTouchAction(d));
  app.action(ACTIONS.snoozeCadence, snoozeCadenceAction(d));
  app.action(ACTIONS.commitmentOnTrack, onTrackAction(d));
  app.action(ACTIONS.commitmentMoreTime, moreTimeAction(d));
  app.options(ACTIONS.accountSelect, accountOptions(d));
  app.view(VIEWS.commitModal, commitModalSubmit(d));
  app.view(VIEWS.touchModal, touchModalSubmit(d));
  app.view(VIEWS.moreTimeModal, rescheduleSubmit(d));
  return d;
}
