/*
 * vigil_line_scan: the per-byte work of `vigil hunt` on NDJSON lines, in C (src/eql/native-line-scan.ts loads
 * it; without it the same work is done in JavaScript, with the same results):
 *
 *   validLines(buf, offsets, n, sel, out)  for each line i with sel[i] == 0: out[i] = 1 when
 *       buf[offsets[2i], offsets[2i+1]) is one JSON object JSON.parse accepts, nested at most 64 levels
 *       (exactly what `LineProjector#valid` accepts), else 0. Lines with sel[i] != 0 are left alone.
 *   compileTexts(spec)                      a searcher for sets of texts (see `compile_texts`).
 *   markLines(searcher, buf, offsets, n, out)  out[i] = 1 for each line the searcher marks.
 *
 * offsets is an Int32Array of 2n byte offsets into buf (start, end of each line). Nothing here allocates per
 * line or keeps a reference to its arguments.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <tmmintrin.h>
#define HAVE_TEDDY 1
#endif

#define MAX_DEPTH 64

/* ---------------------------------------------------------------------------------------------------------
 * JSON grammar check (RFC 8259 on bytes; bytes >= 0x80 allowed inside strings, as decoding makes U+FFFD).
 * Every function returns the index after what it read, or -1. All reads stay below `e`.
 * ------------------------------------------------------------------------------------------------------ */

static inline int is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static inline int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static inline int is_hex(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
/* Ends the plain run of a string: a control character, the quote, the backslash. */
static inline int is_stop(uint8_t c) { return c < 0x20 || c == '"' || c == '\\'; }

static inline long skip_ws(const uint8_t *B, long E, long i) {
  while (i < E && is_ws(B[i])) i++;
  return i;
}

/* From just after the opening quote to just after the closing one. */
static long skip_string(const uint8_t *b, long e, long i) {
  for (;;) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i slash = _mm_set1_epi8('\\');
    const __m128i ctl = _mm_set1_epi8(0x1f);
    while (i + 16 <= e) {
      __m128i x = _mm_loadu_si128((const __m128i *)(b + i));
      __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, slash)),
                                  _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl));
      int mask = _mm_movemask_epi8(stop);
      if (mask != 0) {
        i += __builtin_ctz((unsigned)mask);
        goto stopped;
      }
      i += 16;
    }
#endif
    while (i < e && !is_stop(b[i])) i++;
#if defined(__SSE2__)
  stopped:
#endif
    if (i >= e) return -1;
    uint8_t c = b[i++];
    if (c == '"') return i;
    if (c != '\\') return -1;
    if (i >= e) return -1;
    uint8_t x = b[i++];
    if (x == 'u') {
      if (i + 4 > e || !is_hex(b[i]) || !is_hex(b[i + 1]) || !is_hex(b[i + 2]) || !is_hex(b[i + 3])) return -1;
      i += 4;
    } else if (!(x == '"' || x == '\\' || x == '/' || x == 'b' || x == 'f' || x == 'n' || x == 'r' || x == 't')) {
      return -1;
    }
  }
}

static inline long skip_digits(const uint8_t *B, long E, long i) {
  while (i < E && is_digit(B[i])) i++;
  return i;
}

static long skip_number(const uint8_t *B, long E, long i) {
  if (B[i] == '-') i++;
  if (i >= E) return -1;
  uint8_t c = B[i];
  if (c == '0') i++;
  else if (c >= '1' && c <= '9') i = skip_digits(B, E, i + 1);
  else return -1;
  if (i < E && B[i] == '.') {
    if (i + 1 >= E || !is_digit(B[i + 1])) return -1;
    i = skip_digits(B, E, i + 1);
  }
  if (i < E && (B[i] == 'e' || B[i] == 'E')) {
    i++;
    if (i < E && (B[i] == '+' || B[i] == '-')) i++;
    if (i >= E || !is_digit(B[i])) return -1;
    i = skip_digits(B, E, i);
  }
  return i;
}

static inline long skip_word(const uint8_t *B, long E, long i, const char *w, long len) {
  if (i + len > E || memcmp(B + i, w, (size_t)len) != 0) return -1;
  return i + len;
}

static long skip_object(const uint8_t *B, long E, long i, int d);
static long skip_array(const uint8_t *B, long E, long i, int d);

/* One value at i (i < E, no leading space); d is the depth of the container holding it. */
static long skip_value(const uint8_t *B, long E, long i, int d) {
  switch (B[i]) {
    case '"': return skip_string(B, E, i + 1);
    case '{': return skip_object(B, E, i, d + 1);
    case '[': return skip_array(B, E, i, d + 1);
    case 't': return skip_word(B, E, i, "true", 4);
    case 'f': return skip_word(B, E, i, "false", 5);
    case 'n': return skip_word(B, E, i, "null", 4);
    default: return skip_number(B, E, i);
  }
}

static long skip_object(const uint8_t *B, long E, long i, int d) {
  if (d > MAX_DEPTH) return -1;
  i = skip_ws(B, E, i + 1);
  if (i >= E) return -1;
  if (B[i] == '}') return i + 1;
  for (;;) {
    if (B[i] != '"') return -1;
    i = skip_string(B, E, i + 1);
    if (i < 0) return -1;
    i = skip_ws(B, E, i);
    if (i >= E || B[i] != ':') return -1;
    i = skip_ws(B, E, i + 1);
    if (i >= E) return -1;
    i = skip_value(B, E, i, d);
    if (i < 0) return -1;
    i = skip_ws(B, E, i);
    if (i >= E) return -1;
    uint8_t c = B[i];
    if (c == '}') return i + 1;
    if (c != ',') return -1;
    i = skip_ws(B, E, i + 1);
    if (i >= E) return -1;
  }
}

static long skip_array(const uint8_t *B, long E, long i, int d) {
  if (d > MAX_DEPTH) return -1;
  i = skip_ws(B, E, i + 1);
  if (i >= E) return -1;
  if (B[i] == ']') return i + 1;
  for (;;) {
    i = skip_value(B, E, i, d);
    if (i < 0) return -1;
    i = skip_ws(B, E, i);
    if (i >= E) return -1;
    uint8_t c = B[i];
    if (c == ']') return i + 1;
    if (c != ',') return -1;
    i = skip_ws(B, E, i + 1);
    if (i >= E) return -1;
  }
}

