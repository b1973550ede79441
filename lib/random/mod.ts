export { Prng, type PrngState } from "./prng.ts";
