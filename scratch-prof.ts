import { createTestDatabase } from './tests/helpers/db.js';
import { runImport } from './src/services/import/index.js';
import { FixedClock } from './src/clock.js';
const lines = ['Account ID,Account Name,Owner,Segment,Renewal Date,Slack Channel'];
for (let i = 0; i < 10000; i++) lines.push(`001${i},"Customer ${i}, Inc.",U00${i % 50},Enterprise,2027-01-15,C${String(i).padStart(8, '0')}`);
const con = ['Account Name,First Name,Last Name,Contact Role,Email,Title'];
for (let i = 0; i < 10000; i++) for (let j = 0; j < 3; j++) con.push(`"Customer ${i}, Inc.",Person${j},Family${i},Champion,p${j}.f${i}@c${i}.com,"VP, Area ${j}"`);
const d = await createTestDatabase();
const ws = (await d.db.workspace.create({ data: { slackTeamId: 'T1' } })).id;
const clock = new FixedClock('2026-11-23T14:00:00Z');
for (const [kind, text] of [['accounts', lines], ['contacts', con]] as const) {
  for (const dryRun of [true, false]) {
    const t = performance.now();
    const r = await runImport(d.db, clock, { workspaceId: ws, kind, fileName: 'a.csv', bytes: Buffer.from(text.join('\n')), dryRun, actor: null, via: 'cli', slack: null });
    console.log(kind, dryRun ? 'dry' : 'real', Math.round(performance.now() - t), r!.created.length, r!.problems.length);
  }
}
await d.drop();
