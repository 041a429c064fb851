// Turns Kernel-File events into the file changes Defend reports on Windows, keyed by FileObject so that a
// write, rename or delete (which carry no name) knows its path, and drops everything else before it crosses
// into JS:
// - Create (12): remembers FileObject -> (Win32 path, process, disposition, delete-on-close); directories and
//   paths on no drive (pipes, volumes) are not tracked; a FILE_OPEN of a sensitive path is an `open`, once per
//   (process, path), reported when its OperationEnd (24) gives the status (Create is logged at request time);
// - CreateNewFile (30): `creation`;
// - Write (16), SetInformation end-of-file/allocation (17): the object was written;
// - SetInformation/SetDelete disposition (17/18): a delete is pending;
// - DeletePath (26): `deletion` with its path; RenamePath (27): `rename` (old path from the table);
// - Cleanup (13) / Close (14): a pending delete or delete-on-close is a `deletion`; a written object is a
//   `modification`, or an `overwrite` when opened with SUPERSEDE/OVERWRITE/OVERWRITE_IF and not created;
//   Close forgets the object.
// Bounded: at most `capacity` objects (oldest forgotten first, counted) and `openCapacity` reported opens.
// Platform-neutral; the session passes a path translator (\Device\HarddiskVolume3\x -> C:\x).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kernel-file-parse.h"

namespace vigil {

enum class FileAction : uint8_t { kCreation, kModification, kOverwrite, kDeletion, kRename, kOpen };
const char* FileActionName(FileAction action);

struct FileChange {
  FileAction action = FileAction::kOpen;
  uint16_t eventId = 0;  // the event that completed it
  uint32_t pid = 0;
  uint32_t tid = 0;
  uint64_t timestamp = 0;
  uint64_t fileObject = 0;
  uint32_t disposition = 0;
  std::string path;          // Win32 path
  std::string originalPath;  // rename: the old path
  int32_t status = 0;        // NTSTATUS of the operation (0 when the event implies success)
};

// A sensitive-path pattern (the policy JS derives from the rules): `field` is 'p' (file.path), 'n' (file.name)
// or 'e' (file.extension); `*` and `?` are wildcards when `wildcard`; `insensitive` folds ASCII case.
struct SensitivePattern {
  char field = 'p';
  std::string value;
  bool wildcard = false;
  bool insensitive = false;
};

// EQL wildcard match (`*` any run, `?` one byte), linear in practice (one star backtrack point).
bool WildcardMatch(const std::string& pattern, const std::string& text, bool insensitive);

struct FileTrackerStats {
  uint64_t events = 0;          // Kernel-File events handled
  uint64_t emitted = 0;         // changes handed to JS
  uint64_t directories = 0;     // creates of directories, not tracked
  uint64_t offDisk = 0;         // creates of paths on no drive (pipes, devices), not tracked
  uint64_t untracked = 0;       // events of objects the table does not hold (opened before the session, or evicted)
  uint64_t opensNotSensitive = 0;
  uint64_t opensRepeated = 0;   // sensitive opens already reported for that process and path
  uint64_t evicted = 0;         // objects forgotten over the capacity
  uint64_t openSetEvicted = 0;
  uint64_t pendingEvicted = 0;  // sensitive opens whose OperationEnd never came, over the capacity
  size_t pendingOpens = 0;
  size_t tracked = 0;
  size_t trackedHighWater = 0;
};

class FileTracker {
 public:
  using Translate = std::function<std::string(const std::string& ntPath)>;
  FileTracker(size_t capacity, size_t openCapacity) : capacity_(capacity), openCapacity_(openCapacity) {}
  void Reset(std::vector<SensitivePattern> patterns, Translate translate);
  // One event; appends the changes it completes.
  void Handle(const FileIo& io, std::vector<FileChange>* out);
  bool Sensitive(const std::string& path) const;
  FileTrackerStats Stats() const;

 private:
  struct Entry {
    std::string path;
    uint32_t pid = 0;
    uint32_t tid = 0;
    uint32_t disposition = 0;
    uint64_t generation = 0;
    bool deleteOnClose = false;
    bool deletePending = false;
    bool deleteReported = false;
    bool created = false;
    bool written = false;
    bool cleanedUp = false;
  };
  Entry* Find(uint64_t fileObject);
  Entry& Track(const FileIo& io, std::string path);
  void Cleanup(Entry& e, const FileIo& io, std::vector<FileChange>* out);
  void Emit(FileAction action, const Entry& e, const FileIo& io, std::vector<FileChange>* out);
  bool FirstOpen(uint32_t pid, const std::string& path);

  size_t capacity_;
  size_t openCapacity_;
  std::vector<SensitivePattern> patterns_;
  Translate translate_;
  std::unordered_map<uint64_t, Entry> byObject_;
  std::deque<std::pair<uint64_t, uint64_t>> order_;  // (FileObject, generation), oldest first
  uint64_t generation_ = 0;
  std::unordered_map<uint64_t, FileChange> pending_;  // Irp -> a sensitive open waiting for its status
  std::deque<uint64_t> pendingOrder_;
  std::unordered_set<std::string> opens_;
  std::deque<std::string> openOrder_;
  FileTrackerStats stats_;
};

}  // namespace vigil
