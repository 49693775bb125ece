/** What commands read and write, injectable for tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
}

/** The real process. */
export const processIo: CliIo = {
  env: process.env,
  out: (text) => void process.stdout.write(text),
};
