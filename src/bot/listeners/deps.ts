import type { BotDeps } from '../app.js';
import type { Directory } from '../people.js';

export interface ListenerDeps extends BotDeps {
  directory: Directory;
}
