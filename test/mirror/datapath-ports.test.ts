/** datapathPorts: dpctl/show text -> the interface name -> odp port map the port table takes. */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { datapathPorts } from '../../src/mirror';

const DIR = path.resolve(__dirname, '../../../test/fixtures/ovs-3.1');

test('every port but the datapath\'s own; tunnel vports keep their datapath names', (t) => {
  const r = datapathPorts(fs.readFileSync(path.join(DIR, 'megaflows-tunnel-dpctl-show.txt'), 'utf8'));
  t.is(r.datapath, 'dummy@ovs-dummy');
  t.deepEqual([...r.ports], [['vm1', 1], ['gre_sys', 2], ['br-int', 3], ['phy0', 4], ['br-phy', 5], ['vxlan_sys_4789', 4789], ['genev_sys_6081', 6081]]);
  t.is(r.key, 'br-int=3,br-phy=5,genev_sys_6081=6081,gre_sys=2,phy0=4,vm1=1,vxlan_sys_4789=4789');
});

test('with several datapaths, the userspace (netdev) one', (t) => {
  const text = [
    'system@ovs-system:', '  lookups: hit:0 missed:0 lost:0', '  flows: 0', '  port 0: ovs-system (internal)', '  port 1: eth0',
    'netdev@ovs-netdev:', '  lookups: hit:0 missed:0 lost:0', '  flows: 2', '  port 0: ovs-netdev (tap)', '  port 1: dpdk0 (dpdk: configured_rx_queues=1)', '  port 2: br0 (tap)', '',
  ].join('\n');
  const r = datapathPorts(text);
  t.is(r.datapath, 'netdev@ovs-netdev');
  t.deepEqual([...r.ports], [['dpdk0', 1], ['br0', 2]]);
});

test('the key changes exactly when the map does', (t) => {
  const a = datapathPorts('netdev@ovs-netdev:\n  port 1: p1 (dummy)\n  port 2: p2 (dummy)\n');
  const b = datapathPorts('netdev@ovs-netdev:\n  flows: 9\n  port 2: p2 (dummy)\n  port 1: p1 (dummy)\n');
  const c = datapathPorts('netdev@ovs-netdev:\n  port 1: p1 (dummy)\n  port 3: p2 (dummy)\n');
  t.is(a.key, b.key);
  t.not(a.key, c.key);
});

test('text without a datapath is an error that says what was expected', (t) => {
  t.throws(() => datapathPorts('ovs-vswitchd: no datapaths exist\n'), { message: /no "TYPE@NAME:" datapath header/ });
});
