/**
 * The client process of offload.put's "client in its own process" figure: connects to the control
 * socket given as argv[2], builds the workload's first argv[3] flows (bench/offload-flows.ts), then
 * sends them as flow/put calls of argv[4] flows without waiting for each answer (pipelined, as a
 * controller streaming flows would; the agent answers them in order). Prints `{"seconds": S}`: the time from the first call to the
 * last answer.
 */
import { ControlClient } from '../src/control';
import { flows } from './offload-flows';

async function main(): Promise<void> {
  const [socketPath, nText, batchText] = process.argv.slice(2);
  const n = Number(nText);
  const batch = Number(batchText);
  if (!socketPath || !(n > 0) || !(batch > 0)) throw new Error('usage: put-client SOCKET FLOWS BATCH');
  const input = flows(n);
  const parts = [];
  for (let i = 0; i < n; i += batch) parts.push(input.slice(i, i + batch));
  const client = await ControlClient.connect(socketPath);
  try {
    const start = process.hrtime.bigint();
    await Promise.all(parts.map((part) => client.call('flow/put', { flows: part })));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(JSON.stringify({ seconds }) + '\n');
  } finally {
    client.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`put-client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