static int valid_line(const uint8_t *B, long s, long E) {
  long i = skip_ws(B, E, s);
  if (i >= E || B[i] != '{') return 0;
  long j = skip_object(B, E, i, 1);
  return j >= 0 && skip_ws(B, E, j) == E;
}

/* ---------------------------------------------------------------------------------------------------------
 * Text search. A searcher holds texts, each: bytes, ASCII case-insensitive or not, "not a key" (after the
 * text, past spaces and tabs, no ':'), a leaf number, and whether it forces: a line holding a forcing text
 * is marked; any other line is marked when the searcher's condition holds on it, a formula of `and`, `or`,
 * true, false and leaves, a leaf true when the line holds one of its texts (anywhere, as a whole). The
 * condition is a postfix program: LEAF n, AND k / OR k (of the k values on top), TRUE, FALSE.
 *
 * Texts are found three ways, each probe checked against a bitmap of 4-byte hashes (bytes folded with
 * | 0x20, so case-insensitive texts share them; every candidate is verified exactly):
 * - texts starting with a quote (string values: `"curl"`), 4 bytes or more: probed at each quote of the line,
 *   found 16 bytes at a time;
 * - other texts of 4 bytes or more starting with an ASCII byte: probed every `stride` bytes (shortest such
 *   text - 3), with the hashes of every text at offsets 0 .. stride-1, so every occurrence has one probe;
 * - the rest (shorter texts; those starting with a byte >= 0x80, as the UTF-8 of characters that fold into
 *   ASCII; `\u`): a byte scan, 16 bytes at a time when they all start with a backslash or a byte >= 0x80.
 * ------------------------------------------------------------------------------------------------------ */

#define MAX_LEAVES 1024
#define MAX_OPS 8192
enum { OP_LEAF, OP_AND, OP_OR, OP_TRUE, OP_FALSE };

typedef struct {
  uint8_t *bytes;
  int len;
  int ci;
  int not_key;
  int forcing;
  int leaf;
  /* The first 4 bytes | 0x20 (texts of 4 bytes or more): a cheap first test before the exact one. */
  uint32_t head;
} text_t;

typedef struct {
  int text;
  int offset;
} probe_t;

/* Probes by hash: bits, then probes[first[h] .. first[h + 1]). */
typedef struct {
  uint8_t bits[65536 / 8];
  int32_t *first;
  probe_t *probes;
  int count;
} table_t;

/*
 * Fingerprints of a family of texts (4 bytes or more), 16 positions at a time: the texts are spread over 8
 * buckets; for each of 4 byte offsets (after the opening quote for quoted texts: offsets 1 to 3), a byte (| 0x20)
 * passes for a bucket when its low nibble and its high nibble are both among that bucket's texts' at that
 * offset (two SSSE3 shuffles). A position where a bucket passes at every offset is a candidate; its bucket's
 * texts are verified there. A superset test: a text's own position always passes.
 */
typedef struct {
  int count;
  int quoted;
  uint8_t lo[4][16];
  uint8_t hi[4][16];
  int *bucket[8];
  int bucket_count[8];
} fingerprints_t;

/* The condition as a tree (evaluated with short cuts): node i's children are kids[first .. first + n). */
typedef struct {
  uint8_t kind;
  uint32_t arg;
  int first;
  int n;
} node_t;

typedef struct {
  text_t *texts;
  int count;
  node_t *nodes;
  int *kids;
  int root;
  uint32_t *ops;
  int op_count;
  /* The condition is an `or` of leaves (or one leaf): the first text found marks the line. */
  int any_marks;
  /* Words of leaf bits in use; whether the condition holds on a line holding no leaf. */
  int leaf_words;
  int empty_holds;
  /* Whether the condition may hold on a line where no quoted text was found. */
  int may_hold_without_quoted;
  /* The leaves of texts not searched yet after the quoted texts, after the loose ones. */
  uint64_t later_than_quoted[MAX_LEAVES / 64];
  uint64_t later_than_loose[MAX_LEAVES / 64];
  /* Bytes (| 0x20) that follow the quote of a quoted text. */
  uint8_t after_quote[256];
  table_t quoted;
  table_t loose;
  int stride;
  /* Where the CPU has SSSE3: the quoted and loose texts found through nibble fingerprints (see `fingerprints`). */
  int simd;
  fingerprints_t quoted_fp;
  fingerprints_t loose_fp;
  uint8_t short_lead[256];
  int *shorts;
  int short_count;
  /* Every short text starts with a backslash or a byte >= 0x80: found 16 bytes at a time. */
  int short_simd;
} searcher_t;

static inline uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c; }
static inline unsigned hash4(const uint8_t *p) {
  uint32_t x;
  memcpy(&x, p, 4);
  return ((x | 0x20202020u) * 0x9e3779b1u) >> 16;
}

static int text_at(const text_t *t, const uint8_t *b, long q, long e) {
  if (q + t->len > e) return 0;
  const uint8_t *p = b + q;
  if (t->ci) {
    for (int k = 0; k < t->len; k++) if (lower(p[k]) != t->bytes[k]) return 0;
  } else {
    for (int k = 0; k < t->len; k++) if (p[k] != t->bytes[k]) return 0;
  }
  if (t->not_key) {
    long i = q + t->len;
    while (i < e && (b[i] == ' ' || b[i] == '\t')) i++;
    if (i < e && b[i] == ':') return 0;
  }
  return 1;
}

/* The state of one line's search: the leaves held so far. */
typedef struct {
  const searcher_t *sr;
  const uint8_t *b;
  long s, e;
  int any;
  uint64_t held[MAX_LEAVES / 64];
  /* The quoted scan saw no backslash and no byte >= 0x80 in the line: no short text can be there. */
  int no_leads;
} line_t;

/* Whether text k stands at q; if so its leaf is held. Returns 1 when that alone marks the line. */
static int try_text(line_t *l, int k, long q) {
  const text_t *t = &l->sr->texts[k];
  uint64_t bit = (uint64_t)1 << (t->leaf & 63);
  uint64_t *word = &l->held[t->leaf >> 6];
  if (t->forcing) return q >= l->s && text_at(t, l->b, q, l->e);
  if ((*word & bit) != 0 || q < l->s || !text_at(t, l->b, q, l->e)) return 0;
  if (l->sr->any_marks) return 1;
  *word |= bit;
  l->any = 1;
  return 0;
}

