/**
 * The lines of a command's output that warn: any line matching /warn|deprecat/i, npm's own
 * included, but for npm's `> script` banners, which echo the command being run and are not
 * output of the tools.
 */
export function warnings(output: string): string[] {
  return output.split('\n').filter((line) => !line.startsWith('> ') && /warn|deprecat/i.test(line));
}
