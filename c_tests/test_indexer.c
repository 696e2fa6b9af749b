/* IWMIndexer / IWMIndexer2 through the C API (issue 18):
 *  - contract: NULLs (E_POINTER / E_INVALIDARG), a missing file NS_E_FILE_NOT_FOUND
 *    at once (no callback), configure's argument checks, cancel S_OK when idle,
 *    add_ref/release counts;
 *  - a file made by `ffmpeg -f asf` (WMV2, 25 fps, key frame every 25) with its index
 *    stripped: start_indexing calls back WMT_STARTED, rising WMT_INDEX_PROGRESS DWORD
 *    percents up to 100, WMT_CLOSED S_OK; the file then ends with a Simple Index
 *    Object, File Properties give its real size and the seekable flag, and
 *    `ffmpeg -ss 2 -i f -frames:v 1` decodes exactly the source's frame 50;
 *  - configure: a frame-number index (Media Object Index Object, header grown), a
 *    time-code index for a stream without time codes (NS_E_INVALID_REQUEST);
 *  - busy: a second start while the first runs is NS_E_BUSY;
 *  - cancel: from the WMT_STARTED callback → WMT_CLOSED E_ABORT, file byte-identical. */
#include "test_util.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    pthread_mutex_t mu;
    int started, closed, progress_calls, last_pct, bad_order, bad_value;
    HRESULT closed_hr;
    WMIndexer *ix;      /* for cancel_on_start */
    int cancel_on_start;
    int hold; /* the WMT_STARTED callback waits while set (atomic: __atomic builtins) */
} Ctx;

static void on_status(void *p, WMT_STATUS st, HRESULT hr, WMT_ATTR_DATATYPE type, const uint8_t *value, uint32_t size) {
    Ctx *c = p;
    if (st == WMT_STARTED) {
        while (__atomic_load_n(&c->hold, __ATOMIC_ACQUIRE)) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
        if (c->cancel_on_start && wm_indexer_cancel(c->ix) != S_OK) c->bad_value++;
    }
    pthread_mutex_lock(&c->mu);
    switch (st) {
    case WMT_STARTED:
        if (c->started || c->closed || hr != S_OK || value != NULL || size != 0) c->bad_order++;
        c->started++;
        break;
    case WMT_INDEX_PROGRESS: {
        if (!c->started || c->closed || type != WMT_TYPE_DWORD || size != 4 || value == NULL) {
            c->bad_value++;
            break;
        }
        int pct = (int)wm_t_get32(value);
        if (pct > 100 || (c->progress_calls && pct <= c->last_pct)) c->bad_value++;
        c->last_pct = pct;
        c->progress_calls++;
        break;
    }
    case WMT_CLOSED:
        if (!c->started || c->closed || value != NULL || size != 0) c->bad_order++;
        c->closed++;
        c->closed_hr = hr;
        break;
    default:
        c->bad_order++;
    }
    pthread_mutex_unlock(&c->mu);
}

static void reset(Ctx *c) {
    c->started = c->closed = c->progress_calls = c->last_pct = c->bad_order = c->bad_value = 0;
    c->closed_hr = S_OK;
    c->cancel_on_start = 0;
    c->hold = 0;
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_indexer: timed out\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

/* md5 of one decoded frame (an ffmpeg command's raw output). */
static int frame_md5(const char *args, char *out, size_t n) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "ffmpeg -hide_banner -nostdin -v error %s -frames:v 1 -f rawvideo -pix_fmt yuv420p - | md5sum", args);
    return wm_t_run_capture(cmd, out, n);
}

/* The bytes of `file` from the end of its Data Object on. */
static uint64_t data_end(const uint8_t *b, size_t n) {
    if (n < 30) return 0;
    uint64_t hs = wm_t_get64(b + 16);
    if (hs + 50 > n) return 0;
    return hs + wm_t_get64(b + hs + 16);
}

static const uint8_t SIMPLE_INDEX[16] = {0x90, 0x08, 0x00, 0x33, 0xB1, 0xE5, 0xCF, 0x11,
                                         0x89, 0xF4, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xCB};
