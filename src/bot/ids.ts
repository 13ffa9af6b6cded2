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
} as const;

export const VIEWS = {
  commitModal: 'commit_modal',
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
