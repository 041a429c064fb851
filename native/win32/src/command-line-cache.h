// Command lines from the kernel's own process-start event (the system logger's Process class, which carries
// CommandLine), kept until the Microsoft-Windows-Kernel-Process ProcessStart of the same process claims them.
// This closes the race of reading the command line from a process that may already have exited. Bounded:
// the oldest entry goes when full; entries no start claims age out the same way. No Windows API (unit-tested
// on Linux).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

namespace vigil {

struct CommandLineCacheStats {
  size_t size = 0;
  uint64_t stored = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
};

class CommandLineCache {
 public:
  explicit CommandLineCache(size_t capacity) : capacity_(capacity) {}
  // `when`: FILETIME ticks of the kernel event.
  void Put(uint32_t pid, std::string commandLine, uint64_t when);
  // The command line of `pid` logged within [createTime - before, createTime + after], removed from the cache.
  bool Take(uint32_t pid, uint64_t createTime, uint64_t before, uint64_t after, std::string* out);
  void Clear();
  CommandLineCacheStats Stats() const;

 private:
  struct Entry {
    std::string commandLine;
    uint64_t when = 0;
    uint64_t serial = 0;
  };
  size_t capacity_;
  uint64_t serial_ = 0;
  std::unordered_map<uint32_t, Entry> byPid_;
  std::deque<std::pair<uint32_t, uint64_t>> order_;  // (pid, serial), oldest first
  CommandLineCacheStats stats_;
};

}  // namespace vigil
