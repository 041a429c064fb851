// Unit test of the addon's platform-neutral parts (IP text, bounded queue, pid and UDP flow tables, record
// helpers), built with the host compiler and run by test/collectors/win32/native-units.test.ts. The Windows
// parts (ETW, TDH, process queries) cannot run off Windows; these can, so they are tested for real.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "../src/command-line-cache.h"
#include "../src/etw-record.h"
#include "../src/file-tracker.h"
#include "../src/kernel-file-parse.h"
#include "../src/ip-format.h"
#include "../src/pid-table.h"
#include "../src/record-queue.h"
#include "../src/udp-flow-table.h"

using namespace vigil;

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    checks++;                                                              \
    if (!(cond)) {                                                         \
      failures++;                                                          \
      std::fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

static std::string V6(std::vector<int> words) {
  uint8_t b[16];
  for (int i = 0; i < 8; i++) {
    b[2 * i] = static_cast<uint8_t>(words[static_cast<size_t>(i)] >> 8);
    b[2 * i + 1] = static_cast<uint8_t>(words[static_cast<size_t>(i)] & 0xff);
  }
  return FormatIpv6(b);
}

static void TestIpFormat() {
  const uint8_t v4[4] = {140, 82, 112, 3};
  CHECK(FormatIpv4(v4) == "140.82.112.3");
  CHECK(V6({0, 0, 0, 0, 0, 0, 0, 0}) == "::");
  CHECK(V6({0, 0, 0, 0, 0, 0, 0, 1}) == "::1");
  CHECK(V6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}) == "2001:db8::1");
  CHECK(V6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}) == "2001:db8:0:1:1:1:1:1");  // one zero word stays
  CHECK(V6({0x2001, 0, 0, 1, 0, 0, 0, 1}) == "2001:0:0:1::1");           // the longest run
  CHECK(V6({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}) == "2001:db8::1:0:0:1");   // the first of equal runs
  CHECK(V6({0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111}) == "2606:4700:4700::1111");
  CHECK(V6({0xfe80, 0, 0, 0, 0xABCD, 0, 0, 0}) == "fe80::abcd:0:0:0");
  CHECK(V6({1, 0, 0, 0, 0, 0, 0, 0}) == "1::");
  CHECK(V6({0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201}) == "::ffff:192.0.2.1");
}

static EtwRecord Rec(uint16_t id) {
  EtwRecord r;
  r.eventId = id;
  return r;
}

static void TestRecordQueue() {
  RecordQueue q(3);
  bool wasEmpty = false;
  CHECK(q.Push(Rec(1), &wasEmpty) && wasEmpty);
  CHECK(q.Push(Rec(2), &wasEmpty) && !wasEmpty);
  CHECK(q.Push(Rec(3), &wasEmpty) && !wasEmpty);
  CHECK(!q.Push(Rec(4), &wasEmpty));  // full: dropped, counted
  QueueStats s = q.Stats();
  CHECK(s.lost == 1 && s.pushed == 3 && s.depth == 3 && s.highWater == 3 && s.capacity == 3);
  std::vector<EtwRecord> out;
  q.DrainUpTo(2, &out);
  CHECK(out.size() == 2 && out[0].eventId == 1 && out[1].eventId == 2);  // oldest first
  CHECK(q.Push(Rec(5), &wasEmpty) && !wasEmpty);
  out.clear();
  q.DrainUpTo(10, &out);
  CHECK(out.size() == 2 && out[0].eventId == 3 && out[1].eventId == 5);
  CHECK(q.Push(Rec(6), &wasEmpty) && wasEmpty);  // empty again: the producer must signal
  s = q.Stats();
  CHECK(s.delivered == 4 && s.depth == 1 && s.lost == 1);
  q.Reset(8);
  CHECK(q.Stats().capacity == 8 && q.Stats().depth == 0 && q.Stats().lost == 0);
}

static PidIdentity Id(uint64_t seq) {
  PidIdentity id;
  id.hasSequence = true;
  id.sequence = seq;
  return id;
}

