// Where every Slack interaction lands. One handler per file, registered here by type.
import type { App } from '@slack/bolt';
import type { BotDeps } from '../app.js';
import { ACTIONS, COMMANDS, EVENTS, VIEWS } from '../../messages/ids.js';
import { Directory } from '../people.js';
import { doneAction, dropAction, moreTimeAction, onTrackAction, reassignAction, remindCustomerAction, rescheduleAction, snoozeAction } from './actions/commitment-buttons.js';
import { openCommitModalAction } from './actions/open-commit-modal.js';
import { logTouchAction, snoozeCadenceAction } from './actions/prompt-buttons.js';
import { homeLogTouch, homeShowMore } from './actions/home-buttons.js';
import { timelineOlder } from './actions/timeline-older.js';
import { appHomeOpened } from './events/app-home-opened.js';
import { commitCommand } from './commands/commit.js';
import { keptCommand } from './commands/kept/index.js';
import { touchCommand } from './commands/touch.js';
import type { ListenerDeps } from './deps.js';
import { accountOptions } from './options/account-select.js';
import { commitModalSubmit } from './views/commit-modal.js';
import { dropSubmit, reassignSubmit } from './views/commitment-modals.js';
import { rescheduleSubmit } from './views/reschedule-modal.js';
import { touchModalSubmit } from './views/touch-modal.js';

export function registerListeners(app: App, deps: BotDeps): ListenerDeps {
  const d: ListenerDeps = { ...deps, directory: new Directory(deps.db, deps.clock, app.client) };
  app.command(COMMANDS.commit, commitCommand(d));
  app.command(COMMANDS.touch, touchCommand(d));
  app.command(COMMANDS.kept, keptCommand(d));
  app.action(ACTIONS.commitmentDone, doneAction(d));
  app.action(ACTIONS.commitmentSnooze, snoozeAction(d));
  app.action(ACTIONS.commitmentReschedule, rescheduleAction(d));
  app.action(ACTIONS.commitmentReassign, reassignAction(d));
  app.action(ACTIONS.commitmentDrop, dropAction(d));
  app.action(ACTIONS.remindCustomer, remindCustomerAction(d));
  app.action(ACTIONS.openCommitModal, openCommitModalAction(d));
  app.action(ACTIONS.timelineOlder, timelineOlder(d));
  app.action(ACTIONS.logTouch, logTouchAction(d));
  app.action(ACTIONS.snoozeCadence, snoozeCadenceAction(d));
  app.action(ACTIONS.commitmentOnTrack, onTrackAction(d));
  app.action(ACTIONS.commitmentMoreTime, moreTimeAction(d));
  app.action(ACTIONS.homeShowMore, homeShowMore(d));
  app.action(ACTIONS.homeLogTouch, homeLogTouch(d));
  app.event(EVENTS.appHomeOpened, appHomeOpened(d));
  app.options(ACTIONS.accountSelect, accountOptions(d));
  app.view(VIEWS.commitModal, commitModalSubmit(d));
  app.view(VIEWS.touchModal, touchModalSubmit(d));
  app.view(VIEWS.moreTimeModal, rescheduleSubmit(d));
  app.view(VIEWS.reassignModal, reassignSubmit(d));
  app.view(VIEWS.dropModal, dropSubmit(d));
  return d;
}
