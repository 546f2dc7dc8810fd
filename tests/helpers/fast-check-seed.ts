import fc from 'fast-check';

// Property tests draw their inputs from one fixed seed so a CI verdict never depends on the run: the same commit
// always checks the same inputs. FC_SEED=<n> (or FC_SEED=random) explores other inputs locally; a failure prints
// the seed and path to replay it.
const requested = process.env.FC_SEED;
if (requested !== 'random') fc.configureGlobal({ seed: requested ? Number(requested) : 20261206 });