static int node_holds(const searcher_t *sr, const uint64_t *held, int i) {
  const node_t *n = &sr->nodes[i];
  switch (n->kind) {
    case OP_LEAF: return (int)((held[n->arg >> 6] >> (n->arg & 63)) & 1);
    case OP_TRUE: return 1;
    case OP_FALSE: return 0;
    case OP_AND:
      for (int k = 0; k < n->n; k++) if (!node_holds(sr, held, sr->kids[n->first + k])) return 0;
      return 1;
    default:
      for (int k = 0; k < n->n; k++) if (node_holds(sr, held, sr->kids[n->first + k])) return 1;
      return 0;
  }
}

/* The condition on the leaves held: on the tree when it is shallow, else on the program (no deep recursion). */
static int program_holds(const searcher_t *sr, const uint64_t *held);
static int condition_holds(const searcher_t *sr, const uint64_t *held) {
  return sr->nodes != NULL ? node_holds(sr, held, sr->root) : program_holds(sr, held);
}

/* The program was checked when compiled: it leaves exactly one value. */
static int program_holds(const searcher_t *sr, const uint64_t *held) {
  uint8_t stack[MAX_OPS];
  int top = 0;
  for (int i = 0; i < sr->op_count; i++) {
    uint32_t op = sr->ops[i];
    uint32_t arg = op & 0xffffff;
    switch (op >> 24) {
      case OP_LEAF: stack[top++] = (uint8_t)((held[arg >> 6] >> (arg & 63)) & 1); break;
      case OP_TRUE: stack[top++] = 1; break;
      case OP_FALSE: stack[top++] = 0; break;
      case OP_AND: {
        uint8_t v = 1;
        for (uint32_t k = 0; k < arg; k++) v &= stack[--top];
        stack[top++] = v;
        break;
      }
      default: {
        uint8_t v = 0;
        for (uint32_t k = 0; k < arg; k++) v |= stack[--top];
        stack[top++] = v;
        break;
      }
    }
  }
  return stack[0];
}

static inline int probe(line_t *l, const table_t *t, long p) {
  unsigned h = hash4(l->b + p);
  if (!(t->bits[h >> 3] & (1u << (h & 7)))) return 0;
  for (int32_t k = t->first[h]; k < t->first[h + 1]; k++) {
    if (try_text(l, t->probes[k].text, p - t->probes[k].offset)) return 1;
  }
  return 0;
}

/* The bucket bits a position passes, one byte at a time (block tails). */
static inline unsigned fp_bits(const fingerprints_t *f, const uint8_t *b, long q) {
  unsigned bits = 0xff;
  int first = f->quoted ? 1 : 0;
  if (f->quoted && b[q] != '"') return 0;
  for (int k = 0; k < 4 - first; k++) {
    uint8_t c = (uint8_t)(b[q + first + k] | 0x20);
    bits &= (unsigned)(f->lo[k][c & 15] & f->hi[k][c >> 4]);
  }
  return bits;
}

static int try_text(line_t *l, int k, long q);

static inline int fp_verify(line_t *l, const fingerprints_t *f, unsigned bits, long q) {
  uint32_t head;
  memcpy(&head, l->b + q, 4);
  head |= 0x20202020u;
  while (bits != 0) {
    int j = __builtin_ctz(bits);
    bits &= bits - 1;
    for (int k = 0; k < f->bucket_count[j]; k++) {
      int t = f->bucket[j][k];
      if (l->sr->texts[t].head == head && try_text(l, t, q)) return 1;
    }
  }
  return 0;
}

#if defined(HAVE_TEDDY)
/* The bucket bits of 16 positions for one fingerprint byte offset (the 16 bytes at that offset, folded). */
__attribute__((target("ssse3"), always_inline)) static inline __m128i fp_pass(const uint8_t *at, __m128i lo, __m128i hi) {
  const __m128i nib = _mm_set1_epi8(0x0f);
  __m128i c = _mm_or_si128(_mm_loadu_si128((const __m128i *)at), _mm_set1_epi8(0x20));
  return _mm_and_si128(_mm_shuffle_epi8(lo, _mm_and_si128(c, nib)), _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(c, 4), nib)));
}

/* Verifies the candidates of one block; 1 when the line is marked. */
__attribute__((target("ssse3"))) static int fp_block(line_t *l, const fingerprints_t *f, __m128i r, long p) {
  unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(r, _mm_setzero_si128())) ^ 0xffffu;
  uint8_t bits[16];
  _mm_storeu_si128((__m128i *)bits, r);
  while (mask != 0) {
    int i = __builtin_ctz(mask);
    mask &= mask - 1;
    if (fp_verify(l, f, bits[i], p + i)) return 1;
  }
  return 0;
}

/* The tail of a line, one position at a time. */
static int fp_tail(line_t *l, const fingerprints_t *f, long p) {
  for (; p + 4 <= l->e; p++) {
    unsigned bits = fp_bits(f, l->b, p);
    if (bits != 0 && fp_verify(l, f, bits, p)) return 1;
  }
  return 0;
}

/* Quoted texts: a quote, then 3 fingerprint bytes. */
__attribute__((target("ssse3"))) static int fp_scan_quoted(line_t *l, const fingerprints_t *f) {
  const uint8_t *b = l->b;
  long p = l->s, e = l->e;
  const __m128i quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
  const __m128i lo0 = _mm_loadu_si128((const __m128i *)f->lo[0]), hi0 = _mm_loadu_si128((const __m128i *)f->hi[0]);
  const __m128i lo1 = _mm_loadu_si128((const __m128i *)f->lo[1]), hi1 = _mm_loadu_si128((const __m128i *)f->hi[1]);
  const __m128i lo2 = _mm_loadu_si128((const __m128i *)f->lo[2]), hi2 = _mm_loadu_si128((const __m128i *)f->hi[2]);
  const __m128i slash = _mm_set1_epi8('\\');
  /* On the way: whether the line holds a backslash or a byte >= 0x80 (the leads of the short texts). */
  int leads = 0;
  for (; p + 16 + 3 <= e; p += 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(b + p));
    leads |= _mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, slash)));
    __m128i r = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(x, quote), fp_pass(b + p + 1, lo0, hi0)), _mm_and_si128(fp_pass(b + p + 2, lo1, hi1), fp_pass(b + p + 3, lo2, hi2)));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(r, zero)) == 0xffff) continue;
    if (fp_block(l, f, r, p)) return 1;
  }
  for (long i = p; i < e; i++) leads |= b[i] >= 0x80 || b[i] == '\\';
  l->no_leads = leads == 0;
  return fp_tail(l, f, p);
}

