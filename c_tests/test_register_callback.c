/* IWMRegisterCallback / IWMStatusCallback (issue 18): wm_writer_advise / _unadvise on
 * the writer, wm_writer_sink_advise / _unadvise on sinks.
 *  - a session: the writer reports WMT_STARTED then WMT_CLOSED (S_OK); a file sink
 *    WMT_STARTED and WMT_CLOSED; a callback that calls the writer does not deadlock;
 *  - a network sink reports WMT_CLIENT_CONNECT / WMT_CLIENT_DISCONNECT with the
 *    client's WM_CLIENT_PROPERTIES (127.0.0.1 and its port);
 *  - an output that fails (/dev/full): WMT_ERROR with NS_E_FILE_WRITE, on the writer
 *    and on the sink;
 *  - after unadvise nothing more; NULL / duplicate / unknown pairs: the codes. */
#include "test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 64
typedef struct {
    WMWriter *w; /* called back from the callback when set */
    int n;
    WMT_STATUS status[MAX_EVENTS];
    HRESULT hr[MAX_EVENTS];
    WM_CLIENT_PROPERTIES client[MAX_EVENTS];
    int reentrant_failures;
} Log;

/* Statuses arrive on the writer's and the network sink's threads: one lock for the logs. */
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void on_status(void *ctx, WMT_STATUS status, HRESULT hr, WMT_ATTR_DATATYPE type, const uint8_t *value, uint32_t size) {
    Log *l = ctx;
    pthread_mutex_lock(&log_mu);
    if (l->n >= MAX_EVENTS) {
        pthread_mutex_unlock(&log_mu);
        return;
    }
    l->status[l->n] = status;
    l->hr[l->n] = hr;
    memset(&l->client[l->n], 0, sizeof l->client[l->n]);
    if (type == WMT_TYPE_BINARY && value && size == sizeof(WM_CLIENT_PROPERTIES)) memcpy(&l->client[l->n], value, size);
    l->n++;
    pthread_mutex_unlock(&log_mu);
    if (l->w) {
        int32_t rt = -1;
        if (wm_writer_is_real_time(l->w, &rt) != S_OK) l->reentrant_failures++;
    }
}

static void other_status(void *ctx, WMT_STATUS s, HRESULT hr, WMT_ATTR_DATATYPE t, const uint8_t *v, uint32_t n) {
    (void)ctx, (void)s, (void)hr, (void)t, (void)v, (void)n;
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_register_callback: timed out (deadlock?)\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int find(const Log *l, WMT_STATUS s) {
    int at = -1;
    pthread_mutex_lock(&log_mu);
    for (int i = 0; i < l->n && at < 0; i++)
        if (l->status[i] == s) at = i;
    pthread_mutex_unlock(&log_mu);
    return at;
}

static void write_session(WMWriter *w, int samples) {
    uint8_t pcm[1600];
    for (int i = 0; i < samples; i++) {
        memset(pcm, i, sizeof pcm);
        WMBuffer *b = wm_t_sample(w, pcm, sizeof pcm);
        if (wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b) != S_OK) {
            wm_buffer_release(b);
            return;
        }
        wm_buffer_release(b);
    }
}

