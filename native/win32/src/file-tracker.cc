#include "file-tracker.h"

#include <utility>

namespace vigil {

namespace {

char Fold(char c, bool insensitive) { return insensitive && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

size_t LastSeparator(const std::string& path) {
  const size_t slash = path.find_last_of("\\/");
  return slash == std::string::npos ? 0 : slash + 1;
}

bool Overwrites(uint32_t disposition) { return disposition == kSupersede || disposition == kOverwrite || disposition == kOverwriteIf; }

}  // namespace

const char* FileActionName(FileAction action) {
  switch (action) {
    case FileAction::kCreation: return "creation";
    case FileAction::kModification: return "modification";
    case FileAction::kOverwrite: return "overwrite";
    case FileAction::kDeletion: return "deletion";
    case FileAction::kRename: return "rename";
    case FileAction::kOpen: return "open";
  }
  return "open";
}

bool WildcardMatch(const std::string& pattern, const std::string& text, bool insensitive) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || Fold(pattern[p], insensitive) == Fold(text[t], insensitive)) && pattern[p] != '*') {
      p++;
      t++;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') p++;
  return p == pattern.size();
}

void FileTracker::Reset(std::vector<SensitivePattern> patterns, Translate translate) {
  patterns_ = std::move(patterns);
  translate_ = std::move(translate);
  byObject_.clear();
  order_.clear();
  opens_.clear();
  openOrder_.clear();
  pending_.clear();
  pendingOrder_.clear();
  stats_ = FileTrackerStats();
}

bool FileTracker::Sensitive(const std::string& path) const {
  const size_t cut = LastSeparator(path);
  const std::string name = path.substr(cut);
  const size_t dot = name.rfind('.');
  const std::string extension = dot != std::string::npos && dot > 0 && dot + 1 < name.size() ? name.substr(dot + 1) : "";
  for (const SensitivePattern& p : patterns_) {
    const std::string& subject = p.field == 'n' ? name : p.field == 'e' ? extension : path;
    if (subject.empty()) continue;
    if (p.wildcard) {
      if (WildcardMatch(p.value, subject, p.insensitive)) return true;
      continue;
    }
    // An exact value (`==`, `in`): `*` and `?` in it are plain characters.
    if (p.value.size() != subject.size()) continue;
    bool same = true;
    for (size_t i = 0; i < subject.size() && same; i++) same = Fold(p.value[i], p.insensitive) == Fold(subject[i], p.insensitive);
    if (same) return true;
  }
  return false;
}

FileTracker::Entry* FileTracker::Find(uint64_t fileObject) {
  auto it = byObject_.find(fileObject);
  return it == byObject_.end() ? nullptr : &it->second;
}

FileTracker::Entry& FileTracker::Track(const FileIo& io, std::string path) {
  Entry& e = byObject_[io.fileObject];  // a reused FileObject address starts over
  e = Entry();
  e.path = std::move(path);
  e.pid = io.pid;
  e.tid = io.tid;
  e.disposition = io.createOptions >> 24;
  e.deleteOnClose = (io.createOptions & kFileDeleteOnClose) != 0;
  e.generation = ++generation_;
  order_.emplace_back(io.fileObject, e.generation);
  // Eviction rule: over the capacity the object tracked longest ago is forgotten (its later events count as
  // untracked). Stale queue entries (objects already closed or reused) are skipped.
  while (byObject_.size() > capacity_ && !order_.empty()) {
    const auto [object, generation] = order_.front();
    order_.pop_front();
    auto it = byObject_.find(object);
    if (it != byObject_.end() && it->second.generation == generation) {
      byObject_.erase(it);
      stats_.evicted++;
    }
  }
  if (order_.size() > 2 * capacity_ + 1024) {
    std::deque<std::pair<uint64_t, uint64_t>> live;
    for (const auto& item : order_) {
      auto it = byObject_.find(item.first);
      if (it != byObject_.end() && it->second.generation == item.second) live.push_back(item);
    }
    order_.swap(live);
  }
  if (byObject_.size() > stats_.trackedHighWater) stats_.trackedHighWater = byObject_.size();
  return byObject_[io.fileObject];
}

bool FileTracker::FirstOpen(uint32_t pid, const std::string& path) {
  std::string key = std::to_string(pid);
  key.push_back('\0');
  key += path;
  if (opens_.count(key) != 0) return false;
  if (opens_.size() >= openCapacity_ && !openOrder_.empty()) {
    opens_.erase(openOrder_.front());
    openOrder_.pop_front();
    stats_.openSetEvicted++;
  }
  opens_.insert(key);
  openOrder_.push_back(std::move(key));
  return true;
}

void FileTracker::Emit(FileAction action, const Entry& e, const FileIo& io, std::vector<FileChange>* out) {
  FileChange c;
  c.action = action;
  c.eventId = io.eventId;
  c.pid = e.pid != 0 ? e.pid : io.pid;
  c.tid = io.tid != 0 ? io.tid : e.tid;
  c.timestamp = io.timestamp;
  c.fileObject = io.fileObject;
  c.disposition = e.disposition;
  c.path = e.path;
  out->push_back(std::move(c));
  stats_.emitted++;
}

