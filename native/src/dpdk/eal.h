// EAL initialisation inside a Node process (native/README.md explains the choices).
#pragma once

#include <string>
#include <vector>

namespace hwol {

struct EalOutcome {
  int errnum = 0;                 // 0 on success, else the rte_errno of rte_eal_init
  std::string message;            // on failure
  std::vector<std::string> argv;  // what rte_eal_init received, program name first
  unsigned main_lcore = 0;
  unsigned lcore_count = 0;
};

// Initialises EAL once per process from `args` (EAL arguments, without a program name):
// - adds --lcores=0@(CPUS) (CPUS: the calling thread's affinity) unless -l/-c/--lcores is given,
//   so the main lcore, which is the JS thread, keeps every CPU it had;
// - adds --file-prefix=ovs-hwol-PID unless --file-prefix or --in-memory is given;
// - sends EAL's log to stderr, never stdout;
// - blocks every asynchronous signal while rte_eal_init runs, so that the threads EAL starts
//   inherit a mask that leaves all signals to Node's threads; restores any signal handler EAL
//   changed, the signal mask and the calling thread's CPU affinity afterwards.
// A second call fails with EALREADY.
EalOutcome ealInit(const std::vector<std::string>& args);

bool ealInitialized();

}  // namespace hwol
