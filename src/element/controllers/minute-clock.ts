import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its host once a minute while connected (for "link expires in …"). */
export class MinuteClock implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #isNeeded: () => boolean;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, isNeeded: () => boolean) {
    this.#host = host;
    this.#isNeeded = isNeeded;
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = setInterval(() => {
      if (this.#isNeeded()) this.#host.requestUpdate();
    }, 60_000);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }
}