int main(int argc, char **argv) {
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    alarm(60);
    const char *dir = wm_t_outdir(argc, argv);
    char path[1024];
    wm_t_path(path, sizeof path, dir, "register_callback.asf");
    Log wl, sl, nl;
    memset(&wl, 0, sizeof wl);
    memset(&sl, 0, sizeof sl);
    memset(&nl, 0, sizeof nl);

    WMWriter *w = NULL;
    WMWriterSink *file = NULL, *net = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){1, 8000, 16, 0, 128000, 0, NULL}, 1);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);

    /* Codes. */
    CHECK_HR(wm_writer_advise(NULL, on_status, &wl), E_POINTER);
    CHECK_HR(wm_writer_advise(w, NULL, &wl), E_INVALIDARG);
    CHECK_HR(wm_writer_unadvise(w, on_status, &wl), E_INVALIDARG);
    CHECK_LAST_ERROR("not advised");
    CHECK_HR(wm_writer_advise(w, on_status, &wl), S_OK);
    CHECK_HR(wm_writer_advise(w, on_status, &wl), E_INVALIDARG);
    CHECK_HR(wm_writer_advise(w, other_status, &wl), S_OK);
    CHECK_HR(wm_writer_unadvise(w, other_status, &wl), S_OK);
    CHECK_HR(wm_writer_sink_advise(NULL, on_status, &sl), E_POINTER);

    /* A session through a file sink and a network sink. */
    CHECK_HR(wm_create_writer_file_sink(&file), S_OK);
    CHECK_HR(wm_writer_file_sink_open(file, path), S_OK);
    CHECK_HR(wm_writer_sink_advise(file, on_status, &sl), S_OK);
    CHECK_HR(wm_writer_sink_unadvise(file, other_status, &sl), E_INVALIDARG);
    CHECK_HR(wm_create_writer_network_sink(&net), S_OK);
    uint32_t port = 0;
    CHECK_HR(wm_writer_network_sink_open(net, &port), S_OK);
    CHECK_HR(wm_writer_sink_advise(net, on_status, &nl), S_OK);
    CHECK_HR(wm_writer_add_sink(w, file), S_OK);
    CHECK_HR(wm_writer_add_sink(w, net), S_OK);
    wl.w = w; /* the writer's callbacks call the writer back */
    sl.w = w;
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    CHECK_EQ_U(wl.n, 1);
    CHECK_EQ_U(wl.status[0], WMT_STARTED);

    /* A client connects to the network sink. */
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a, me;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0);
    socklen_t ml = sizeof me;
    CHECK(getsockname(c, (struct sockaddr *)&me, &ml) == 0);
    static const char req[] = "GET / HTTP/1.0\r\nUser-Agent: test\r\n\r\n";
    CHECK(write(c, req, sizeof req - 1) == (ssize_t)(sizeof req - 1));
    for (int i = 0; i < 500 && find(&nl, WMT_CLIENT_CONNECT) < 0; i++) sleep_ms(10);
    write_session(w, 20);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    close(c);
    for (int i = 0; i < 500 && find(&nl, WMT_CLIENT_DISCONNECT) < 0; i++) sleep_ms(10);

    CHECK_EQ_U(wl.n, 2);
    CHECK_EQ_U(wl.status[1], WMT_CLOSED);
    CHECK_HR(wl.hr[1], S_OK);
    CHECK_EQ_U(wl.reentrant_failures, 0);
    CHECK_EQ_U(sl.n, 2);
    CHECK_EQ_U(sl.status[0], WMT_STARTED);
    CHECK_EQ_U(sl.status[1], WMT_CLOSED);
    CHECK_EQ_U(sl.reentrant_failures, 0);
    int ci = find(&nl, WMT_CLIENT_CONNECT), di = find(&nl, WMT_CLIENT_DISCONNECT);
    CHECK(ci >= 0);
    CHECK(di > ci);
    if (ci >= 0) {
        CHECK_EQ_U(nl.client[ci].dwIPAddress, 0x7F000001u);
        CHECK_EQ_U(nl.client[ci].dwPort, ntohs(me.sin_port));
    }
    if (di >= 0) CHECK_EQ_U(nl.client[di].dwPort, ntohs(me.sin_port));
    CHECK(find(&nl, WMT_STARTED) >= 0);
    CHECK(find(&nl, WMT_CLOSED) >= 0);
    printf("writer: %d statuses, file sink: %d, network sink: %d (client port %u)\n", wl.n, sl.n, nl.n,
           (unsigned)ntohs(me.sin_port));
    CHECK_HR(wm_writer_remove_sink(w, net), S_OK);
    CHECK_HR(wm_writer_remove_sink(w, file), S_OK);

    /* An output that fails: WMT_ERROR with NS_E_FILE_WRITE on writer and sink. */
    if (access("/dev/full", W_OK) == 0) {
        int before = wl.n;
        CHECK_HR(wm_writer_file_sink_open(file, "/dev/full"), S_OK);
        CHECK_HR(wm_writer_add_sink(w, file), S_OK);
        sl.n = 0;
        HRESULT hr = wm_writer_begin_writing(w);
        if (hr == S_OK) write_session(w, 200);
        (void)wm_writer_end_writing(w);
        int we = -1;
        for (int i = before; i < wl.n; i++)
            if (wl.status[i] == WMT_ERROR) we = i;
        CHECK(we >= 0);
        if (we >= 0) CHECK_HR(wl.hr[we], NS_E_FILE_WRITE);
        int se = find(&sl, WMT_ERROR);
        CHECK(se >= 0);
        if (se >= 0) CHECK_HR(sl.hr[se], NS_E_FILE_WRITE);
        CHECK_HR(wm_writer_remove_sink(w, file), S_OK);
    }

    /* Unadvised: nothing more. */
    CHECK_HR(wm_writer_unadvise(w, on_status, &wl), S_OK);
    CHECK_HR(wm_writer_sink_unadvise(file, on_status, &sl), S_OK);
    CHECK_HR(wm_writer_sink_unadvise(file, on_status, &sl), E_INVALIDARG);
    int wn = wl.n;
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    write_session(w, 3);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK_EQ_U(wl.n, wn);

    CHECK_HR(wm_writer_network_sink_close(net), S_OK);
    CHECK_EQ_U(wm_writer_release(w), 0);
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_sink_release(file), 0);
    CHECK_EQ_U(wm_writer_sink_release(net), 0);
    return wm_t_summary();
}
