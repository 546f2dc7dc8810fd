/**
 * Preloaded (`node --import`) into the bot instances of the multi-instance tests: the wall clock
 * reads CLOCK_FAKE_START at the real instant CLOCK_REAL_START and runs on from there, the same in
 * every process, so the jobs' working-day rules never depend on the day the suite runs.
 */
const fake = Date.parse(globalThis.process.env.CLOCK_FAKE_START ?? '');
const real = Number(globalThis.process.env.CLOCK_REAL_START);
if (Number.isFinite(fake) && Number.isFinite(real)) {
  const RealDate = Date;
  const offset = fake - real;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
