/** Types of scripts/build.mjs (plain JavaScript: it runs before anything is compiled). */
export declare const SOURCE_DIRS: string[];
export declare const STAMP: string;
export declare function sourceFiles(root: string): string[];
export declare function tableSources(root: string): string[];
export declare function inputDigest(root: string, files?: string[]): string;
export declare function staleReason(root: string, files?: string[]): string | null;
export declare function buildProject(
  root: string,
  options?: { ifStale?: boolean; precompile?: (root: string) => Promise<string[]> | string[] },
): Promise<{ built: boolean; reason: string }>;

export declare const OLDEST_NODE: number[];
export declare function nodeVersionProblem(version?: string): string | null;
export declare function sqliteProblem(root: string): string | null;
