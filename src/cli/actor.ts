import { userInfo } from 'node:os';

/** Who acts from the CLI: `cli:<os user>`, recorded on the runs it starts, approves or rejects. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}
