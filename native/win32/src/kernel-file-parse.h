// Microsoft-Windows-Kernel-File {edd08927-9cc4-4e65-b970-c2560fb5c289}: the events Vigil reads, parsed straight
// from the event's user data by the manifest's (version 1, Windows 10+) layouts instead of through TDH, so the
// ETW callback stays cheap for the per-I/O events (Write, Cleanup, Close) that the file tracker mostly drops.
// Platform-neutral (unit-tested on Linux): bytes in, plain fields out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace vigil {

// Event ids of the manifest (task names in comments).
enum KernelFileEventId : uint16_t {
  kFileCreate = 12,         // Create: Irp, FileObject, IssuingThreadId, CreateOptions, CreateAttributes, ShareAccess, FileName
  kFileCleanup = 13,        // Cleanup: Irp, FileObject, FileKey, IssuingThreadId
  kFileClose = 14,          // Close: Irp, FileObject, FileKey, IssuingThreadId
  kFileWrite = 16,          // Write: ByteOffset, Irp, FileObject, FileKey, IssuingThreadId, IOSize, IOFlags, ExtraFlags
  kFileSetInformation = 17, // SetInformation: Irp, FileObject, FileKey, ExtraInformation, IssuingThreadId, InfoClass
  kFileSetDelete = 18,      // SetDelete: same layout as SetInformation
  kFileRename = 19,         // Rename: same layout as SetInformation
  kFileDeletePath = 26,     // DeletePath: SetInformation's fields, then FilePath
  kFileRenamePath = 27,     // RenamePath: SetInformation's fields, then FilePath (the new name)
  kFileOperationEnd = 24,   // OperationEnd: Irp, ExtraInformation, Status (NTSTATUS)
  kFileCreateNewFile = 30,  // CreateNewFile: Create's layout, logged when the create made a new file
};

// Keywords (KERNEL_FILE_KEYWORD_*): FILEIO 0x20, OP_END 0x40, CREATE 0x80, WRITE 0x200, DELETE_PATH 0x400,
// RENAME_SETLINK_PATH 0x800, CREATE_NEW_FILE 0x1000.
inline constexpr uint64_t kKernelFileKeywords = 0x20 | 0x40 | 0x80 | 0x200 | 0x400 | 0x800 | 0x1000;
inline constexpr uint16_t kKernelFileEventIds[] = {12, 13, 14, 16, 17, 18, 19, 24, 26, 27, 30};

// CreateOptions: the disposition is its top byte (FILE_SUPERSEDE 0 .. FILE_OVERWRITE_IF 5), options below.
inline constexpr uint32_t kFileDirectoryFile = 0x00000001;
inline constexpr uint32_t kFileDeleteOnClose = 0x00001000;
enum FileDisposition : uint32_t {
  kSupersede = 0, kOpen = 1, kCreate = 2, kOpenIf = 3, kOverwrite = 4, kOverwriteIf = 5,
};
// FILE_INFORMATION_CLASS values that change a file (ntifs.h).
inline constexpr uint32_t kFileDispositionInformation = 13;
inline constexpr uint32_t kFileAllocationInformation = 19;
inline constexpr uint32_t kFileEndOfFileInformation = 20;
inline constexpr uint32_t kFileDispositionInformationEx = 64;

// One Kernel-File event, as the tracker needs it. `path` is UTF-8 (FileName or FilePath), empty when the
// event has none.
struct FileIo {
  uint16_t eventId = 0;
  uint32_t pid = 0;
  uint32_t tid = 0;  // IssuingThreadId
  uint64_t timestamp = 0;
  uint64_t irp = 0;
  uint64_t fileObject = 0;
  uint32_t status = 0;  // OperationEnd: the NTSTATUS
  uint32_t createOptions = 0;
  uint32_t infoClass = 0;
  std::string path;
};

enum class ParseStatus : uint8_t { kOk, kUnsupportedVersion, kTruncated, kNotRead };

// Parses the user data of event `eventId` (version >= 1). `pointer64`: the event came from a 64-bit kernel
// (EVENT_HEADER_FLAG_64_BIT_HEADER); pointers are 4 bytes otherwise. Fills everything but pid and timestamp.
ParseStatus ParseKernelFile(uint16_t eventId, uint8_t version, bool pointer64, const uint8_t* data, size_t size, FileIo* out);

// UTF-16LE (NUL-terminated or up to `units`) -> UTF-8; an unpaired surrogate becomes U+FFFD. Returns the code
// units consumed, terminator included.
size_t Utf16LeToUtf8(const uint8_t* data, size_t units, std::string* out);

}  // namespace vigil
