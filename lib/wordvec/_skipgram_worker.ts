/**
 * A Hogwild skip-gram worker (see skipgram.ts): trains its sequence range for all epochs on the
 * shared vectors, then posts the number of pairs it trained.
 */
import { Prng, type PrngState } from "../random/mod.ts";
import { type SgnsState, trainSequences } from "./_sgns_kernel.ts";

interface Job {
  state: SgnsState;
  from: number;
  to: number;
  epochs: number;
  prng: PrngState;
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Job>) => void) | null;
  postMessage(msg: { pairs: number } | { error: string }): void;
};

scope.onmessage = (e: MessageEvent<Job>) => {
  try {
    const { state, from, to, epochs } = e.data;
    const prng = Prng.fromState(e.data.prng);
    const words = state.offsets[to] - state.offsets[from];
    const schedule = { done: 0, total: Math.max(1, epochs * words) };
    let pairs = 0;
    for (let ep = 0; ep < epochs; ep++) pairs += trainSequences(state, from, to, prng, schedule);
    scope.postMessage({ pairs });
  } catch (err) {
    scope.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
