// Every Slack identifier Kept registers, in one place. tests/unit/manifest.test.ts checks manifest.json against it.

export const COMMANDS = {
  commit: '/commit',
  touch: '/touch',
  kept: '/kept',
} as const;

export const ACTIONS = {
  commitmentDone: 'commitment_done',
  openCommitModal: 'open_commit_modal',
  accountSelect: 'account_select',
  timelineOlder: 'timeline_older',
  // On prompts (stable: old messages keep working after a deploy).
  logTouch: 'log_touch',
  snoozeCadence: 'snooze_cadence',
  commitmentOnTrack: 'commitment_on_track',
  commitmentMoreTime: 'commitment_more_time',
  commitmentSnooze: 'commitment_snooze',
  commitmentReschedule: 'commitment_reschedule',
  commitmentReassign: 'commitment_reassign',
  commitmentDrop: 'commitment_drop',
  remindCustomer: 'remind_customer',
  // App Home.
  homeShowMore: 'home_show_more',
  homeLogTouch: 'home_log_touch',
  // On a touch confirmation: a named participant who is not a key contact yet.
  addTouchContact: 'add_touch_contact',
} as const;

/** Shortcuts (manifest.json `features.shortcuts`): on a message, and from Slack's shortcut menu. */
export const SHORTCUTS = {
  trackMessage: 'track_message',
  logMessageTouch: 'log_message_touch',
  newCommitment: 'new_commitment',
  logTouch: 'log_touch_global',
} as const;

export const EVENTS = {
  appHomeOpened: 'app_home_opened',
  appUninstalled: 'app_uninstalled',
  tokensRevoked: 'tokens_revoked',
} as const;

export const VIEWS = {
  commitModal: 'commit_modal',
  touchModal: 'touch_modal',
  moreTimeModal: 'more_time_modal',
  reassignModal: 'reassign_modal',
  dropModal: 'drop_modal',
  importModal: 'import_modal',
  addContactModal: 'add_contact_modal',
} as const;

/** Block ids inside the /commit modal; they are also the keys of `response_action: errors`. */
export const COMMIT_BLOCKS = {
  account: 'account',
  newAccount: 'new_account',
  title: 'title',
  owner: 'owner',
  dueDate: 'due_date',
  dueTime: 'due_time',
  direction: 'direction',
  notes: 'notes',
} as const;

/** Block ids inside the /touch modal. */
export const TOUCH_BLOCKS = {
  account: 'account',
  kind: 'kind',
  date: 'when_date',
  time: 'when_time',
  contacts: 'contacts',
  others: 'others',
  newContacts: 'new_contacts',
  colleagues: 'colleagues',
  summary: 'summary',
  sentiment: 'sentiment',
} as const;

/** Block ids inside the /kept import form (each input's action id is the same). */
export const IMPORT_BLOCKS = {
  kind: 'import_kind',
  file: 'import_file',
  checkOnly: 'import_check_only',
} as const;

/** Block ids inside the "Add a key contact" form (each input's action id is `value`). */
export const CONTACT_BLOCKS = {
  name: 'contact_name',
  role: 'contact_role',
  title: 'contact_title',
} as const;
