/*
 * vigil_line_scan: the per-byte work of `vigil hunt` on NDJSON lines, in C (src/eql/native-line-scan.ts loads
 * it; without it the same work is done in JavaScript, with the same results):
 *
 *   validLines(buf, offsets, n, sel, out)  for each line i with sel[i] == 0: out[i] = 1 when
 *       buf[offsets[2i], offsets[2i+1]) is one JSON object JSON.parse accepts, nested at most 64 levels
 *       (exactly what `LineProjector#valid` accepts), else 0. Lines with sel[i] != 0 are left alone.
 *   compileTexts(spec)                      a searcher for a set of texts (see `compile_texts`).
 *   markLines(searcher, buf, offsets, n, out)  out[i] = 1 for each line holding one of the texts.
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
 * Text search. A searcher holds texts, each: bytes, ASCII case-insensitive or not, and "not a key" (after the
 * text, past spaces and tabs, no ':'). A line is marked when a text stands anywhere in it (as a whole).
 *
 * Texts of 3 bytes or more are found through their 2-byte grams: the line is probed every `stride` bytes
 * (stride = shortest such text - 1), and the grams at offsets 0 .. stride-1 of every text are in a bitmap,
 * so every occurrence has one probed gram; a probe whose gram is in the bitmap verifies the texts registered
 * for it. Grams are folded (| 0x20) so case-insensitive texts share them; verification is exact. Shorter
 * texts (2 bytes: `\u`; and the UTF-8 of characters that fold into ASCII, all starting with a byte >= 0x80)
 * and 1-byte texts are found by a byte scan instead.
 * ------------------------------------------------------------------------------------------------------ */

typedef struct {
  uint8_t *bytes;
  int len;
  int ci;
  int not_key;
} text_t;

typedef struct {
  int text;
  int offset;
} probe_t;

typedef struct {
  text_t *texts;
  int count;
  int stride;
  uint8_t gram_bits[65536 / 8];
  /* Per gram: probes[first[g] .. first[g + 1]). */
  int32_t *first;
  probe_t *probes;
  /* Short texts (< 3 bytes): found at bytes whose `short_lead` entry is set. */
  uint8_t short_lead[256];
  int *shorts;
  int short_count;
} searcher_t;

static inline uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c; }
static inline unsigned gram(const uint8_t *p) { return ((unsigned)(p[0] | 0x20) << 8) | (unsigned)(p[1] | 0x20); }

static int text_at(const text_t *t, const uint8_t *b, long q, long e) {
  if (q + t->len > e) return 0;
  const uint8_t *p = b + q;
  if (t->ci) {
    for (int k = 0; k < t->len; k++) if (lower(p[k]) != t->bytes[k]) return 0;
  } else if (memcmp(p, t->bytes, (size_t)t->len) != 0) {
    return 0;
  }
  if (t->not_key) {
    long i = q + t->len;
    while (i < e && (b[i] == ' ' || b[i] == '\t')) i++;
    if (i < e && b[i] == ':') return 0;
  }
  return 1;
}

static int line_has_text(const searcher_t *sr, const uint8_t *b, long s, long e) {
  if (sr->short_count > 0) {
    for (long p = s; p < e; p++) {
      if (!sr->short_lead[b[p]]) continue;
      for (int k = 0; k < sr->short_count; k++) if (text_at(&sr->texts[sr->shorts[k]], b, p, e)) return 1;
    }
  }
  if (sr->stride == 0) return 0;
  const int stride = sr->stride;
  for (long p = s; p + 1 < e; p += stride) {
    unsigned g = gram(b + p);
    if (!(sr->gram_bits[g >> 3] & (1u << (g & 7)))) continue;
    for (int32_t k = sr->first[g]; k < sr->first[g + 1]; k++) {
      const probe_t pr = sr->probes[k];
      long q = p - pr.offset;
      if (q >= s && text_at(&sr->texts[pr.text], b, q, e)) return 1;
    }
  }
  return 0;
}