void FileTracker::Cleanup(Entry& e, const FileIo& io, std::vector<FileChange>* out) {
  if (e.cleanedUp) return;
  e.cleanedUp = true;
  if ((e.deleteOnClose || e.deletePending) && !e.deleteReported) {
    e.deleteReported = true;
    Emit(FileAction::kDeletion, e, io, out);
  } else if (!e.created && !e.deleteReported && Overwrites(e.disposition)) {
    Emit(FileAction::kOverwrite, e, io, out);
  } else if (!e.created && !e.deleteReported && e.written) {
    Emit(FileAction::kModification, e, io, out);
  }
}

void FileTracker::Handle(const FileIo& io, std::vector<FileChange>* out) {
  stats_.events++;
  switch (io.eventId) {
    case kFileCreate:
    case kFileCreateNewFile: {
      if ((io.createOptions & kFileDirectoryFile) != 0) {
        stats_.directories++;
        return;
      }
      Entry* known = io.eventId == kFileCreateNewFile ? Find(io.fileObject) : nullptr;
      if (known != nullptr && !known->cleanedUp) {
        known->created = true;
        Emit(FileAction::kCreation, *known, io, out);
        return;
      }
      std::string path = translate_ ? translate_(io.path) : io.path;
      if (path.empty()) {
        stats_.offDisk++;
        return;
      }
      Entry& e = Track(io, std::move(path));
      if (io.eventId == kFileCreateNewFile) {
        e.created = true;
        Emit(FileAction::kCreation, e, io, out);
      } else if (e.disposition == kOpen && !e.deleteOnClose) {
        if (!Sensitive(e.path)) {
          stats_.opensNotSensitive++;
        } else if (!FirstOpen(e.pid, e.path)) {
          stats_.opensRepeated++;
        } else {
          // Held until OperationEnd says whether the open succeeded. Eviction rule: over the capacity the
          // oldest waiting open is dropped (counted).
          std::vector<FileChange> one;
          Emit(FileAction::kOpen, e, io, &one);
          stats_.emitted--;
          pending_[io.irp] = std::move(one.back());
          pendingOrder_.push_back(io.irp);
          while (pending_.size() > openCapacity_ && !pendingOrder_.empty()) {
            if (pending_.erase(pendingOrder_.front()) != 0) stats_.pendingEvicted++;
            pendingOrder_.pop_front();
          }
          if (pendingOrder_.size() > 2 * openCapacity_ + 1024) {
            std::deque<uint64_t> live;
            for (uint64_t irp : pendingOrder_) if (pending_.count(irp) != 0) live.push_back(irp);
            pendingOrder_.swap(live);
          }
        }
      }
      break;
    }
    case kFileOperationEnd: {
      if (pending_.empty()) return;
      auto it = pending_.find(io.irp);
      if (it == pending_.end()) return;
      FileChange c = std::move(it->second);
      pending_.erase(it);
      c.status = static_cast<int32_t>(io.status);
      out->push_back(std::move(c));
      stats_.emitted++;
      break;
    }
    case kFileWrite:
    case kFileSetInformation:
    case kFileSetDelete:
    case kFileDeletePath:
    case kFileRenamePath:
    case kFileCleanup:
    case kFileClose: {
      Entry* e = Find(io.fileObject);
      if (e == nullptr) {
        // DeletePath and RenamePath name their file: reportable even when the open was not seen.
        if (io.eventId != kFileDeletePath && io.eventId != kFileRenamePath) {
          stats_.untracked++;
          return;
        }
        std::string path = translate_ ? translate_(io.path) : io.path;
        if (path.empty()) {
          stats_.offDisk++;
          return;
        }
        stats_.untracked++;
        Entry loose;
        loose.pid = io.pid;
        loose.tid = io.tid;
        if (io.eventId == kFileDeletePath) {
          loose.path = std::move(path);
          Emit(FileAction::kDeletion, loose, io, out);
        } else {
          loose.path = std::move(path);
          Emit(FileAction::kRename, loose, io, out);
        }
        return;
      }
      if (io.eventId == kFileWrite) {
        e->written = true;
      } else if (io.eventId == kFileSetInformation || io.eventId == kFileSetDelete) {
        if (io.infoClass == kFileDispositionInformation || io.infoClass == kFileDispositionInformationEx) e->deletePending = true;
        if (io.infoClass == kFileEndOfFileInformation || io.infoClass == kFileAllocationInformation) e->written = true;
      } else if (io.eventId == kFileDeletePath) {
        std::string path = translate_ ? translate_(io.path) : io.path;
        if (!path.empty()) e->path = std::move(path);
        if (!e->deleteReported) {
          e->deleteReported = true;
          Emit(FileAction::kDeletion, *e, io, out);
        }
      } else if (io.eventId == kFileRenamePath) {
        std::string path = translate_ ? translate_(io.path) : io.path;
        if (path.empty() || path == e->path) return;
        std::string original = std::move(e->path);
        e->path = std::move(path);
        Emit(FileAction::kRename, *e, io, out);
        out->back().originalPath = std::move(original);
      } else if (io.eventId == kFileCleanup) {
        Cleanup(*e, io, out);
      } else {
        Cleanup(*e, io, out);
        byObject_.erase(io.fileObject);
      }
      break;
    }
    default:
      break;
  }
  stats_.tracked = byObject_.size();
}

FileTrackerStats FileTracker::Stats() const {
  FileTrackerStats s = stats_;
  s.tracked = byObject_.size();
  s.pendingOpens = pending_.size();
  return s;
}

}  // namespace vigil
