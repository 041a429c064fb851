#include "kernel-file-parse.h"

#include <cstring>

namespace vigil {

namespace {

// Reads little-endian fields in order; any read past the end marks the cursor failed.
class Cursor {
 public:
  Cursor(const uint8_t* data, size_t size, bool pointer64) : data_(data), size_(size), pointer64_(pointer64) {}

  uint64_t Pointer() { return pointer64_ ? U64() : U32(); }
  uint32_t U32() {
    uint32_t v = 0;
    Read(&v, 4);
    return v;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Read(&v, 8);
    return v;
  }
  void String(std::string* out) {
    if (failed_) return;
    size_t units = (size_ - pos_) / 2;
    pos_ += 2 * Utf16LeToUtf8(data_ + pos_, units, out);
  }
  bool Failed() const { return failed_; }

 private:
  void Read(void* out, size_t n) {
    if (failed_ || size_ - pos_ < n) {
      failed_ = true;
      return;
    }
    // The target is little-endian (x86-64 Windows, and the hosts the unit test runs on).
    std::memcpy(out, data_ + pos_, n);
    pos_ += n;
  }
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  bool pointer64_;
  bool failed_ = false;
};

void PutUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace

size_t Utf16LeToUtf8(const uint8_t* data, size_t units, std::string* out) {
  out->clear();
  size_t i = 0;
  while (i < units) {
    const uint32_t u = static_cast<uint32_t>(data[2 * i]) | (static_cast<uint32_t>(data[2 * i + 1]) << 8);
    i++;
    if (u == 0) return i;
    if (u >= 0xd800 && u <= 0xdbff && i < units) {
      const uint32_t low = static_cast<uint32_t>(data[2 * i]) | (static_cast<uint32_t>(data[2 * i + 1]) << 8);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        PutUtf8(0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00), out);
        continue;
      }
    }
    PutUtf8(u >= 0xd800 && u <= 0xdfff ? 0xfffd : u, out);
  }
  return i;
}

ParseStatus ParseKernelFile(uint16_t eventId, uint8_t version, bool pointer64, const uint8_t* data, size_t size, FileIo* out) {
  if (version < 1) return ParseStatus::kUnsupportedVersion;
  Cursor c(data, size, pointer64);
  out->eventId = eventId;
  switch (eventId) {
    case kFileCreate:
    case kFileCreateNewFile:
      out->irp = c.Pointer();
      out->fileObject = c.Pointer();
      out->tid = c.U32();
      out->createOptions = c.U32();
      c.U32();  // CreateAttributes
      c.U32();  // ShareAccess
      c.String(&out->path);
      break;
    case kFileCleanup:
    case kFileClose:
      c.Pointer();  // Irp
      out->fileObject = c.Pointer();
      c.Pointer();  // FileKey
      out->tid = c.U32();
      break;
    case kFileWrite:
      c.U64();      // ByteOffset
      c.Pointer();  // Irp
      out->fileObject = c.Pointer();
      c.Pointer();  // FileKey
      out->tid = c.U32();
      break;
    case kFileSetInformation:
    case kFileSetDelete:
    case kFileRename:
    case kFileDeletePath:
    case kFileRenamePath:
      c.Pointer();  // Irp
      out->fileObject = c.Pointer();
      c.Pointer();  // FileKey
      c.Pointer();  // ExtraInformation
      out->tid = c.U32();
      out->infoClass = c.U32();
      if (eventId == kFileDeletePath || eventId == kFileRenamePath) c.String(&out->path);
      break;
    case kFileOperationEnd:
      out->irp = c.Pointer();
      c.Pointer();  // ExtraInformation
      out->status = c.U32();
      break;
    default:
      return ParseStatus::kNotRead;
  }
  return c.Failed() ? ParseStatus::kTruncated : ParseStatus::kOk;
}

}  // namespace vigil