/* Other texts: 4 fingerprint bytes. */
__attribute__((target("ssse3"))) static int fp_scan_loose(line_t *l, const fingerprints_t *f) {
  const uint8_t *b = l->b;
  long p = l->s, e = l->e;
  const __m128i zero = _mm_setzero_si128();
  const __m128i lo0 = _mm_loadu_si128((const __m128i *)f->lo[0]), hi0 = _mm_loadu_si128((const __m128i *)f->hi[0]);
  const __m128i lo1 = _mm_loadu_si128((const __m128i *)f->lo[1]), hi1 = _mm_loadu_si128((const __m128i *)f->hi[1]);
  const __m128i lo2 = _mm_loadu_si128((const __m128i *)f->lo[2]), hi2 = _mm_loadu_si128((const __m128i *)f->hi[2]);
  const __m128i lo3 = _mm_loadu_si128((const __m128i *)f->lo[3]), hi3 = _mm_loadu_si128((const __m128i *)f->hi[3]);
  for (; p + 16 + 3 <= e; p += 16) {
    __m128i r = _mm_and_si128(_mm_and_si128(fp_pass(b + p, lo0, hi0), fp_pass(b + p + 1, lo1, hi1)), _mm_and_si128(fp_pass(b + p + 2, lo2, hi2), fp_pass(b + p + 3, lo3, hi3)));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(r, zero)) == 0xffff) continue;
    if (fp_block(l, f, r, p)) return 1;
  }
  return fp_tail(l, f, p);
}
#endif

static inline int short_at(line_t *l, long p) {
  const searcher_t *sr = l->sr;
  if (!sr->short_lead[l->b[p]]) return 0;
  for (int k = 0; k < sr->short_count; k++) if (try_text(l, sr->shorts[k], p)) return 1;
  return 0;
}

/* Whether the condition can still hold when the leaves in `later` (not searched yet) turn out true. */
static int may_hold(const searcher_t *sr, const line_t *l, const uint64_t *later) {
  uint64_t held[MAX_LEAVES / 64];
  for (int w = 0; w < sr->leaf_words; w++) held[w] = l->held[w] | later[w];
  return condition_holds(sr, held);
}

static int scan_shorts(line_t *l) {
  const searcher_t *sr = l->sr;
  const uint8_t *b = l->b;
  long p = l->s, e = l->e;
#if defined(__SSE2__)
  if (sr->short_simd) {
    const __m128i slash = _mm_set1_epi8('\\');
    for (; p + 16 <= e; p += 16) {
      __m128i x = _mm_loadu_si128((const __m128i *)(b + p));
      unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, slash)));
      while (mask != 0) {
        if (short_at(l, p + __builtin_ctz(mask))) return 1;
        mask &= mask - 1;
      }
    }
  }
#endif
  for (; p < e; p++) if (short_at(l, p)) return 1;
  return 0;
}

/*
 * The texts are searched family by family (quoted, loose, short); between two, when the condition cannot
 * hold whatever the rest holds, only the forcing texts (all short) are still looked for.
 */
static int line_marked(const searcher_t *sr, const uint8_t *b, long s, long e) {
  line_t l;
  l.sr = sr;
  l.b = b;
  l.s = s;
  l.e = e;
  l.any = 0;
  l.no_leads = 0;
  memset(l.held, 0, sizeof(uint64_t) * (size_t)sr->leaf_words);
#if defined(HAVE_TEDDY)
  if (sr->simd && sr->quoted.count > 0) {
    if (fp_scan_quoted(&l, &sr->quoted_fp)) return 1;
  } else
#endif
  if (sr->quoted.count > 0) {
    long p = s;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    for (; p + 16 <= e; p += 16) {
      unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(b + p)), quote));
      while (mask != 0) {
        long q = p + __builtin_ctz(mask);
        if (q + 4 <= e && sr->after_quote[b[q + 1] | 0x20] && probe(&l, &sr->quoted, q)) return 1;
        mask &= mask - 1;
      }
    }
#endif
    for (; p + 4 <= e; p++) if (b[p] == '"' && sr->after_quote[b[p + 1] | 0x20] && probe(&l, &sr->quoted, p)) return 1;
  }
  if (sr->loose.count > 0) {
    if (!sr->any_marks) {
      if (!(l.any ? may_hold(sr, &l, sr->later_than_quoted) : sr->may_hold_without_quoted)) return sr->short_count > 0 && !(l.no_leads && sr->short_simd) && scan_shorts(&l);
    }
#if defined(HAVE_TEDDY)
    if (sr->simd) {
      if (fp_scan_loose(&l, &sr->loose_fp)) return 1;
    } else
#endif
    for (long p = s; p + 4 <= e; p += sr->stride) if (probe(&l, &sr->loose, p)) return 1;
  }
  if (!sr->any_marks && (l.any ? condition_holds(sr, l.held) : sr->empty_holds)) return 1;
  if (sr->short_count == 0 || (l.no_leads && sr->short_simd)) return 0;
  return scan_shorts(&l) || (l.any && condition_holds(sr, l.held));
}

static void free_table(table_t *t) {
  free(t->first);
  free(t->probes);
}

static void free_searcher(searcher_t *sr) {
  if (sr == NULL) return;
  for (int i = 0; i < sr->count; i++) free(sr->texts[i].bytes);
  free(sr->texts);
  free(sr->ops);
  free(sr->nodes);
  free(sr->kids);
  free_table(&sr->quoted);
  free_table(&sr->loose);
  for (int j = 0; j < 8; j++) {
    free(sr->quoted_fp.bucket[j]);
    free(sr->loose_fp.bucket[j]);
  }
  free(sr->shorts);
  free(sr);
}

