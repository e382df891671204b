// The prober no longer uses undici; this old path stays only until its importers (the app
// wiring, a bench and a Docker test) import `create-prober.js` directly.
export { createProber, type ProberOptions } from './create-prober.js';
