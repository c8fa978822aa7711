#!/usr/bin/python3
"""Benchmark peer: OVS's own Python IDL (python3-openvswitch) monitoring the Interface table.

Run with Debian's /usr/bin/python3, which sees python3-openvswitch. Protocol on stdout, one line per
event, times from CLOCK_MONOTONIC in nanoseconds (the same clock as Node's process.hrtime):
  synced ROWS START_NS END_NS   once the IDL holds EXPECTED Interface rows (START_NS: before connect)
  seen NAME HW_PORT_ID NS       for every later Interface row update, when the IDL has applied it
It exits when stdin closes.

usage: python_idl_monitor.py REMOTE SCHEMA_FILE EXPECTED_ROWS
"""
import os
import select
import sys
import time

import ovs.db.idl
import ovs.poller


class InterfaceIdl(ovs.db.idl.Idl):
    """An IDL that reports each Interface update as it is applied."""

    synced = False

    def notify(self, event, row, updates=None):
        if self.synced and event == ROW_UPDATE:
            hw = row.options.get('hw-port-id', '')
            out.write(f'seen {row.name} {hw} {time.monotonic_ns()}\n')
            out.flush()


ROW_UPDATE = ovs.db.idl.ROW_UPDATE
out = sys.stdout


def main():
    remote, schema_file, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
    helper = ovs.db.idl.SchemaHelper(location=schema_file)
    helper.register_columns('Interface', ['name', 'type', 'options', 'ofport_request'])
    start = time.monotonic_ns()
    idl = InterfaceIdl(remote, helper, leader_only=False)
    stdin_fd = sys.stdin.fileno()
    while True:
        idl.run()
        if not idl.synced and len(idl.tables['Interface'].rows) >= expected:
            # The complete map, as the agent would derive it: hw-port-id -> row.
            hw_map = {r.options['hw-port-id']: r.name for r in idl.tables['Interface'].rows.values()
                      if 'hw-port-id' in r.options}
            idl.synced = True
            out.write(f'synced {len(idl.tables["Interface"].rows)} {start} {time.monotonic_ns()} {len(hw_map)}\n')
            out.flush()
        poller = ovs.poller.Poller()
        idl.wait(poller)
        poller.fd_wait(stdin_fd, ovs.poller.POLLIN)
        poller.block()
        readable, _, _ = select.select([stdin_fd], [], [], 0)
        if readable and not os.read(stdin_fd, 4096):
            return


if __name__ == '__main__':
    main()