enum { SHORT, QUOTED, LOOSE };
static int kind_of(const text_t *t) {
  if (t->len < 4 || t->bytes[0] >= 0x80) return SHORT;
  return t->bytes[0] == '"' ? QUOTED : LOOSE;
}

/* Fills a table with the texts of one kind, each at offsets 0 .. offsets-1. Returns 0 when out of memory. */
static int fill_table(searcher_t *sr, table_t *t, int kind, int offsets) {
  t->first = calloc(65536 + 1, sizeof(int32_t));
  if (t->first == NULL) return 0;
  int total = 0;
  for (int i = 0; i < sr->count; i++) {
    if (kind_of(&sr->texts[i]) != kind) continue;
    for (int o = 0; o < offsets; o++) t->first[hash4(sr->texts[i].bytes + o) + 1]++;
    total += offsets;
  }
  for (int h = 0; h < 65536; h++) t->first[h + 1] += t->first[h];
  t->probes = malloc(sizeof(probe_t) * (size_t)(total > 0 ? total : 1));
  int32_t *at = malloc(sizeof(int32_t) * 65536);
  if (t->probes == NULL || at == NULL) {
    free(at);
    return 0;
  }
  memcpy(at, t->first, sizeof(int32_t) * 65536);
  for (int i = 0; i < sr->count; i++) {
    if (kind_of(&sr->texts[i]) != kind) continue;
    for (int o = 0; o < offsets; o++) {
      unsigned h = hash4(sr->texts[i].bytes + o);
      t->bits[h >> 3] |= (uint8_t)(1u << (h & 7));
      t->probes[at[h]++] = (probe_t){ i, o };
    }
  }
  free(at);
  t->count = total;
  return 1;
}

/* The tree of the program, when at most 200 levels deep (else nodes stays NULL: the program is evaluated). */
static void build_tree(searcher_t *sr) {
  int n = sr->op_count;
  node_t *nodes = malloc(sizeof(node_t) * (size_t)n);
  int *kids = malloc(sizeof(int) * (size_t)n);
  int *stack = malloc(sizeof(int) * (size_t)n);
  int *depth = malloc(sizeof(int) * (size_t)n);
  if (nodes == NULL || kids == NULL || stack == NULL || depth == NULL) goto fail;
  int top = 0, used = 0;
  for (int i = 0; i < n; i++) {
    uint32_t op = sr->ops[i];
    nodes[i] = (node_t){ (uint8_t)(op >> 24), op & 0xffffff, 0, 0 };
    depth[i] = 1;
    if (nodes[i].kind == OP_AND || nodes[i].kind == OP_OR) {
      int k = (int)nodes[i].arg;
      nodes[i].first = used;
      nodes[i].n = k;
      /* Children in their written order (the program pushed them left to right). */
      for (int c = 0; c < k; c++) {
        int child = stack[top - k + c];
        kids[used++] = child;
        if (depth[child] + 1 > depth[i]) depth[i] = depth[child] + 1;
      }
      top -= k;
      if (depth[i] > 200) goto fail;
    }
    stack[top++] = i;
  }
  sr->nodes = nodes;
  sr->kids = kids;
  sr->root = stack[0];
  free(stack);
  free(depth);
  return;
fail:
  free(nodes);
  free(kids);
  free(stack);
  free(depth);
}

/* The fingerprints of one family of texts; 0 when out of memory. */
static int fill_fingerprints(searcher_t *sr, fingerprints_t *f, int kind) {
  f->quoted = kind == QUOTED;
  int first = f->quoted ? 1 : 0;
  for (int j = 0; j < 8; j++) {
    f->bucket[j] = malloc(sizeof(int) * (size_t)(sr->count + 1));
    if (f->bucket[j] == NULL) return 0;
  }
  /* Texts in turn over the buckets, those sharing their first fingerprint byte together (fewer false hits). */
  int next = 0;
  for (int i = 0; i < sr->count; i++) {
    const text_t *t = &sr->texts[i];
    if (kind_of(t) != kind) continue;
    int j = -1;
    for (int m = 0; m < i && j < 0; m++) {
      const text_t *u = &sr->texts[m];
      if (kind_of(u) == kind && (u->bytes[first] | 0x20) == (t->bytes[first] | 0x20)) {
        for (int jj = 0; jj < 8 && j < 0; jj++)
          for (int k = 0; k < f->bucket_count[jj]; k++) if (f->bucket[jj][k] == m) j = jj;
      }
    }
    if (j < 0) j = next++ % 8;
    f->bucket[j][f->bucket_count[j]++] = i;
    f->count++;
    for (int k = 0; k < 4 - first; k++) {
      uint8_t c = (uint8_t)(t->bytes[first + k] | 0x20);
      f->lo[k][c & 15] |= (uint8_t)(1u << j);
      f->hi[k][c >> 4] |= (uint8_t)(1u << j);
    }
  }
  return 1;
}

static inline uint32_t u32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * spec: [op count u32][ops, u32 each: kind << 24 | argument]; then per text [flags u8][leaf u16][len u32][bytes];
 * flags bit 0: ASCII case-insensitive, bit 1: not a key, bit 2: forcing. All little-endian. Returns NULL on a
 * malformed spec (a program that does not leave exactly one value, a leaf out of range) or no memory.
 */
