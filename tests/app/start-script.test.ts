import { describe, expect, it } from 'vitest';
import { parseStartScript, readStartScript } from '../helpers/start-command.js';

describe('the start script', () => {
  it('splits leading environment assignments from the node arguments', () => {
    expect(parseStartScript('MALLOC_ARENA_MAX=1 A_B=x=y node --optimize-for-size dist/src/main.js')).toEqual({
      env: { MALLOC_ARENA_MAX: '1', A_B: 'x=y' },
      nodeArgs: ['--optimize-for-size', 'dist/src/main.js'],
    });
    expect(parseStartScript('tsx src/main.ts').nodeArgs).toBeNull();
  });

  it('runs the built bot on plain node with one malloc arena', () => {
    const { script, hasBuild } = readStartScript();
    const start = parseStartScript(script);
    expect(hasBuild).toBe(true);
    expect(start.env.MALLOC_ARENA_MAX).toBe('1');
    // Fixed thresholds: glibc's dynamic mmap threshold let the malloc heap keep 20–48 MB under load (BENCHMARKS.md).
    expect(start.env).toMatchObject({ MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' });
    expect(start.nodeArgs?.at(-1)).toBe('dist/src/main.js');
  });
});