static void free_searcher(searcher_t *sr) {
  if (sr == NULL) return;
  for (int i = 0; i < sr->count; i++) free(sr->texts[i].bytes);
  free(sr->texts);
  free(sr->first);
  free(sr->probes);
  free(sr->shorts);
  free(sr);
}

/*
 * spec: a sequence of records [flags u8][len u32 little-endian][bytes]; flags bit 0: ASCII case-insensitive,
 * bit 1: not a key. Returns NULL on a malformed spec or no memory.
 */
static searcher_t *compile_texts(const uint8_t *spec, size_t size) {
  searcher_t *sr = calloc(1, sizeof(searcher_t));
  if (sr == NULL) return NULL;
  int cap = 0;
  size_t at = 0;
  while (at < size) {
    if (size - at < 5) goto fail;
    uint8_t flags = spec[at];
    uint32_t len = (uint32_t)spec[at + 1] | (uint32_t)spec[at + 2] << 8 | (uint32_t)spec[at + 3] << 16 | (uint32_t)spec[at + 4] << 24;
    at += 5;
    if (len == 0 || len > size - at || len > (1u << 20)) goto fail;
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
    for (uint32_t k = 0; k < len; k++) t->bytes[k] = t->ci ? lower(spec[at + k]) : spec[at + k];
    at += len;
  }
  int min_long = 0;
  sr->shorts = malloc(sizeof(int) * (size_t)(sr->count + 1));
  if (sr->shorts == NULL) goto fail;
  for (int i = 0; i < sr->count; i++) {
    text_t *t = &sr->texts[i];
    if (t->len < 3) {
      sr->shorts[sr->short_count++] = i;
      uint8_t c = t->bytes[0];
      sr->short_lead[c] = 1;
      if (t->ci) sr->short_lead[c >= 'a' && c <= 'z' ? c - 0x20 : c] = 1;
    } else if (min_long == 0 || t->len < min_long) {
      min_long = t->len;
    }
  }
  sr->stride = min_long == 0 ? 0 : min_long - 1;
  sr->first = calloc(65536 + 1, sizeof(int32_t));
  if (sr->first == NULL) goto fail;
  if (sr->stride > 0) {
    /* Count the probes per gram, then place them (first[] as prefix sums). */
    int total = 0;
    for (int i = 0; i < sr->count; i++) {
      const text_t *t = &sr->texts[i];
      if (t->len < 3) continue;
      for (int o = 0; o < sr->stride; o++) {
        sr->first[gram(t->bytes + o) + 1]++;
        total++;
      }
    }
    for (int g = 0; g < 65536; g++) sr->first[g + 1] += sr->first[g];
    sr->probes = malloc(sizeof(probe_t) * (size_t)(total > 0 ? total : 1));
    int32_t *fill = malloc(sizeof(int32_t) * 65536);
    if (sr->probes == NULL || fill == NULL) {
      free(fill);
      goto fail;
    }
    memcpy(fill, sr->first, sizeof(int32_t) * 65536);
    for (int i = 0; i < sr->count; i++) {
      const text_t *t = &sr->texts[i];
      if (t->len < 3) continue;
      for (int o = 0; o < sr->stride; o++) {
        unsigned g = gram(t->bytes + o);
        sr->gram_bits[g >> 3] |= (uint8_t)(1u << (g & 7));
        sr->probes[fill[g]++] = (probe_t){ i, o };
      }
    }
    free(fill);
  }
  return sr;
fail:
  free_searcher(sr);
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
    if (l.out[i] == 0 && line_has_text(sr, l.buf, l.offsets[2 * i], l.offsets[2 * i + 1])) l.out[i] = 1;
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "validLines", NULL, valid_lines, NULL, NULL, NULL, napi_enumerable, NULL },
    { "compileTexts", NULL, compile_texts_js, NULL, NULL, NULL, napi_enumerable, NULL },
    { "markLines", NULL, mark_lines, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