static void TestPidTable() {
  PidTable t(2);
  t.Put(100, Id(1));
  t.Put(200, Id(2));
  t.MarkExited(100);
  t.Put(300, Id(3));  // full: the exited entry goes first
  PidIdentity got;
  CHECK(!t.Get(100, &got));
  CHECK(t.Get(200, &got) && got.sequence == 2);
  CHECK(t.Get(300, &got) && got.sequence == 3);
  CHECK(t.Stats().size == 2 && t.Stats().evictions == 1);
  t.Put(300, Id(33));  // pid reuse: the newer process wins, no eviction
  CHECK(t.Get(300, &got) && got.sequence == 33 && t.Stats().evictions == 1);
  t.Put(400, Id(4));  // full, nothing exited: some live entry goes, still bounded
  CHECK(t.Stats().size == 2 && t.Stats().evictions == 2);
  CHECK(t.Get(400, &got) && got.sequence == 4);
  CHECK(t.Stats().hits >= 4 && t.Stats().misses == 1);
}

static void TestUdpFlowTable() {
  UdpFlowTable t(2, 60000);
  CHECK(t.IsNewFlow("a", 1000));
  CHECK(!t.IsNewFlow("a", 2000));   // a repeat within the idle window
  CHECK(t.IsNewFlow("a", 70000));   // idle longer than the window: a new flow
  CHECK(t.IsNewFlow("b", 70001));
  CHECK(t.IsNewFlow("c", 70002));   // full: the oldest flow goes
  CHECK(t.Stats().size == 2 && t.Stats().evictions == 1 && t.Stats().suppressed == 1);
  CHECK(t.IsNewFlow("a", 70003));   // "a" was evicted, so it opens again
}

static void TestValueHelpers() {
  std::vector<EtwValue> v;
  v.push_back(EtwValue::Number("PID", 9120));
  v.push_back(EtwValue::String("CreateTime", "134396436000001234"));
  v.push_back(EtwValue::String("ImageName", "x.exe"));
  uint64_t n = 0;
  CHECK(ValueU32(v, "PID", 0) == 9120);
  CHECK(ValueU32(v, "ImageName", 7) == 7);
  CHECK(ValueU64(v, "CreateTime", &n) && n == 134396436000001234ull);
  CHECK(!ValueU64(v, "ImageName", &n));
  CHECK(!ValueU64(v, "Missing", &n));
  CHECK(FindValue(v, "ImageName") != nullptr && FindValue(v, "ImageName")->text == "x.exe");
}

static void TestCommandLineCache() {
  const uint64_t s = 10000000;  // one second of FILETIME ticks
  CommandLineCache c(2);
  c.Put(100, "a.exe -x", 50 * s);
  std::string out;
  CHECK(!c.Take(100, 60 * s, s, 5 * s, &out));  // logged 10 s before the create time: another process
  CHECK(c.Take(100, 50 * s, s, 5 * s, &out) && out == "a.exe -x");
  CHECK(!c.Take(100, 50 * s, s, 5 * s, &out));  // taken: gone
  c.Put(1, "one", 1 * s);
  c.Put(2, "two", 2 * s);
  c.Put(3, "three", 3 * s);  // full: the oldest goes
  CHECK(!c.Take(1, 1 * s, s, 5 * s, &out));
  CHECK(c.Take(3, 3 * s, s, 5 * s, &out) && out == "three");
  c.Put(2, "two again", 4 * s);  // pid reuse replaces, no eviction
  CHECK(c.Take(2, 4 * s, s, 5 * s, &out) && out == "two again");
  CommandLineCacheStats st = c.Stats();
  CHECK(st.evictions == 1 && st.hits == 3 && st.size == 0 && st.stored == 5);
  for (uint32_t pid = 0; pid < 1000; pid++) c.Put(pid % 3, "x", pid);  // churn stays bounded
  CHECK(c.Stats().size <= 2);
}

// ---- Kernel-File: user data laid out as the manifest (version 1) writes it ----------------------------------

// Builds an event's user data: pointers of 8 (64-bit kernel) or 4 bytes, little-endian integers, UTF-16LE
// strings with their NUL.
class UserData {
 public:
  explicit UserData(bool pointer64 = true) : pointer64_(pointer64) {}
  UserData& Ptr(uint64_t v) { return Int(v, pointer64_ ? 8 : 4); }
  UserData& U32(uint32_t v) { return Int(v, 4); }
  UserData& U64(uint64_t v) { return Int(v, 8); }
  UserData& Wide(const std::u16string& s) {
    for (char16_t c : s) Int(c, 2);
    return Int(0, 2);
  }
  const std::vector<uint8_t>& Bytes() const { return bytes_; }