static const uint8_t FILE_PROPS[16] = {0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11,
                                       0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65};

/* Offset of the File Properties Object in the header, 0 if none. */
static size_t file_props(const uint8_t *b, size_t n) {
    size_t at = 30;
    while (at + 24 <= n) {
        uint64_t sz = wm_t_get64(b + at + 16);
        if (memcmp(b + at, FILE_PROPS, 16) == 0) return at;
        if (sz < 24) break;
        at += (size_t)sz;
    }
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGALRM, on_alarm);
    alarm(100);
    const char *dir = wm_t_outdir(argc, argv);
    char src[1024], f[1024], missing[1024], cmd[4096];
    wm_t_path(src, sizeof src, dir, "src.asf");
    wm_t_path(f, sizeof f, dir, "stripped.asf");
    wm_t_path(missing, sizeof missing, dir, "missing.asf");
    remove(missing);
    Ctx c;
    memset(&c, 0, sizeof c);
    pthread_mutex_init(&c.mu, NULL);

    /* --- contract ------------------------------------------------------------ */
    WMIndexer *ix = (WMIndexer *)(uintptr_t)1;
    CHECK_HR(wm_create_indexer(NULL), E_POINTER);
    CHECK_HR(wm_create_indexer(&ix), S_OK);
    c.ix = ix;
    CHECK_EQ_U(wm_indexer_add_ref(ix), 2);
    CHECK_EQ_U(wm_indexer_release(ix), 1);
    CHECK_EQ_U(wm_indexer_add_ref(NULL), 0);
    CHECK_EQ_U(wm_indexer_release(NULL), 0);
    CHECK_HR(wm_indexer_start_indexing(NULL, src, on_status, &c), E_POINTER);
    CHECK_HR(wm_indexer_start_indexing(ix, NULL, on_status, &c), E_INVALIDARG);
    CHECK_HR(wm_indexer_start_indexing(ix, src, NULL, &c), E_INVALIDARG);
    CHECK_HR(wm_indexer_start_indexing(ix, "", on_status, &c), E_INVALIDARG);
    CHECK_HR(wm_indexer_start_indexing(ix, missing, on_status, &c), NS_E_FILE_NOT_FOUND);
    CHECK_LAST_ERROR("does not exist");
    CHECK(access(missing, F_OK) != 0); /* never created */
    CHECK_EQ_U(c.started + c.closed, 0);
    CHECK_HR(wm_indexer_wait(ix, 0), S_FALSE); /* nothing indexed yet */
    CHECK_HR(wm_indexer_cancel(ix), S_OK);     /* idle: S_OK, as the SDK */
    CHECK_HR(wm_indexer_cancel(NULL), E_POINTER);
    uint32_t iv = 1000, it = WMT_IT_NEAREST_CLEAN_POINT, bad = 9, zero = 0;
    CHECK_HR(wm_indexer_configure(NULL, 0, WMT_IT_PRESENTATION_TIME, &iv, &it), E_POINTER);
    CHECK_HR(wm_indexer_configure(ix, 0, 7, &iv, &it), E_INVALIDARG);
    CHECK_HR(wm_indexer_configure(ix, 0, WMT_IT_PRESENTATION_TIME, &zero, &it), E_INVALIDARG);
    CHECK_HR(wm_indexer_configure(ix, 0, WMT_IT_PRESENTATION_TIME, &iv, &bad), E_INVALIDARG);
    CHECK_HR(wm_indexer_configure(ix, 0, WMT_IT_PRESENTATION_TIME, &iv, &it), S_OK);
    CHECK_HR(wm_indexer_configure(ix, 0, WMT_IT_PRESENTATION_TIME, NULL, NULL), S_OK);

    if (!wm_t_have_tool("ffmpeg") || !wm_t_have_tool("md5sum")) {
        wm_indexer_release(ix);
        return wm_t_skip("ffmpeg (or md5sum) not installed");
    }

    /* --- an ffmpeg file, index stripped -------------------------------------- */
    snprintf(cmd, sizeof cmd,
             "ffmpeg -hide_banner -nostdin -v error -f lavfi -i testsrc=s=64x48:r=25:d=6 -c:v wmv2 -g 25 -f asf -y '%s'", src);
    CHECK_EQ_U(system(cmd), 0);
    size_t n = 0;
    uint8_t *b = wm_t_read_file(src, &n);
    CHECK(b != NULL);
    if (!b) return wm_t_summary();
    uint64_t de = data_end(b, n);
    CHECK(de > 0 && de < n);
    CHECK(memcmp(b + de, SIMPLE_INDEX, 16) == 0); /* ffmpeg wrote one */
    CHECK(wm_t_write_file(f, b, (size_t)de));  /* strip it */
    size_t fp = file_props(b, n);
    CHECK(fp > 0);

    reset(&c);
    CHECK_HR(wm_indexer_start_indexing(ix, f, on_status, &c), S_OK);
    CHECK_HR(wm_indexer_wait(ix, 60000), S_OK);
    CHECK_EQ_U(c.started, 1);
    CHECK_EQ_U(c.closed, 1);
    CHECK_HR(c.closed_hr, S_OK);
    CHECK_EQ_U(c.bad_order, 0);
    CHECK_EQ_U(c.bad_value, 0);
    CHECK(c.progress_calls >= 2);
    CHECK_EQ_U(c.last_pct, 100);
    size_t m = 0;
    uint8_t *after = wm_t_read_file(f, &m);
    CHECK(after != NULL && m > de);
    if (after && m > de) {
        CHECK(memcmp(after + de, SIMPLE_INDEX, 16) == 0);
        CHECK_EQ_U(wm_t_get64(after + de + 16), m - de); /* one object, to the end */
        CHECK_EQ_U(wm_t_get64(after + fp + 40), m);      /* File Size */
        CHECK((wm_t_get32(after + fp + 88) & 2) == 2);   /* seekable */
        CHECK(memcmp(after, b, (size_t)fp + 40) == 0);   /* nothing else changed */
    }
    char want[128], got[128], other[128], args[2048];
    snprintf(args, sizeof args, "-i '%s' -vf 'select=eq(n\\,50)'", src);
    CHECK_EQ_U(frame_md5(args, want, sizeof want), 0);
    snprintf(args, sizeof args, "-i '%s' -vf 'select=eq(n\\,49)'", src);
    CHECK_EQ_U(frame_md5(args, other, sizeof other), 0);
    CHECK(strcmp(want, other) != 0); /* the comparison can fail */
    snprintf(args, sizeof args, "-ss 2 -i '%s'", f);
    CHECK_EQ_U(frame_md5(args, got, sizeof got), 0);
    CHECK_STR_EQ(got, want);
    snprintf(cmd, sizeof cmd, "ffmpeg -hide_banner -nostdin -v warning -i '%s' -f null - 2>&1", f);
    char warn[4096];
    CHECK_EQ_U(wm_t_run_capture(cmd, warn, sizeof warn), 0);
    CHECK_STR_EQ(warn, "");

    /* --- busy, then cancel: byte-identical ------------------------------------ */
    reset(&c);
    c.hold = 1;
    c.cancel_on_start = 1;
    CHECK_HR(wm_indexer_start_indexing(ix, f, on_status, &c), S_OK);
    CHECK_HR(wm_indexer_start_indexing(ix, f, on_status, &c), NS_E_BUSY);
    CHECK_HR(wm_indexer_configure(ix, 0, WMT_IT_PRESENTATION_TIME, NULL, NULL), NS_E_BUSY);
    CHECK_HR(wm_indexer_wait(ix, 10), NS_E_BUSY);
    __atomic_store_n(&c.hold, 0, __ATOMIC_RELEASE);
    CHECK_HR(wm_indexer_wait(ix, 60000), E_ABORT);
    CHECK_HR(c.closed_hr, E_ABORT);
    CHECK_EQ_U(c.closed, 1);
    CHECK_EQ_U(c.bad_order, 0);
    size_t k = 0;
    uint8_t *again = wm_t_read_file(f, &k);
    CHECK(again != NULL && k == m && memcmp(again, after, m) == 0);
    free(again);

    /* Not ASF: WMT_CLOSED with NS_E_INVALID_DATA, the file untouched. */
    char junk[1024];
    wm_t_path(junk, sizeof junk, dir, "junk.asf");
    CHECK(wm_t_write_file(junk, "not an ASF file at all, just some text bytes", 44));
    reset(&c);
    CHECK_HR(wm_indexer_start_indexing(ix, junk, on_status, &c), S_OK);
    CHECK_HR(wm_indexer_wait(ix, 60000), NS_E_INVALID_DATA);
    CHECK_HR(c.closed_hr, NS_E_INVALID_DATA);
    size_t jn = 0;
    uint8_t *j = wm_t_read_file(junk, &jn);
    CHECK(j != NULL && jn == 44 && memcmp(j, "not an ASF file", 15) == 0);
    free(j);

    /* Frame numbers: a Media Object Index Object after the data (and the header grows
     * by its Media Object Index Parameters Object); time codes are not made here: a
     * clear E_INVALIDARG. */
    /* A time-code index for a stream without time codes: the run ends with
     * NS_E_INVALID_REQUEST, the file untouched. */
    CHECK_HR(wm_indexer_configure(ix, 1, WMT_IT_TIMECODE, NULL, NULL), S_OK);
    reset(&c);
    CHECK_HR(wm_indexer_start_indexing(ix, f, on_status, &c), S_OK);
    CHECK_HR(wm_indexer_wait(ix, 60000), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("carries no time codes");
    CHECK_HR(c.closed_hr, NS_E_INVALID_REQUEST);
    again = wm_t_read_file(f, &k);
    CHECK(again != NULL && k == m && memcmp(again, after, m) == 0);
    free(again);
    uint32_t every = 25;
    CHECK_HR(wm_indexer_configure(ix, 0, WMT_IT_FRAME_NUMBERS, &every, NULL), S_OK);
    reset(&c);
    CHECK_HR(wm_indexer_start_indexing(ix, f, on_status, &c), S_OK);
    CHECK_HR(wm_indexer_wait(ix, 60000), S_OK);
    size_t fn_ = 0;
    uint8_t *fb = wm_t_read_file(f, &fn_);
    CHECK(fb != NULL && fn_ > m);
    if (fb && fn_ > m) {
        static const uint8_t MOI[16] = {0xF8, 0x03, 0xB1, 0xFE, 0xAD, 0x12, 0x64, 0x4C,
                                        0x84, 0x0F, 0x2A, 0x1D, 0x2F, 0x7A, 0xD4, 0x8C};
        uint64_t fde = data_end(fb, fn_);
        CHECK(fde > de); /* the header grew */
        CHECK(memcmp(fb + fde, SIMPLE_INDEX, 16) == 0);
        uint64_t moi = fde + wm_t_get64(fb + fde + 16);
        CHECK(moi + 46 <= fn_ && memcmp(fb + moi, MOI, 16) == 0);
        if (moi + 46 <= fn_) {
            CHECK_EQ_U(wm_t_get32(fb + moi + 24), 25); /* every 25 frames */
            CHECK_EQ_U(wm_t_get16(fb + moi + 28), 1);  /* one specifier */
            CHECK_EQ_U(wm_t_get32(fb + moi + 30), 1);  /* one block */
            CHECK_EQ_U(wm_t_get16(fb + moi + 34), 1);  /* stream 1 */
            CHECK_EQ_U(wm_t_get16(fb + moi + 36), 3);  /* nearest clean point */
            CHECK_EQ_U(wm_t_get32(fb + moi + 38), 6);  /* 150 frames / 25 */
        }
        snprintf(args, sizeof args, "-ss 2 -i '%s'", f);
        CHECK_EQ_U(frame_md5(args, got, sizeof got), 0);
        CHECK_STR_EQ(got, want);
    }
    free(fb);

    CHECK_EQ_U(wm_indexer_release(ix), 0);
    free(after);
    free(b);
    pthread_mutex_destroy(&c.mu);
    return wm_t_summary();
}
