#!/usr/bin/env bash
# Called by binding.gyp. `detect` prints "true" when the dpdk backend can be built (pkg-config finds
# libdpdk and OVS_HWOL_NO_DPDK is not 1), else "false" plus one line on stderr saying why it was
# left out.
set -u
case "${1:-}" in
  detect)
    if [ "${OVS_HWOL_NO_DPDK:-}" = "1" ]; then
      echo "ovs-hwol: dpdk backend left out (OVS_HWOL_NO_DPDK=1); building the soft NIC backend only" >&2
      echo false
    elif command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libdpdk; then
      echo true
    else
      echo "ovs-hwol: dpdk backend left out (pkg-config does not find libdpdk); building the soft NIC backend only" >&2
      echo false
    fi
    ;;
  *)
    echo "usage: dpdk-config.sh detect" >&2
    exit 2
    ;;
esac
