import { projectPath } from '../project-root.js';

/** Where reports and charts go when no --out is given: reports/out/ in the checkout (git-ignored). */
export function defaultOutDir(): string {
  return projectPath('reports', 'out');
}
