# The ovs-hwol native addon. `npm install` builds it (node-gyp rebuild --directory native).
#
# The soft NIC backend is always built. The dpdk backend is built when `pkg-config --exists libdpdk`
# succeeds (tools/dpdk-config.sh); otherwise the build prints one line saying it was left out.
# OVS_HWOL_NO_DPDK=1 in the environment forces a build without it.
{
  "variables": {
    "with_dpdk%": "<!(bash tools/dpdk-config.sh detect)",
  },
  "target_defaults": {
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
    "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-O2"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
  },
  "targets": [
    {
      "target_name": "ovs_hwol",
      "sources": ["<!@(ls -1 src/core/*.cc src/napi/*.cc)"],
      "conditions": [
        ["with_dpdk=='true'", {
          "defines": ["OVS_HWOL_WITH_DPDK"],
          "dependencies": ["ovs_hwol_dpdk"],
          "libraries": ["<!@(pkg-config --libs libdpdk)"],
        }],
      ],
    },
  ],
  "conditions": [
    ["with_dpdk=='true'", {
      "targets": [
        {
          # The dpdk backend, compiled with DPDK's own flags (-march, -include rte_config.h) kept
          # away from the rest of the addon.
          "target_name": "ovs_hwol_dpdk",
          "type": "static_library",
          "sources": ["<!@(ls -1 src/dpdk/*.cc)"],
          "defines": ["OVS_HWOL_WITH_DPDK"],
          "cflags_cc": ["<!@(pkg-config --cflags libdpdk)", "-fPIC"],
        },
      ],
    }],
  ],
}
