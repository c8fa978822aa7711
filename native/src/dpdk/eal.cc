#include "eal.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <mutex>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>

namespace hwol {
namespace {

std::mutex g_mutex;
bool g_initialized = false;

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// "0-1", "0,2-5": the CPUs of `set`.
std::string cpuList(const cpu_set_t& set) {
  std::string out;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &set)) continue;
    int last = cpu;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set)) last++;
    if (!out.empty()) out += ",";
    out += std::to_string(cpu);
    if (last > cpu) out += "-" + std::to_string(last);
    cpu = last;
  }
  return out;
}

// The synchronous signals a faulting thread must still receive.
bool isFaultSignal(int sig) { return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP; }

}  // namespace

bool ealInitialized() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_initialized;
}

EalOutcome ealInit(const std::vector<std::string>& args) {
  std::lock_guard<std::mutex> lock(g_mutex);
  EalOutcome out;
  if (g_initialized) {
    out.errnum = EALREADY;
    out.message = "EAL is already initialised in this process (it can be initialised once)";
    return out;
  }

  cpu_set_t affinity;
  CPU_ZERO(&affinity);
  const bool have_affinity = pthread_getaffinity_np(pthread_self(), sizeof affinity, &affinity) == 0;

  bool has_lcores = false;
  bool has_prefix = false;
  for (const std::string& a : args) {
    if (startsWith(a, "-l") || startsWith(a, "-c") || startsWith(a, "--lcores")) has_lcores = true;
    if (startsWith(a, "--file-prefix") || a == "--in-memory") has_prefix = true;
  }
  out.argv.push_back("ovs-hwol");
  out.argv.insert(out.argv.end(), args.begin(), args.end());
  if (!has_lcores && have_affinity) out.argv.push_back("--lcores=0@(" + cpuList(affinity) + ")");
  if (!has_prefix) out.argv.push_back("--file-prefix=ovs-hwol-" + std::to_string(getpid()));

  std::vector<std::string> storage = out.argv;  // rte_eal_init may permute argv
  std::vector<char*> argv;
  for (std::string& s : storage) argv.push_back(&s[0]);
  argv.push_back(nullptr);

  rte_openlog_stream(stderr);

  struct sigaction before[NSIG];
  for (int sig = 1; sig < NSIG; sig++) sigaction(sig, nullptr, &before[sig]);
  sigset_t all;
  sigset_t saved_mask;
  sigfillset(&all);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP}) sigdelset(&all, sig);
  pthread_sigmask(SIG_BLOCK, &all, &saved_mask);

  const int rc = rte_eal_init(static_cast<int>(argv.size() - 1), argv.data());
  const int err = rte_errno;

  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP || isFaultSignal(sig)) continue;
    struct sigaction now;
    if (sigaction(sig, nullptr, &now) != 0) continue;
    if (now.sa_handler != before[sig].sa_handler || now.sa_flags != before[sig].sa_flags) sigaction(sig, &before[sig], nullptr);
  }
  pthread_sigmask(SIG_SETMASK, &saved_mask, nullptr);
  if (have_affinity) pthread_setaffinity_np(pthread_self(), sizeof affinity, &affinity);

  if (rc < 0) {
    out.errnum = err;
    out.message = std::string("rte_eal_init failed: ") + rte_strerror(err);
    return out;
  }
  g_initialized = true;
  out.main_lcore = rte_get_main_lcore();
  out.lcore_count = rte_lcore_count();
  return out;
}

}  // namespace hwol
