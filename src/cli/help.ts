/** `ovs-hwol-ctl --help`, generated from the command table so that it lists every method and form. */
import { CTL_SOCKET_ENV, DEFAULT_CTL_SOCKET } from '../control/defaults';
import { COMMANDS } from './commands';

const SUMMARY_COLUMN = 32;
const LINE_WIDTH = 100;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** One method form: the synopsis, and its summary from column 32 (on the next line when the synopsis is longer). */
function formLines(synopsis: string, summary: string): string {
  const indent = ' '.repeat(SUMMARY_COLUMN);
  const body = wrap(summary, LINE_WIDTH - SUMMARY_COLUMN);
  const head = `  ${synopsis}`;
  if (head.length + 2 > SUMMARY_COLUMN) return [head, ...body.map((l) => indent + l)].join('\n');
  return [head.padEnd(SUMMARY_COLUMN) + body[0], ...body.slice(1).map((l) => indent + l)].join('\n');
}

export function helpText(): string {
  const methods = COMMANDS.flatMap((c) => c.forms.map((f) => formLines(f.args === '' ? c.method : `${c.method} ${f.args}`, f.summary))).join('\n');
  return `usage: ovs-hwol-ctl [--ctl-socket PATH] [--json] [--timeout SECONDS] METHOD [ARGS...]

Talks to a running ovs-hwol-agent over its control socket (JSON-RPC 2.0, one message per line).

Methods:
${methods}

Options (before or after METHOD; -- ends them):
  --ctl-socket PATH   the agent's control socket (default $${CTL_SOCKET_ENV} if set,
                      else ${DEFAULT_CTL_SOCKET})
  --json              print the agent's result as JSON instead of text
  --timeout SECONDS   give up if the agent has not answered within SECONDS (default 0: wait)
  -h, --help          print this help and exit
  -V, --version       print the version and exit

Exit status: 0 success, 1 the agent answered with an error, 2 usage error or no agent.
`;
}
