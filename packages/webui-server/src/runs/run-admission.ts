/**
 * Lets runs start one per turn of the event loop, in the order they were
 * asked for. Starting a run is a stretch of synchronous work and the
 * microtasks it sets off (the user's message checkpointed, the first events
 * stored and fanned out, the model request set up: a few milliseconds).
 * Fifty `POST /runs` read in one poll of the loop would otherwise start in
 * one uninterrupted stretch, and no event-stream frame is written to any
 * watcher until it ends: the SSE bench measured 200–300 ms of event-loop
 * delay when 50 runs started together, and 50–65 ms with one start per turn.
 * Between two starts the loop polls I/O, so streams keep flowing while a
 * burst of runs is admitted.
 */
export class RunAdmission {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves on the caller's turn: after the turn before it, in a later turn of the event loop. */
  turn(): Promise<void> {
    const turn = this.#tail.then(nextLoopTurn);
    this.#tail = turn;
    return turn;
  }
}

// setImmediate, not a microtask: its callback runs only after the loop has polled I/O.
const nextLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