static searcher_t *compile_texts(const uint8_t *spec, size_t size) {
  searcher_t *sr = calloc(1, sizeof(searcher_t));
  if (sr == NULL) return NULL;
  if (size < 4) goto fail;
  uint32_t nops = u32le(spec);
  size_t at = 4;
  if (nops == 0 || nops > MAX_OPS || (size - at) / 4 < nops) goto fail;
  sr->ops = malloc(sizeof(uint32_t) * nops);
  if (sr->ops == NULL) goto fail;
  int depth = 0;
  int only_leaves = 1;
  for (uint32_t i = 0; i < nops; i++, at += 4) {
    uint32_t op = u32le(spec + at), arg = op & 0xffffff;
    switch (op >> 24) {
      case OP_LEAF:
        if (arg >= MAX_LEAVES) goto fail;
        if ((int)arg / 64 + 1 > sr->leaf_words) sr->leaf_words = (int)arg / 64 + 1;
        depth++;
        break;
      case OP_TRUE:
      case OP_FALSE:
        only_leaves = 0;
        depth++;
        break;
      case OP_AND:
      case OP_OR:
        if (arg == 0 || (int)arg > depth) goto fail;
        if ((op >> 24) == OP_AND && arg > 1) only_leaves = 0;
        depth -= (int)arg - 1;
        break;
      default: goto fail;
    }
    sr->ops[i] = op;
  }
  if (depth != 1) goto fail;
  sr->op_count = (int)nops;
  sr->any_marks = only_leaves;
  int cap = 0;
  while (at < size) {
    if (size - at < 7) goto fail;
    uint8_t flags = spec[at];
    uint32_t leaf = (uint32_t)spec[at + 1] | (uint32_t)spec[at + 2] << 8;
    uint32_t len = u32le(spec + at + 3);
    at += 7;
    if (len == 0 || len > size - at || len > (1u << 20) || (!(flags & 4) && leaf >= (uint32_t)sr->leaf_words * 64)) goto fail;
    if (sr->count == cap) {
      cap = cap == 0 ? 16 : 2 * cap;
      text_t *grown = realloc(sr->texts, sizeof(text_t) * (size_t)cap);
      if (grown == NULL) goto fail;
      sr->texts = grown;
    }
    text_t *t = &sr->texts[sr->count];
    t->bytes = malloc(len);
    if (t->bytes == NULL) goto fail;
    sr->count++;
    t->len = (int)len;
    t->ci = flags & 1;
    t->not_key = (flags >> 1) & 1;
    t->forcing = (flags >> 2) & 1;
    t->leaf = (int)leaf;
    for (uint32_t k = 0; k < len; k++) t->bytes[k] = t->ci ? lower(spec[at + k]) : spec[at + k];
    t->head = 0;
    if (len >= 4) {
      memcpy(&t->head, t->bytes, 4);
      t->head |= 0x20202020u;
    }
    at += len;
  }
  sr->shorts = malloc(sizeof(int) * (size_t)(sr->count + 1));
  if (sr->shorts == NULL) goto fail;
  int min_loose = 0;
  for (int i = 0; i < sr->count; i++) {
    const text_t *t = &sr->texts[i];
    int kind = kind_of(t);
    if (kind == SHORT) {
      sr->shorts[sr->short_count++] = i;
      uint8_t c = t->bytes[0];
      sr->short_lead[c] = 1;
      if (t->ci && c >= 'a' && c <= 'z') sr->short_lead[c - 0x20] = 1;
    } else if (kind == LOOSE && (min_loose == 0 || t->len < min_loose)) {
      min_loose = t->len;
    }
  }
  sr->stride = min_loose == 0 ? 1 : min_loose - 3;
  sr->short_simd = 1;
  for (int c = 0; c < 0x80; c++) if (sr->short_lead[c] && c != '\\') sr->short_simd = 0;
  if (!fill_table(sr, &sr->quoted, QUOTED, 1) || !fill_table(sr, &sr->loose, LOOSE, sr->stride)) goto fail;
  if (!fill_fingerprints(sr, &sr->quoted_fp, QUOTED) || !fill_fingerprints(sr, &sr->loose_fp, LOOSE)) goto fail;
#if defined(HAVE_TEDDY)
  __builtin_cpu_init();
  sr->simd = __builtin_cpu_supports("ssse3") && getenv("VIGIL_LINE_SCAN_NO_SSSE3") == NULL;
#endif
  build_tree(sr);
  uint64_t none[MAX_LEAVES / 64] = { 0 };
  sr->empty_holds = condition_holds(sr, none);
  for (int i = 0; i < sr->count; i++) {
    const text_t *t = &sr->texts[i];
    int kind = kind_of(t);
    if (kind == QUOTED) sr->after_quote[t->bytes[1] | 0x20] = 1;
    if (t->forcing) continue;
    uint64_t bit = (uint64_t)1 << (t->leaf & 63);
    if (kind != QUOTED) sr->later_than_quoted[t->leaf >> 6] |= bit;
    if (kind == SHORT) sr->later_than_loose[t->leaf >> 6] |= bit;
  }
  sr->may_hold_without_quoted = condition_holds(sr, sr->later_than_quoted);
  return sr;
fail:
  free_searcher(sr);
  return NULL;
}

/* ---------------------------------------------------------------------------------------------------------
 * Projection: the walk of `LineProjector#project` in C. A projector holds the projector's key tree (nodes of
 * entries: a name, whether the value is kept whole, the node below). Walking a line, it writes records that
 * JavaScript turns into the sparse object (src/eql/native-line-scan.ts, `buildProjection`), in order:
 *   VALUE entry s e escaped   the value at [s, e) kept whole (escaped: it holds a backslash)
 *   OBJECT entry / ARRAY entry   an object / array on the way to a path's end (its records follow, then END)
 *   NULL entry                 a scalar where an object is needed
 *   ELEM_OBJECT / ELEM_ARRAY / ELEM_NULL   the same, as the next element of an array
 *   END
 * It gives up (-1) where JavaScript must decide: a syntax error, nesting deeper than 64 levels, a key with an
 * escape in an object it projects, more records than room; the caller then runs the JavaScript projector.
 * ------------------------------------------------------------------------------------------------------ */

enum { R_VALUE = 1, R_OBJECT, R_ARRAY, R_NULL, R_ELEM_OBJECT, R_ELEM_ARRAY, R_ELEM_NULL, R_END };

typedef struct {
  uint8_t *name;
  int len;
  int whole;
  int next; /* node index, -1 */
} pentry_t;

typedef struct {
  int first; /* entries[first .. first + count) */
  int count;
} pnode_t;

typedef struct {
  pnode_t *nodes;
  int node_count;
  pentry_t *entries;
  int entry_count;
} projector_t;

typedef struct {
  const uint8_t *b;
  long e;
  const projector_t *pr;
  int32_t *out;
  long cap;
  long n;
} pwalk_t;

static inline int emit(pwalk_t *w, int32_t op, int32_t a, int32_t x, int32_t y) {
  if (w->n + 4 > w->cap) return 0;
  w->out[w->n++] = op;
  w->out[w->n++] = a;
  w->out[w->n++] = x;
  w->out[w->n++] = y;
  return 1;
}

static long project_object(pwalk_t *w, long i, int d, int node);
static long project_array(pwalk_t *w, long i, int d, int node);

