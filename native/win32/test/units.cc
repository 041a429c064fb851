// Unit test of the addon's platform-neutral parts (IP text, bounded queue, pid and UDP flow tables, record
// helpers), built with the host compiler and run by test/collectors/win32/native-units.test.ts. The Windows
// parts (ETW, TDH, process queries) cannot run off Windows; these can, so they are tested for real.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "../src/command-line-cache.h"
#include "../src/etw-record.h"
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

int main() {
  TestIpFormat();
  TestRecordQueue();
  TestPidTable();
  TestUdpFlowTable();
  TestValueHelpers();
  TestCommandLineCache();
  std::printf("%d checks, %d failures\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
