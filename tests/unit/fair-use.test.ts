import { describe, expect, it } from 'vitest';
import { classify, FAIR_USE_DEFAULTS, FairGate, slowDown } from '../../src/bot/fair-use.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { blockAction, blockSuggestion, slashCommand, viewSubmission } from '../helpers/slack-requests.js';

describe('classify', () => {
  const command = (command: string, text: string) => classify(slashCommand({ command, text }))?.kind;

  it.each([
    ['/commit', 'help'],
    ['/commit', '?'],
    ['/commit', 'list'],
    ['/commit', 'LIST overdue'],
    ['/touch', 'help'],
    ['/touch', 'list acme'],
    ['/touch', 'timeline acme'],
    ['/kept', ''],
    ['/kept', 'help'],
    ['/kept', 'account Acme'],
    ['/kept', 'account show Acme'],
    ['/kept', 'contact list acme'],
    ['/kept', 'settings'],
  ])('%s %j is a read', (cmd, text) => {
    expect(command(cmd, text)).toBe('read');
  });

  it.each([
    ['/commit', ''],
    ['/commit', 'acme: Send pricing by Friday'],
    ['/commit', 'done C-4'],
    ['/commit', 'listen to Dana by Friday'],
    ['/touch', ''],
    ['/touch', 'acme call with Dana: fine'],
    ['/kept', 'account add Acme'],
    ['/kept', 'account set Acme cadence 14'],
    ['/kept', 'account link Acme'],
    ['/kept', 'contact add acme "Dana"'],
    ['/kept', 'settings admins @me'],
    ['/kept', 'digest weekly'],
  ])('%s %j is a write', (cmd, text) => {
    expect(command(cmd, text)).toBe('write');
  });

  it('tells clicks, paging, forms and the rest apart, and who asks', () => {
    expect(classify(blockAction({ actionId: 'commitment_done', userId: 'U7', teamId: 'T7' }))).toEqual({ kind: 'write', surface: 'action', userId: 'U7', teamId: 'T7' });
    expect(classify(blockAction({ actionId: 'timeline_older' }))?.kind).toBe('read');
    expect(classify(blockAction({ actionId: 'home_show_more' }))?.kind).toBe('read');
    expect(classify(viewSubmission({ callbackId: 'commit_modal', values: {} }))).toMatchObject({ kind: 'write', surface: 'view' });
    expect(classify(blockSuggestion({ actionId: 'account_select', value: 'ac' }))?.kind).toBe('other');
    expect(classify({ type: 'event_callback', team_id: 'T1', event: { type: 'app_home_opened', user: 'U1' } })).toMatchObject({ kind: 'other', userId: 'U1', teamId: 'T1' });
  });

  it('passes over bodies that name nobody, whatever their shape', () => {
    for (const body of [null, undefined, 42, 'x', [], {}, { type: 'block_actions', user: null }, { command: '/commit', user_id: 5, team_id: 'T1' }]) {
      expect(classify(body)).toBeNull();
    }
  });
});

describe('slowDown', () => {
  it('names the limit, says nothing was saved and when to try again', () => {
    expect(slowDown({ limit: 'person', retryInMs: 41_200 }, FAIR_USE_DEFAULTS)).toBe(
      'Slow down: that is more than 30 changes from you in a minute, the most Kept takes from one person. Nothing from this one was saved; try again in 42 seconds.',
    );
    expect(slowDown({ limit: 'workspace', retryInMs: 900 }, FAIR_USE_DEFAULTS)).toMatch(/more than 300 changes in the last minute.*try again in 1 second\.$/);
    expect(slowDown({ limit: 'person', retryInMs: 3_000 }, FAIR_USE_DEFAULTS, true)).toMatch(/Nothing was saved yet: submit the form again in 3 seconds\.$/);
  });
});

describe('FairGate', () => {
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most the limit at once, and at most the per-person share of it for one person', async () => {
    const gate = new FairGate(2, 1);
    const started: string[] = [];
    const ends = new Map<string, () => void>();
    const enter = (key: string, name: string) => void gate.enter(key).then((end) => (started.push(name), ends.set(name, end)));
    ['a1', 'a2', 'a3', 'a4'].forEach((n) => enter('A', n));
    enter('B', 'b1');
    enter('C', 'c1');
    await flush();
    // A's burst gets one slot; B takes the other; C waits for the first free one, not behind A's queue.
    expect(started).toEqual(['a1', 'b1']);
    expect(gate.count('A')).toBe(4);
    ends.get('b1')!();
    await flush();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    ends.get('a1')!();
    await flush();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    ends.get('c1')!();
    ends.get('a2')!();
    await flush();
    ends.get('a3')!();
    await flush();
    ends.get('a4')!();
    await flush();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
    expect(gate.count('A')).toBe(0);
    expect(gate.count('B')).toBe(0);
  });
});

describe('FairGate, writes of one workspace', () => {
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most the workspace share of writes at once, without holding back reads or other workspaces', async () => {
    const gate = new FairGate(4, 1, 1);
    const started: string[] = [];
    const ends = new Map<string, () => void>();
    const enter = (key: string, name: string, group?: string) => void gate.enter(key, group).then((end) => (started.push(name), ends.set(name, end)));
    enter('T:A', 'a1', 'T');
    enter('T:A', 'a2', 'T');
    enter('T:B', 'b1', 'T');
    enter('T:C', 'c-read');
    enter('U:D', 'd1', 'U');
    await flush();
    expect([...started].sort()).toEqual(['a1', 'c-read', 'd1']);
    ends.get('a1')!();
    await flush();
    // B was waiting for the workspace before A's second write could ask for it.
    expect(started).toHaveLength(4);
    expect(started.at(-1)).toBe('b1');
    ends.get('b1')!();
    await flush();
    expect(started.at(-1)).toBe('a2');
  });
});

describe('fair-use settings', () => {
  it('default to 30 changes a minute per person and 300 per workspace', () => {
    const c = loadConfig({});
    expect(c.KEPT_PERSON_WRITES_PER_MINUTE).toBe(30);
    expect(c.KEPT_WORKSPACE_WRITES_PER_MINUTE).toBe(300);
    expect(loadConfig({ KEPT_PERSON_WRITES_PER_MINUTE: '12' }).KEPT_PERSON_WRITES_PER_MINUTE).toBe(12);
  });

  it.each(['0', 'many', '2.5'])('refuse %j, naming the variable', (v) => {
    expect(() => loadConfig({ KEPT_WORKSPACE_WRITES_PER_MINUTE: v })).toThrow(ConfigError);
    expect(() => loadConfig({ KEPT_WORKSPACE_WRITES_PER_MINUTE: v })).toThrow(/KEPT_WORKSPACE_WRITES_PER_MINUTE must be/);
  });
});