static int find_entry(const pwalk_t *w, int node, long s, long e) {
  const pnode_t *nd = &w->pr->nodes[node];
  long len = e - s;
  for (int k = 0; k < nd->count; k++) {
    const pentry_t *en = &w->pr->entries[nd->first + k];
    if (en->len == len && memcmp(en->name, w->b + s, (size_t)len) == 0) return nd->first + k;
  }
  return -1;
}

static long project_member(pwalk_t *w, long i, int d, int entry) {
  const uint8_t *B = w->b;
  long E = w->e;
  const pentry_t *en = &w->pr->entries[entry];
  if (en->whole) {
    long j = skip_value(B, E, i, d);
    if (j < 0) return -1;
    int escaped = memchr(B + i, '\\', (size_t)(j - i)) != NULL;
    return emit(w, R_VALUE, entry, (int32_t)i, (int32_t)((j << 1) | escaped)) ? j : -1;
  }
  if (B[i] == '{') {
    if (!emit(w, R_OBJECT, entry, 0, 0)) return -1;
    long j = project_object(w, i, d + 1, en->next);
    return j >= 0 && emit(w, R_END, 0, 0, 0) ? j : -1;
  }
  if (B[i] == '[') {
    if (!emit(w, R_ARRAY, entry, 0, 0)) return -1;
    long j = project_array(w, i, d + 1, en->next);
    return j >= 0 && emit(w, R_END, 0, 0, 0) ? j : -1;
  }
  if (!emit(w, R_NULL, entry, 0, 0)) return -1;
  return skip_value(B, E, i, d);
}

static long project_object(pwalk_t *w, long i, int d, int node) {
  const uint8_t *B = w->b;
  long E = w->e;
  if (d > MAX_DEPTH) return -1;
  i = skip_ws(B, E, i + 1);
  if (i >= E) return -1;
  if (B[i] == '}') return i + 1;
  for (;;) {
    if (B[i] != '"') return -1;
    long key = i + 1;
    i = skip_string(B, E, key);
    if (i < 0) return -1;
    if (memchr(B + key, '\\', (size_t)(i - 1 - key)) != NULL) return -1; /* JavaScript decodes it */
    int entry = find_entry(w, node, key, i - 1);
    i = skip_ws(B, E, i);
    if (i >= E || B[i] != ':') return -1;
    i = skip_ws(B, E, i + 1);
    if (i >= E) return -1;
    i = entry < 0 ? skip_value(B, E, i, d) : project_member(w, i, d, entry);
    if (i < 0) return -1;
    i = skip_ws(B, E, i);
    if (i >= E) return -1;
    uint8_t c = B[i];
    if (c == '}') return i + 1;
    if (c != ',') return -1;
    i = skip_ws(B, E, i + 1);
    if (i >= E) return -1;
  }
}

static long project_array(pwalk_t *w, long i, int d, int node) {
  const uint8_t *B = w->b;
  long E = w->e;
  if (d > MAX_DEPTH) return -1;
  i = skip_ws(B, E, i + 1);
  if (i >= E) return -1;
  if (B[i] == ']') return i + 1;
  for (;;) {
    uint8_t c = B[i];
    if (c == '{') {
      if (!emit(w, R_ELEM_OBJECT, 0, 0, 0)) return -1;
      i = project_object(w, i, d + 1, node);
      if (i < 0 || !emit(w, R_END, 0, 0, 0)) return -1;
    } else if (c == '[') {
      if (!emit(w, R_ELEM_ARRAY, 0, 0, 0)) return -1;
      i = project_array(w, i, d + 1, node);
      if (i < 0 || !emit(w, R_END, 0, 0, 0)) return -1;
    } else {
      if (!emit(w, R_ELEM_NULL, 0, 0, 0)) return -1;
      i = skip_value(B, E, i, d);
      if (i < 0) return -1;
    }
    i = skip_ws(B, E, i);
    if (i >= E) return -1;
    c = B[i];
    if (c == ']') return i + 1;
    if (c != ',') return -1;
    i = skip_ws(B, E, i + 1);
    if (i >= E) return -1;
  }
}

/* Records written (a multiple of 4), or -1. */
static long project_line(const projector_t *pr, const uint8_t *b, long s, long e, int32_t *out, long cap) {
  pwalk_t w = { b, e, pr, out, cap, 0 };
  long i = skip_ws(b, e, s);
  if (i >= e || b[i] != '{') return -1;
  long j = project_object(&w, i, 1, 0);
  return j >= 0 && skip_ws(b, e, j) == e ? w.n : -1;
}

static void free_projector(projector_t *pr) {
  if (pr == NULL) return;
  for (int i = 0; i < pr->entry_count; i++) free(pr->entries[i].name);
  free(pr->entries);
  free(pr->nodes);
  free(pr);
}

/*
 * spec: [node count u32] then per node [entry count u32] and per entry [whole u8][next i32][len u32][name],
 * entries numbered in order across nodes; node 0 is the root. Little-endian. NULL when malformed.
 */
static projector_t *compile_projector(const uint8_t *spec, size_t size) {
  projector_t *pr = calloc(1, sizeof(projector_t));
  if (pr == NULL || size < 4) goto fail;
  uint32_t nn = u32le(spec);
  size_t at = 4;
  if (nn == 0 || nn > 65536) goto fail;
  pr->nodes = calloc(nn, sizeof(pnode_t));
  if (pr->nodes == NULL) goto fail;
  pr->node_count = (int)nn;
  int cap = 0;
  for (uint32_t k = 0; k < nn; k++) {
    if (size - at < 4) goto fail;
    uint32_t ne = u32le(spec + at);
    at += 4;
    pr->nodes[k].first = pr->entry_count;
    pr->nodes[k].count = (int)ne;
    for (uint32_t m = 0; m < ne; m++) {
      if (size - at < 9) goto fail;
      int whole = spec[at];
      int32_t next = (int32_t)u32le(spec + at + 1);
      uint32_t len = u32le(spec + at + 5);
      at += 9;
      if (len > size - at || next < -1 || next >= (int32_t)nn || (!whole && next < 0)) goto fail;
      if (pr->entry_count == cap) {
        cap = cap == 0 ? 16 : 2 * cap;
        pentry_t *grown = realloc(pr->entries, sizeof(pentry_t) * (size_t)cap);
        if (grown == NULL) goto fail;
        pr->entries = grown;
      }
      pentry_t *en = &pr->entries[pr->entry_count];
      en->name = malloc(len + 1);
      if (en->name == NULL) goto fail;
      pr->entry_count++;
      memcpy(en->name, spec + at, len);
      en->len = (int)len;
      en->whole = whole;
      en->next = next;
      at += len;
    }
  }
  if (at != size) goto fail;
  return pr;
fail:
  free_projector(pr);
  return NULL;
}

