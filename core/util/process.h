// Child processes: how their end is described and how they are reaped.
#pragma once

#include <sys/types.h>

#include <string>

namespace checker {

// "killed by SIGSEGV" or "exited with status 3", for a waitpid() status.
std::string DescribeExit(int status);

// Waits for `pid` to end (retrying when a signal interrupts the wait) and
// returns its waitpid() status, or -1 when it is not a child of ours.
int Reap(pid_t pid);

// SIGKILLs `pid` and reaps it.
void KillAndReap(pid_t pid);

// "PID:START": a process's id with its start time, which together name it
// even after its pid is reused; empty when no such process runs.
std::string ProcessIdentity(pid_t pid);

}  // namespace checker
