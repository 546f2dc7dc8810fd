/** What a CLI subcommand gets: its own argv (after the group word) and the process streams. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

/** A command group (`kb`, `db`, ...). Returns the process exit code. */
export interface CliGroup {
  summary: string;
  usage: string;
  /** `GROUP SUB --help` text for a subcommand (args without --help); the group's usage when absent. */
  help?(args: string[]): string | undefined;
  run(args: string[], io: CliIo): Promise<number>;
}