/* ---------------------------------------------------------------------------------------------------------
 * N-API glue.
 * ------------------------------------------------------------------------------------------------------ */

#define CHECK(call)                                        \
  do {                                                     \
    if ((call) != napi_ok) return throw_error(env, #call); \
  } while (0)

static napi_value throw_error(napi_env env, const char *what) {
  napi_throw_error(env, NULL, what);
  return NULL;
}

/* The bytes of a typed array (a Buffer included) of the given type. */
static int bytes_of(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *count) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, count, data, &ab, &offset) != napi_ok || type != want) return 0;
  return 1;
}

/* The arguments shared by validLines and markLines: buf, offsets, n; checked against each other. */
typedef struct {
  const uint8_t *buf;
  size_t buf_len;
  const int32_t *offsets;
  uint32_t n;
  uint8_t *out;
} lines_t;

static int lines_args(napi_env env, napi_value buf, napi_value offsets, napi_value n, napi_value out, lines_t *l) {
  void *data;
  size_t count;
  if (!bytes_of(env, buf, napi_uint8_array, &data, &count)) return 0;
  l->buf = data;
  l->buf_len = count;
  if (!bytes_of(env, offsets, napi_int32_array, &data, &count)) return 0;
  l->offsets = data;
  if (napi_get_value_uint32(env, n, &l->n) != napi_ok || (size_t)l->n * 2 > count) return 0;
  if (!bytes_of(env, out, napi_uint8_array, &data, &count) || count < l->n) return 0;
  l->out = data;
  for (uint32_t i = 0; i < l->n; i++) {
    int32_t s = l->offsets[2 * i], e = l->offsets[2 * i + 1];
    if (s < 0 || e < s || (size_t)e > l->buf_len) return 0;
  }
  return 1;
}

static napi_value valid_lines(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  lines_t l;
  void *sel;
  size_t sel_count;
  if (argc < 5 || !lines_args(env, argv[0], argv[1], argv[2], argv[4], &l) ||
      !bytes_of(env, argv[3], napi_uint8_array, &sel, &sel_count) || sel_count < l.n) {
    return throw_error(env, "validLines(buf, offsets, n, sel, out): bad arguments");
  }
  const uint8_t *s = sel;
  for (uint32_t i = 0; i < l.n; i++) {
    if (s[i] == 0) l.out[i] = (uint8_t)valid_line(l.buf, l.offsets[2 * i], l.offsets[2 * i + 1]);
  }
  return NULL;
}

static void finalize_searcher(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free_searcher(data);
}

static napi_value compile_texts_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *spec;
  size_t size;
  if (argc < 1 || !bytes_of(env, argv[0], napi_uint8_array, &spec, &size)) return throw_error(env, "compileTexts(spec): bad arguments");
  searcher_t *sr = compile_texts(spec, size);
  if (sr == NULL) return throw_error(env, "compileTexts(spec): malformed spec or out of memory");
  napi_value ext;
  if (napi_create_external(env, sr, finalize_searcher, NULL, &ext) != napi_ok) {
    free_searcher(sr);
    return throw_error(env, "compileTexts: napi_create_external");
  }
  return ext;
}

static napi_value mark_lines(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_valuetype type;
  void *sr;
  lines_t l;
  if (argc < 5 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external ||
      napi_get_value_external(env, argv[0], &sr) != napi_ok || !lines_args(env, argv[1], argv[2], argv[3], argv[4], &l)) {
    return throw_error(env, "markLines(searcher, buf, offsets, n, out): bad arguments");
  }
  for (uint32_t i = 0; i < l.n; i++) {
    if (l.out[i] == 0 && line_marked(sr, l.buf, l.offsets[2 * i], l.offsets[2 * i + 1])) l.out[i] = 1;
  }
  return NULL;
}


static void finalize_projector(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free_projector(data);
}

static napi_value compile_projector_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *spec;
  size_t size;
  if (argc < 1 || !bytes_of(env, argv[0], napi_uint8_array, &spec, &size)) return throw_error(env, "compileProjector(spec): bad arguments");
  projector_t *pr = compile_projector(spec, size);
  if (pr == NULL) return throw_error(env, "compileProjector(spec): malformed spec or out of memory");
  napi_value ext;
  if (napi_create_external(env, pr, finalize_projector, NULL, &ext) != napi_ok) {
    free_projector(pr);
    return throw_error(env, "compileProjector: napi_create_external");
  }
  return ext;
}

/* projectLine(projector, buf, s, e, out: Int32Array): the records written, or -1. */
static napi_value project_line_js(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_valuetype type;
  void *pr, *buf, *out;
  size_t buf_len, out_len;
  int32_t s, e;
  if (argc < 5 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external || napi_get_value_external(env, argv[0], &pr) != napi_ok ||
      !bytes_of(env, argv[1], napi_uint8_array, &buf, &buf_len) || napi_get_value_int32(env, argv[2], &s) != napi_ok ||
      napi_get_value_int32(env, argv[3], &e) != napi_ok || !bytes_of(env, argv[4], napi_int32_array, &out, &out_len) ||
      s < 0 || e < s || (size_t)e > buf_len) {
    return throw_error(env, "projectLine(projector, buf, s, e, out): bad arguments");
  }
  napi_value result;
  CHECK(napi_create_int64(env, project_line(pr, buf, s, e, out, (long)out_len), &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "validLines", NULL, valid_lines, NULL, NULL, NULL, napi_enumerable, NULL },
    { "compileTexts", NULL, compile_texts_js, NULL, NULL, NULL, napi_enumerable, NULL },
    { "markLines", NULL, mark_lines, NULL, NULL, NULL, napi_enumerable, NULL },
    { "compileProjector", NULL, compile_projector_js, NULL, NULL, NULL, napi_enumerable, NULL },
    { "projectLine", NULL, project_line_js, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
