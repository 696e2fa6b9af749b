/* IWMWriterPushSink (issue 14): the C API end to end against a receiver thread that
 * plays the server side of MS-WMHTTP on loopback.
 *  - wm_create_writer_push_sink: a real-time sink;
 *  - connect: the PushSetup request (pushsetup content type, push-id=0 cookie,
 *    AutoDestroy / Template-URL body); the server's push id is used by PushStart;
 *  - a writing session: one PushStart request carrying $H, one $D per packet (the
 *    same count the file sink's header states) and $E with reason 0;
 *  - end_session / disconnect; errors: NULL, a bad URL (NS_E_INVALID_NAME), nobody
 *    listening (E_FAIL), an unconnected sink at begin_writing (NS_E_NOT_CONFIGURED),
 *    a push call on a network sink (E_INVALIDARG). Run under valgrind too. */
#include "test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
    int listen_fd;
    char setup_body[256];
    int setup_ok, start_ok, header_bytes, data_chunks, end_reason, ended;
} Server;

static int read_full(int fd, void *buf, size_t n) {
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Read a request head (up to the blank line) into buf; returns its length or -1. */
static int read_head(int fd, char *buf, size_t n) {
    size_t k = 0;
    while (k + 1 < n) {
        if (read(fd, buf + k, 1) != 1) return -1;
        k++;
        buf[k] = 0;
        if (k >= 4 && memcmp(buf + k - 4, "\r\n\r\n", 4) == 0) return (int)k;
    }
    return -1;
}

static long content_length(const char *head) {
    const char *c = strstr(head, "Content-Length:");
    return c ? strtol(c + 15, NULL, 10) : -1;
}

static const char REPLY[] = "HTTP/1.1 204 No Content\r\nServer: Cougar/9.01.01.3814\r\n"
                            "Set-Cookie: push-id=777\r\nContent-Length: 0\r\n\r\n";

static void *serve(void *arg) {
    Server *s = arg;
    char head[2048];
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0) return NULL;
    /* PushSetup */
    if (read_head(fd, head, sizeof head) < 0) goto out;
    long n = content_length(head);
    if (n < 0 || n >= (long)sizeof s->setup_body) goto out;
    if (read_full(fd, s->setup_body, (size_t)n) < 0) goto out;
    s->setup_body[n] = 0;
    s->setup_ok = strstr(head, "POST /pp HTTP/1.1\r\n") == head && strstr(head, "application/x-wms-pushsetup") &&
                  strstr(head, "Cookie: push-id=0\r\n") && strstr(head, "User-Agent: ");
    if (write(fd, REPLY, sizeof REPLY - 1) < 0) goto out;
    /* PushStart */
    if (read_head(fd, head, sizeof head) < 0) goto out;
    s->start_ok = strstr(head, "application/x-wms-pushstart") && strstr(head, "Cookie: push-id=777\r\n");
    for (;;) {
        uint8_t f[4];
        static uint8_t body[65536];
        if (read_full(fd, f, 4) < 0) break;
        unsigned len = (unsigned)(f[2] | (f[3] << 8));
        if (f[0] != 0x24 || read_full(fd, body, len) < 0) break;
        if (f[1] == 'H') s->header_bytes += (int)len - 8;
        else if (f[1] == 'D') s->data_chunks++;
        else if (f[1] == 'E' && len == 4) {
            s->end_reason = (int)wm_t_get32(body);
            s->ended = 1;
            if (write(fd, REPLY, sizeof REPLY - 1) < 0) break;
            break;
        } else break;
    }
out:
    close(fd);
    return NULL;
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_push_sink: timed out\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

int main(int argc, char **argv) {
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    alarm(120);
    const char *dir = wm_t_outdir(argc, argv);
    char path[1024], url[128];
    wm_t_path(path, sizeof path, dir, "push_file.asf");

    WMWriterSink *push = NULL, *net = NULL;
    CHECK_HR(wm_create_writer_push_sink(NULL), E_POINTER);
    CHECK_HR(wm_create_writer_push_sink(&push), S_OK);
    CHECK_HR(wm_create_writer_network_sink(&net), S_OK);
    int32_t rt = 0;
    CHECK_HR(wm_writer_sink_is_real_time(push, &rt), S_OK);
    CHECK_EQ_U(rt, 1);

    /* Errors. */
    CHECK_HR(wm_writer_push_sink_connect(NULL, "http://127.0.0.1/p", NULL, 0), E_POINTER);
    CHECK_HR(wm_writer_push_sink_connect(push, NULL, NULL, 0), E_INVALIDARG);
    CHECK_HR(wm_writer_push_sink_connect(push, "mms://127.0.0.1/p", NULL, 0), NS_E_INVALID_NAME);
    CHECK_LAST_ERROR("http://");
    CHECK_HR(wm_writer_push_sink_connect(push, "http://127.0.0.1/", NULL, 0), NS_E_INVALID_NAME);
    CHECK_LAST_ERROR("publishing point");
    CHECK_HR(wm_writer_push_sink_connect(net, "http://127.0.0.1/p", NULL, 0), E_INVALIDARG);
    CHECK_LAST_ERROR("not a push sink");
    CHECK_HR(wm_writer_push_sink_disconnect(push), S_OK);
    CHECK_HR(wm_writer_push_sink_end_session(push), S_OK);

    Server s;
    memset(&s, 0, sizeof s);
    s.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    CHECK(bind(s.listen_fd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(listen(s.listen_fd, 4) == 0);
    CHECK(getsockname(s.listen_fd, (struct sockaddr *)&a, &al) == 0);
    unsigned port = ntohs(a.sin_port);

    /* Nobody listening on a second port: E_FAIL with a message. */
    {
        int tmp = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in b = a;
        b.sin_port = 0;
        socklen_t bl = sizeof b;
        CHECK(bind(tmp, (struct sockaddr *)&b, sizeof b) == 0);
        CHECK(getsockname(tmp, (struct sockaddr *)&b, &bl) == 0);
        snprintf(url, sizeof url, "http://127.0.0.1:%u/pp", (unsigned)ntohs(b.sin_port));
        close(tmp);
        CHECK_HR(wm_writer_push_sink_connect(push, url, NULL, 0), E_FAIL);
        CHECK_LAST_ERROR("cannot connect");
    }

    /* An unconnected push sink is refused by begin_writing. */
    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){1, 8000, 16, 0, 128000, 0, NULL}, 1);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_profile_release(p);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_add_sink(w, push), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED);
    CHECK_LAST_ERROR("not connected");

    /* Connected: a whole session reaches the receiver. */
    pthread_t th;
    CHECK(pthread_create(&th, NULL, serve, &s) == 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%u/pp", port);
    CHECK_HR(wm_writer_push_sink_connect(push, url, "http://127.0.0.1/tpl", 1), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    uint8_t pcm[1600];
    for (int i = 0; i < 50; i++) {
        memset(pcm, i, sizeof pcm);
        WMBuffer *b = wm_t_sample(w, pcm, sizeof pcm);
        CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
        wm_buffer_release(b);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    pthread_join(th, NULL);
    CHECK_HR(wm_writer_push_sink_end_session(push), S_OK); /* nothing left to end */
    CHECK_HR(wm_writer_push_sink_disconnect(push), S_OK);
    close(s.listen_fd);

    CHECK(s.setup_ok);
    CHECK(strstr(s.setup_body, "AutoDestroy: 1\r\n") != NULL);
    CHECK(strstr(s.setup_body, "Template-URL: http://127.0.0.1/tpl\r\n") != NULL);
    CHECK(s.start_ok);
    CHECK(s.ended);
    CHECK_EQ_U(s.end_reason, 0);
    size_t fsize = 0;
    uint8_t *f = wm_t_read_file(path, &fsize);
    CHECK(f != NULL && fsize > 200);
    if (f) {
        uint32_t header_len = (uint32_t)wm_t_get64(f + 16) + 50;
        /* File Properties Object follows the 30-byte Header Object prefix: its data
         * packets count is at offset 56 within it. */
        uint64_t packets = wm_t_get64(f + 30 + 56);
        CHECK_EQ_U((uint64_t)s.header_bytes, header_len);
        CHECK_EQ_U((uint64_t)s.data_chunks, packets);
        CHECK(packets > 10);
        printf("push sink: %d data chunks (file: %llu packets), %d header bytes\n", s.data_chunks,
               (unsigned long long)packets, s.header_bytes);
        free(f);
    }
    CHECK_EQ_U(wm_writer_release(w), 0);
    CHECK_EQ_U(wm_writer_sink_release(push), 0);
    CHECK_EQ_U(wm_writer_sink_release(net), 0);
    return wm_t_summary();
}
