/** The Redis keys of the events role, under the deployment's prefix (one Cluster slot). */
export class EventKeys {
  constructor(readonly prefix: string) {}

  /** The lease that lets one process hold the app's Stream connection. */
  lease(appKey: string): string {
    return `${this.prefix}:events:lease:${appKey}`;
  }

  /** Epoch ms when a connection of the app was last known open, by whichever process held it. */
  lastOpen(appKey: string): string {
    return `${this.prefix}:events:open-at:${appKey}`;
  }
}
