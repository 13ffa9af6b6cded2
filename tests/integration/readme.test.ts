// The README's promises hold: every command line of its "Using it" block is sent, in order, through
// the real receiver (signed requests, the fake Slack Web API), as a workspace admin in an account
// channel, and none may end in an error answer (issue 14).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startKept, type Kept } from '../helpers/kept.js';
import { DEFAULTS } from '../helpers/slack-requests.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The command lines of the "Using it" block, without their (comments). */
export function usingItLines(readme: string): string[] {
  const block = /## Using it\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no "Using it" block');
  return block
    .split('\n')
    .map((l) => l.replace(/\s{2,}\(.*\)\s*$/, '').trim())
    .filter(Boolean);
}

const USER = 'U0ANA';
const PEOPLE = ['maria', 'li', 'sam'];
/** What Slack sends for "@maria" in a command's text (should_escape). */
const escapeMentions = (text: string) => text.replace(/(^|\s)@([a-z]+)/g, (_, pre: string, n: string) => `${pre}<@U0${n.toUpperCase()}|${n}>`);

let kept: Kept;
beforeAll(async () => {
  // Wednesday 2 December 2026, 14:00 in London.
  kept = await startKept({ now: '2026-12-02T14:00:00Z' });
  // A Slack workspace admin: with no Kept admins named yet, the settings lines are hers to change.
  kept.slack.setUser(USER, { name: 'ana', tz: 'Europe/London', isAdmin: true });
  for (const n of PEOPLE) kept.slack.setUser(`U0${n.toUpperCase()}`, { name: n, tz: 'Europe/London' });
});
afterAll(() => kept?.close());

describe('README “Using it”', () => {
  const lines = usingItLines(README);

  it('shows every command the README documents as a runnable line', () => {
    expect(lines.length).toBeGreaterThan(20);
    for (const l of lines) expect(l).toMatch(/^\/(commit|touch|kept)\b/);
    // The multi-field set and the quick add with a new name are there as the issue quotes them.
    expect(lines).toContain('/kept account set Acme owner @maria | cadence 14 | tier strategic | renewal 2027-03-31 | alias Acme Corp');
    expect(lines).toContain('/touch call with Bill: migration worries :-1:');
  });

  it('runs every line without an error answer', async () => {
    const answered: string[] = [];
    for (const [i, line] of lines.entries()) {
      const [command = '', ...rest] = line.split(' ');
      // `link` links another channel to the account; everything else happens in Acme's channel.
      const channel = /^\/kept account link\b/.test(line) ? 'C0ACME2' : 'C0ACME';
      const before = kept.errors.length;
      const res = await kept.command({ command, text: escapeMentions(rest.join(' ')), channel_id: channel, user_id: USER, response_url: kept.slack.responseUrl(`line-${i}`) });
      expect(res.status, line).toBe(200);
      // The work after the acknowledgement has ended.
      await eventually(() => kept.bot.fairUse.pending(DEFAULTS.teamId, USER) === 0, 20_000);
      const errors = kept.errors.slice(before).map((e) => e.message);
      expect({ line, errors }).toEqual({ line, errors: [] });
      answered.push(line);
    }
    expect(answered).toEqual(lines);

    // And they did what the README says.
    const acme = await kept.db.account.findFirstOrThrow({ where: { name: 'Acme' }, include: { owner: true, channels: true } });
    expect(acme).toMatchObject({ cadenceDays: 14, tier: 'strategic', aliases: ['acme corp'] });
    expect(acme.owner?.slackUserId).toBe('U0MARIA');
    expect(acme.channels.map((c) => c.channelId).sort()).toEqual(['C0ACME', 'C0ACME2']);
    const commitments = await kept.db.commitment.findMany({ orderBy: { number: 'asc' } });
    expect(commitments.map((c) => [c.number, c.direction, c.status])).toEqual([
      [1, 'ours', 'done'],
      [2, 'ours', 'open'],
      [3, 'theirs', 'open'],
    ]);
    const touches = await kept.db.touch.findMany({ orderBy: { createdAt: 'asc' } });
    expect(touches.map((t) => t.kind)).toEqual(['call', 'meeting', 'call', 'note']);
    expect(touches[2]!.participants).toEqual(['Bill']);
    // "/commit" and "/kept import" open their forms.
    expect(kept.slack.callsTo('views.open').map((v) => v.view.callback_id).sort()).toEqual(['commit_modal', 'import_modal']);
    expect(kept.slack.uploads.length).toBe(1);
  }, 120_000);
});
