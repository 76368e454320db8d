#include "hosting/plugin_probe.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <optional>
#include <set>

#include "hosting/job_catalog.h"
#include "util/process.h"
#include "util/trusted_path.h"

namespace checker {
namespace {

// The libraries an ELF shared object names as DT_NEEDED ("libcurl.so.4"),
// read from the open file `fd`; empty when it is not a 64-bit ELF object
// this can read.
std::vector<std::string> NeededLibraries(int fd) {
  const auto read_at = [fd](void* into, std::size_t size, std::uint64_t offset) {
    return pread(fd, into, size, static_cast<off_t>(offset)) == static_cast<ssize_t>(size);
  };
  Elf64_Ehdr header{};
  if (!read_at(&header, sizeof header, 0) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
      header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum > 256) {
    return {};
  }
  std::vector<Elf64_Phdr> segments(header.e_phnum);
  if (!read_at(segments.data(), segments.size() * sizeof(Elf64_Phdr), header.e_phoff)) return {};
  const Elf64_Phdr* dynamic = nullptr;
  for (const auto& segment : segments) {
    if (segment.p_type == PT_DYNAMIC) dynamic = &segment;
  }
  if (!dynamic || dynamic->p_filesz > (1 << 20)) return {};
  std::vector<Elf64_Dyn> entries(dynamic->p_filesz / sizeof(Elf64_Dyn));
  if (!read_at(entries.data(), entries.size() * sizeof(Elf64_Dyn), dynamic->p_offset)) return {};
  std::uint64_t strings_address = 0;
  std::vector<std::uint64_t> names;
  for (const auto& entry : entries) {
    if (entry.d_tag == DT_STRTAB) strings_address = entry.d_un.d_ptr;
    if (entry.d_tag == DT_NEEDED) names.push_back(entry.d_un.d_val);
  }
  // The string table's address is where it is mapped; its place in the
  // file follows from the loaded segment that holds it.
  std::optional<std::uint64_t> strings_offset;
  for (const auto& segment : segments) {
    if (segment.p_type == PT_LOAD && strings_address >= segment.p_vaddr &&
        strings_address < segment.p_vaddr + segment.p_filesz) {
      strings_offset = strings_address - segment.p_vaddr + segment.p_offset;
    }
  }
  std::vector<std::string> needed;
  for (std::uint64_t name : names) {
    char text[256] = {};
    if (!strings_offset || pread(fd, text, sizeof text - 1, static_cast<off_t>(*strings_offset + name)) <= 0) continue;
    needed.emplace_back(text);
  }
  return needed;
}

// Loads, in this process, the libraries that the trusted plugin files link
// and that the system's library path finds (libcurl and its dozens of
// dependencies for the http plugin), so that the probe child and then this
// process share one loading of them instead of doing it twice. This runs
// those libraries' code here before the probe, never a plugin's own.
void PreloadLinkedLibraries(const std::vector<std::string>& files) {
  for (const auto& file : files) {
    Result<FileDescriptor> opened = OpenTrustedFile(file);
    if (!opened.ok()) continue;  // the loader refuses it, and says why
    for (const auto& library : NeededLibraries(opened->get())) {
      if (library.find('/') != std::string::npos) continue;  // only what the library path finds
      dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);        // kept loaded; a library not found is left to the loader
    }
  }
}

// In the child: loads and spawns each plugin, writing its index before and
// "+" after, then exits. Never returns.
[[noreturn]] void ProbeChild(const std::vector<std::string>& files, const Config& config, int fd) {
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
  }
  std::vector<PluginSet> keep_loaded;  // later plugins may depend on earlier ones staying loaded
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string start = std::to_string(i) + "\n";
    if (write(fd, start.data(), start.size()) < 0) _exit(0);
    PluginSet set = PluginLoader::Load({files[i]});
    JobCatalog::RunPluginCode(config, set);
    keep_loaded.push_back(std::move(set));
    if (write(fd, "+\n", 2) < 0) _exit(0);
  }
  _exit(0);
}

// Runs one probe over `files`. Returns -1 when all went well, else the index
// of the plugin the child was in when it died or hung, with `why`.
long ProbeOnce(const std::vector<std::string>& files, const Config& config, int timeout_seconds,
               const WhileProbing* meanwhile, std::string& why) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  std::fflush(nullptr);
  std::cout.flush();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;  // cannot probe: load as before
  }
  if (pid == 0) {
    close(fds[0]);
    ProbeChild(files, config, fds[1]);
  }
  close(fds[1]);
  std::exception_ptr failed;
  if (meanwhile) {
    try {
      (*meanwhile)(config);
    } catch (...) {
      failed = std::current_exception();
    }
  }
  std::string progress;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool hung = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd readable{fds[0], POLLIN, 0};
    if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) == 0) {
      hung = true;
      break;
    }
    char buffer[4096];
    ssize_t got = read(fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    progress.append(buffer, static_cast<std::size_t>(got));
  }
  close(fds[0]);
  if (hung) kill(pid, SIGKILL);
  const int status = Reap(pid);
  if (failed) std::rethrow_exception(failed);
  // The last index not followed by "+" is the plugin the child was in.
  long current = -1;
  std::size_t at = 0;
  while (at < progress.size()) {
    std::size_t end = progress.find('\n', at);
    if (end == std::string::npos) break;
    std::string line = progress.substr(at, end - at);
    current = line == "+" ? -1 : std::stol(line);
    at = end + 1;
  }
  if (current < 0) return -1;
  why = hung ? "hung while loading or making its jobs (more than " + std::to_string(timeout_seconds) + " s)"
             : "crashed while loading or making its jobs (" + DescribeExit(status) + ")";
  return current;
}

}  // namespace

ProbeResult ProbePlugins(const std::vector<std::string>& files, const Config& config, int timeout_seconds,
                         const WhileProbing& meanwhile) {
  PreloadLinkedLibraries(files);
  ProbeResult result;
  result.safe_files = files;
  for (std::size_t round = 0; round < files.size(); ++round) {
    std::string why;
    const WhileProbing* now = round == 0 && meanwhile ? &meanwhile : nullptr;
    long culprit = ProbeOnce(result.safe_files, config, timeout_seconds, now, why);
    if (culprit < 0) break;
    const std::string path = result.safe_files[static_cast<std::size_t>(culprit)];
    const std::string file = path.substr(path.rfind('/') + 1);
    result.refused.push_back({file.substr(0, file.size() - 3), path, path + ": refused: " + why});
    result.safe_files.erase(result.safe_files.begin() + culprit);
  }
  return result;
}

}  // namespace checker
