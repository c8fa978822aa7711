/**
 * The real bin/ovs-hwol-agent with --flow-source vswitchd: it starts (it used to refuse), and with no
 * ovs-vswitchd at the path it keeps running, says so in agent/show and warns once in the log.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../src/sandbox/ovsdb-server';
import { waitFor } from '../../src/sandbox/processes';
import { AgentProcess } from '../helpers/agent-process';
import type { MirrorStatus } from '../../src/mirror';

test('the agent runs without ovs-vswitchd, says so in agent/show and warns once', async (t) => {
  const dir = makeTempDir('ovs-hwol-agent-mirror-');
  const ctl = path.join(dir, 'ovs-vswitchd.ctl');
  const agent = await AgentProcess.start(`unix:${path.join(dir, 'no-db.sock')}`, dir, ['--flow-source', `vswitchd:${ctl}`, '--flow-poll-interval', '50']);
  try {
    const show = await waitFor('agent/show to say disconnected', async () => {
      const s = (await agent.show()) as Awaited<ReturnType<AgentProcess['show']>> & { mirror?: MirrorStatus };
      return s.mirror?.state === 'disconnected' ? s : undefined;
    }, 10_000, 20);
    t.is(show.flowSource, `vswitchd:${ctl}`);
    t.is(show.mirror?.ctlPath, ctl);
    t.is(show.mirror?.polls, 0);
    t.is(show.mirror?.pollIntervalMs, 50);
    t.regex(show.mirror?.lastError ?? '', /ENOENT|no such file/i);
    const line = await agent.waitForLog(/warn\s+\[mirror\] cannot reach ovs-vswitchd at .*ovs-vswitchd\.ctl .*retrying in the background/);
    t.truthy(line);
    t.is(agent.logs.filter((l) => /cannot reach ovs-vswitchd/.test(l)).length, 1);
  } finally {
    t.is(await agent.stop(), 0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