 private:
  UserData& Int(uint64_t v, int n) {
    for (int i = 0; i < n; i++) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  bool pointer64_;
  std::vector<uint8_t> bytes_;
};

static const uint64_t kIrp = 0xffffa001'00001000ull;

static UserData CreateData(uint64_t object, uint32_t disposition, uint32_t options, const std::u16string& name, bool pointer64 = true) {
  UserData d(pointer64);
  d.Ptr(kIrp + object).Ptr(object).U32(4242).U32((disposition << 24) | options).U32(0x80).U32(7).Wide(name);
  return d;
}

static UserData OpEndData(uint64_t object, uint32_t status) {  // OperationEnd of the create of `object`
  UserData d;
  d.Ptr(kIrp + object).Ptr(1).U32(status);
  return d;
}

static UserData ObjectData(uint64_t object) {  // Cleanup / Close
  UserData d;
  d.Ptr(kIrp).Ptr(object).Ptr(0xffffc001'00000001ull).U32(4242);
  return d;
}

static UserData InfoData(uint64_t object, uint32_t infoClass, const std::u16string* path = nullptr) {
  UserData d;
  d.Ptr(kIrp).Ptr(object).Ptr(0xffffc001'00000001ull).Ptr(0).U32(4242).U32(infoClass);
  if (path != nullptr) d.Wide(*path);
  return d;
}

static UserData WriteData(uint64_t object) {
  UserData d;
  d.U64(4096).Ptr(kIrp).Ptr(object).Ptr(0xffffc001'00000001ull).U32(4242).U32(512).U32(0).U32(0);
  return d;
}

static FileIo Parse(uint16_t id, const UserData& d, bool pointer64 = true) {
  FileIo io;
  const ParseStatus st = ParseKernelFile(id, 1, pointer64, d.Bytes().data(), d.Bytes().size(), &io);
  CHECK(st == ParseStatus::kOk);
  io.pid = 900;
  io.timestamp = 134000000000000000ull + id;
  return io;
}

static void TestKernelFileParse() {
  const std::u16string name = u"\\Device\\HarddiskVolume3\\Users\\ana\\.aws\\credentials";
  FileIo io = Parse(kFileCreate, CreateData(0xffff8001'23456780ull, kOpenIf, kFileDeleteOnClose, name));
  CHECK(io.fileObject == 0xffff8001'23456780ull && io.tid == 4242 && io.irp == kIrp + 0xffff8001'23456780ull);
  CHECK(io.createOptions >> 24 == kOpenIf && (io.createOptions & kFileDeleteOnClose) != 0);
  CHECK(io.path == "\\Device\\HarddiskVolume3\\Users\\ana\\.aws\\credentials");
  // 32-bit kernel: 4-byte pointers.
  io = Parse(kFileCreate, CreateData(0x81234560u, kOpen, 0, u"\\Device\\HarddiskVolume1\\a.txt", false), false);
  CHECK(io.fileObject == 0x81234560u && io.path == "\\Device\\HarddiskVolume1\\a.txt");
  // Non-ASCII names: BMP characters and a surrogate pair; an unpaired surrogate becomes U+FFFD.
  io = Parse(kFileCreate, CreateData(1, kCreate, 0, u"C:\\Users\\J\u00fcrgen\\\u65e5\u672c.txt\U0001F600"));
  CHECK(io.path == "C:\\Users\\J\xc3\xbcrgen\\\xe6\x97\xa5\xe6\x9c\xac.txt\xf0\x9f\x98\x80");
  std::u16string lone = u"x";
  lone.push_back(static_cast<char16_t>(0xd800));
  lone += u"y";
  io = Parse(kFileCreate, CreateData(1, kCreate, 0, lone));
  CHECK(io.path == "x\xef\xbf\xbdy");
  // A 32k-character path (the NT limit) comes through whole.
  std::u16string longName = u"\\Device\\HarddiskVolume3\\";
  while (longName.size() < 32760) longName += u"deep\\";
  io = Parse(kFileCreate, CreateData(2, kOpen, 0, longName));
  CHECK(io.path.size() == longName.size());
  const std::u16string renamed = u"\\Device\\HarddiskVolume3\\b.txt";
  io = Parse(kFileRenamePath, InfoData(3, 10, &renamed));
  CHECK(io.fileObject == 3 && io.infoClass == 10 && io.path == "\\Device\\HarddiskVolume3\\b.txt");
  io = Parse(kFileWrite, WriteData(4));
  CHECK(io.fileObject == 4 && io.tid == 4242);
  io = Parse(kFileClose, ObjectData(5));
  CHECK(io.fileObject == 5);
  io = Parse(kFileOperationEnd, OpEndData(6, 0xc0000034u));
  CHECK(io.irp == kIrp + 6 && io.status == 0xc0000034u);
  // Truncated data and version 0 are refused, never read past the end.
  FileIo bad;
  UserData shortData;
  shortData.Ptr(kIrp).U32(1);
  CHECK(ParseKernelFile(kFileCreate, 1, true, shortData.Bytes().data(), shortData.Bytes().size(), &bad) == ParseStatus::kTruncated);
  CHECK(ParseKernelFile(kFileCreate, 0, true, shortData.Bytes().data(), shortData.Bytes().size(), &bad) == ParseStatus::kUnsupportedVersion);
  CHECK(ParseKernelFile(15, 1, true, shortData.Bytes().data(), shortData.Bytes().size(), &bad) == ParseStatus::kNotRead);
}

static std::string ToDos(const std::string& nt) {
  const std::string volume = "\\Device\\HarddiskVolume3\\";
  if (nt.compare(0, volume.size(), volume) == 0) return "C:\\" + nt.substr(volume.size());
  return "";
}

static FileTracker Tracker(size_t capacity = 64) {
  FileTracker t(capacity, 64);
  SensitivePattern cred;
  cred.field = 'p';
  cred.value = "C:\\Users\\*\\.aws\\credentials";
  cred.wildcard = true;
  cred.insensitive = true;
  SensitivePattern key;
  key.field = 'e';
  key.value = "pem";
  SensitivePattern exact;
  exact.field = 'n';
  exact.value = "id_*";  // exact: the star is a character
  t.Reset({cred, key, exact}, ToDos);
  return t;
}

static std::vector<FileChange> Feed(FileTracker& t, std::vector<FileIo> events) {
  std::vector<FileChange> out;
  for (const FileIo& io : events) t.Handle(io, &out);
  return out;
}

static const std::u16string kDoc = u"\\Device\\HarddiskVolume3\\Users\\ana\\doc.txt";

static void TestFileTrackerDispositions() {
  // Each disposition, opened then written, cleaned up and closed.
  const char* expected[] = {"overwrite", "modification", "modification", "modification", "overwrite", "overwrite"};
  for (uint32_t disposition = kSupersede; disposition <= kOverwriteIf; disposition++) {
    FileTracker t = Tracker();
    const uint64_t object = 100 + disposition;
    std::vector<FileChange> out = Feed(t, {Parse(kFileCreate, CreateData(object, disposition, 0, kDoc)), Parse(kFileWrite, WriteData(object)),
                                           Parse(kFileCleanup, ObjectData(object)), Parse(kFileClose, ObjectData(object))});
    CHECK(out.size() == 1 && std::string(FileActionName(out[0].action)) == expected[disposition]);
    CHECK(out.size() == 1 && out[0].path == "C:\\Users\\ana\\doc.txt" && out[0].pid == 900 && out[0].tid == 4242);
    CHECK(t.Stats().tracked == 0);
  }
  // A create that made the file: one creation, no modification for its writes.
  FileTracker t = Tracker();
  std::vector<FileChange> out = Feed(t, {Parse(kFileCreate, CreateData(7, kOverwriteIf, 0, kDoc)), Parse(kFileCreateNewFile, CreateData(7, kOverwriteIf, 0, kDoc)),
                                         Parse(kFileWrite, WriteData(7)), Parse(kFileCleanup, ObjectData(7)), Parse(kFileClose, ObjectData(7))});
  CHECK(out.size() == 1 && out[0].action == FileAction::kCreation && out[0].eventId == kFileCreateNewFile);
  // Opened and never written: nothing (a read-only open of a path no pattern names).
  out = Feed(t, {Parse(kFileCreate, CreateData(8, kOpen, 0, kDoc)), Parse(kFileCleanup, ObjectData(8)), Parse(kFileClose, ObjectData(8))});
  CHECK(out.empty() && t.Stats().opensNotSensitive == 1);
  // Directories and paths on no drive are not tracked.
  out = Feed(t, {Parse(kFileCreate, CreateData(9, kCreate, kFileDirectoryFile, kDoc)), Parse(kFileCreate, CreateData(10, kOpen, 0, u"\\Device\\NamedPipe\\x"))});
  CHECK(out.empty() && t.Stats().directories == 1 && t.Stats().offDisk == 1);
}

static void TestFileTrackerRenameDelete() {
  FileTracker t = Tracker();
  const std::u16string to = u"\\Device\\HarddiskVolume3\\Users\\ana\\Archive\\doc-\u00e9t\u00e9.txt";
  std::vector<FileChange> out = Feed(t, {Parse(kFileCreate, CreateData(20, kOpen, 0, kDoc)), Parse(kFileRename, InfoData(20, 10)),
                                         Parse(kFileRenamePath, InfoData(20, 10, &to)), Parse(kFileCleanup, ObjectData(20)), Parse(kFileClose, ObjectData(20))});
  CHECK(out.size() == 1 && out[0].action == FileAction::kRename);
  CHECK(out.size() == 1 && out[0].path == "C:\\Users\\ana\\Archive\\doc-\xc3\xa9t\xc3\xa9.txt" && out[0].originalPath == "C:\\Users\\ana\\doc.txt");
  // Delete on close: reported at cleanup, once.
  out = Feed(t, {Parse(kFileCreate, CreateData(21, kOpen, kFileDeleteOnClose, kDoc)), Parse(kFileCleanup, ObjectData(21)), Parse(kFileClose, ObjectData(21))});
  CHECK(out.size() == 1 && out[0].action == FileAction::kDeletion && out[0].eventId == kFileCleanup);
  // SetDelete then DeletePath: one deletion, from DeletePath, none at cleanup.
  out = Feed(t, {Parse(kFileCreate, CreateData(22, kOpen, 0, kDoc)), Parse(kFileSetDelete, InfoData(22, kFileDispositionInformationEx)),
                 Parse(kFileDeletePath, InfoData(22, kFileDispositionInformationEx, &kDoc)), Parse(kFileCleanup, ObjectData(22)), Parse(kFileClose, ObjectData(22))});
  CHECK(out.size() == 1 && out[0].action == FileAction::kDeletion && out[0].eventId == kFileDeletePath);
  // Truncation through SetInformation(EndOfFile) is a modification.
  out = Feed(t, {Parse(kFileCreate, CreateData(23, kOpen, 0, kDoc)), Parse(kFileSetInformation, InfoData(23, kFileEndOfFileInformation)), Parse(kFileClose, ObjectData(23))});
  CHECK(out.size() == 1 && out[0].action == FileAction::kModification);
  // A DeletePath of an object opened before the session still names its file.
  out = Feed(t, {Parse(kFileDeletePath, InfoData(24, kFileDispositionInformation, &kDoc))});
  CHECK(out.size() == 1 && out[0].action == FileAction::kDeletion && out[0].path == "C:\\Users\\ana\\doc.txt");
  // Writes to an unknown object are counted, not reported.
  out = Feed(t, {Parse(kFileWrite, WriteData(25))});
  CHECK(out.empty() && t.Stats().untracked >= 2);
}

static void TestFileTrackerSensitiveOpens() {
  FileTracker t = Tracker();
  const std::u16string cred = u"\\Device\\HarddiskVolume3\\Users\\Ana\\.AWS\\Credentials";
  // Reported when OperationEnd gives the status: success, then a repeat by the same process (not reported).
  std::vector<FileChange> out = Feed(t, {Parse(kFileCreate, CreateData(30, kOpen, 0, cred))});
  CHECK(out.empty() && t.Stats().pendingOpens == 1);
  out = Feed(t, {Parse(kFileOperationEnd, OpEndData(30, 0)), Parse(kFileClose, ObjectData(30)),
                 Parse(kFileCreate, CreateData(31, kOpen, 0, cred)), Parse(kFileOperationEnd, OpEndData(31, 0)), Parse(kFileClose, ObjectData(31))});
  CHECK(out.size() == 1 && out[0].action == FileAction::kOpen && out[0].path == "C:\\Users\\Ana\\.AWS\\Credentials" && out[0].status == 0);
  CHECK(t.Stats().opensRepeated == 1 && t.Stats().pendingOpens == 0);
  // A failed open (STATUS_OBJECT_NAME_NOT_FOUND) carries its status.
  FileTracker other = Tracker();
  out = Feed(other, {Parse(kFileCreate, CreateData(36, kOpen, 0, cred)), Parse(kFileOperationEnd, OpEndData(36, 0xc0000034u))});
  CHECK(out.size() == 1 && out[0].status == static_cast<int32_t>(0xc0000034u));
  // Completions of other IRPs are ignored cheaply.
  out = Feed(t, {Parse(kFileOperationEnd, OpEndData(999, 0))});
  CHECK(out.empty());
  out = Feed(t, {Parse(kFileCreate, CreateData(32, kOpen, 0, u"\\Device\\HarddiskVolume3\\k\\server.pem")),
                 Parse(kFileCreate, CreateData(33, kOpen, 0, u"\\Device\\HarddiskVolume3\\k\\server.PEM")),
                 Parse(kFileCreate, CreateData(34, kOpen, 0, u"\\Device\\HarddiskVolume3\\k\\id_*")),
                 Parse(kFileCreate, CreateData(35, kOpen, 0, u"\\Device\\HarddiskVolume3\\k\\id_rsa")),
                 Parse(kFileOperationEnd, OpEndData(32, 0)), Parse(kFileOperationEnd, OpEndData(33, 0)),
                 Parse(kFileOperationEnd, OpEndData(34, 0)), Parse(kFileOperationEnd, OpEndData(35, 0))});
  CHECK(out.size() == 2 && out[0].path == "C:\\k\\server.pem" && out[1].path == "C:\\k\\id_*");  // case-sensitive extension; literal star
  // Waiting opens are bounded: the oldest goes first, counted.
  FileTracker small(64, 16);
  SensitivePattern all;
  all.field = 'n';
  all.value = "*";
  all.wildcard = true;
  small.Reset({all}, ToDos);
  for (uint64_t object = 1; object <= 100; object++) {
    std::u16string name = kDoc;
    for (char c : std::to_string(object)) name.push_back(static_cast<char16_t>(c));
    small.Handle(Parse(kFileCreate, CreateData(object, kOpen, 0, name)), &out);
  }
  CHECK(small.Stats().pendingOpens == 16 && small.Stats().pendingEvicted == 84);
  CHECK(WildcardMatch("*.aws\\cred*", "C:\\x\\.aws\\credentials", false));
  CHECK(!WildcardMatch("a?c", "abbc", false) && WildcardMatch("a*c", "abbc", false) && WildcardMatch("*", "", false));
}

static void TestFileTrackerBounds() {
  FileTracker t = Tracker(4);
  std::vector<FileChange> out;
  for (uint64_t object = 1; object <= 1000; object++) t.Handle(Parse(kFileCreate, CreateData(object, kOpen, 0, kDoc)), &out);
  FileTrackerStats s = t.Stats();
  CHECK(s.tracked == 4 && s.evicted == 996 && s.trackedHighWater == 4);
  t.Handle(Parse(kFileWrite, WriteData(1)), &out);  // evicted: untracked, counted
  CHECK(out.empty() && t.Stats().untracked == 1);
  t.Handle(Parse(kFileWrite, WriteData(1000)), &out);
  t.Handle(Parse(kFileClose, ObjectData(1000)), &out);
  CHECK(out.size() == 1 && out[0].action == FileAction::kModification);
}

int main() {
  TestIpFormat();
  TestRecordQueue();
  TestPidTable();
  TestUdpFlowTable();
  TestValueHelpers();
  TestCommandLineCache();
  TestKernelFileParse();
  TestFileTrackerDispositions();
  TestFileTrackerRenameDelete();
  TestFileTrackerSensitiveOpens();
  TestFileTrackerBounds();
  std::printf("%d checks, %d failures\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
