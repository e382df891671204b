// `node:https` (and with it `node:tls`, a few ms of a cold start) behind a module of our own, so
// the Engine reader loads it only for an `https://` Engine: the CLI's startup snapshots turn an
// import() of a bundled module into a lazy evaluation, but cannot import() a built-in at all.
export { request } from 'node:https';
