// `npm run kept -- rotate-key` and `npm run kept -- purge --workspace T…`: the stored tokens moved
// to a new encryption key, and a workspace's data deleted at once.
import { parseArgs } from 'node:util';
import { configKeyring, type Config } from '../config.js';
import type { Db } from '../db/client.js';
import { purgeWorkspace, rotateKey } from '../services/installations.js';

export const INSTALLS_USAGE = `  npm run kept -- rotate-key                   re-encrypt every stored token under KEPT_ENCRYPTION_KEY (the old key in KEPT_ENCRYPTION_KEY_OLD)
  npm run kept -- purge --workspace T0123      delete a workspace's data and token now`;

export async function rotateKeyCommand(db: Db, config: Config): Promise<number> {
  const ring = configKeyring(config);
  if (!ring) {
    console.error('rotate-key needs KEPT_ENCRYPTION_KEY (the new key) and KEPT_ENCRYPTION_KEY_OLD (the key the tokens are stored under now).');
    return 2;
  }
  const { rotated, unreadable } = await rotateKey(db, ring);
  console.log(`Re-encrypted ${rotated} token${rotated === 1 ? '' : 's'} under the current key.`);
  if (unreadable.length) {
    console.error(`${unreadable.length} token(s) are under a key that is neither KEPT_ENCRYPTION_KEY nor KEPT_ENCRYPTION_KEY_OLD (${unreadable.join(', ')}); set the key they were stored under as KEPT_ENCRYPTION_KEY_OLD and run again.`);
    return 1;
  }
  return 0;
}

export async function purgeCommand(args: string[], db: Db): Promise<number> {
  const { values } = parseArgs({ args, options: { workspace: { type: 'string' } } });
  if (!values.workspace || !/^T[A-Z0-9]+$/.test(values.workspace)) {
    console.error(`purge needs --workspace and the Slack team id (T…).\nUsage:\n${INSTALLS_USAGE}`);
    return 2;
  }
  const found = await purgeWorkspace(db, values.workspace);
  console.log(found ? `Deleted everything Kept kept for ${values.workspace}.` : `Kept has no data for ${values.workspace}; its token, if any, is deleted.`);
  return 0;
}
