#!/usr/bin/env bash
# Installs the Debian packages ovs-hwol needs, when they are missing.
#
# Contract: idempotent; prints nothing when everything is present; installs with apt-get when run
# as root; otherwise says exactly what is missing and how to install it, and exits 0 so that the
# TypeScript part still installs (tests that need OVS then fail with their own clear message).
# Set OVS_HWOL_SKIP_BOOTSTRAP=1 to skip it entirely.
set -euo pipefail

[ "${OVS_HWOL_SKIP_BOOTSTRAP:-}" = "1" ] && exit 0

# openvswitch-*: ovsdb-server, ovs-vsctl, ovs-vswitchd for the real-OVS tests and the sandbox.
# python3-openvswitch, python3-netaddr: OVS's Python IDL and ODP parser, the benchmark peers.
# libdpdk-dev, dpdk, pkg-config: the dpdk backend of the native layer.
packages=(openvswitch-switch openvswitch-common python3-openvswitch python3-netaddr
          libdpdk-dev dpdk pkg-config)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ovs-hwol: missing packages: ${missing[*]}; this is not a Debian-like system, install their equivalents by hand." >&2
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ovs-hwol: missing Debian packages: ${missing[*]}" >&2
  echo "ovs-hwol: install them as root: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "ovs-hwol: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent on a fresh machine: update once, then install.
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
echo "ovs-hwol: Debian packages installed." >&2
