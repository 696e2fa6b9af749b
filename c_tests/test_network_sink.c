/* IWMWriterNetworkSink + IWMClientConnections(2): settings and their HRESULTs, a client
 * on loopback that receives the live stream while a file sink on the same writer
 * records it, client properties / info, port in use, close. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <dirent.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
  uint16_t port;
  char head[512];
  size_t body;
  uint8_t first[16];
} Client;

static void *client(void *arg) {
  Client *c = arg;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(c->port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct timeval tv = {20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return NULL;
  }
  const char *req = "GET / HTTP/1.0\r\nUser-Agent: ctest/1.0\r\n\r\n";
  if (write(fd, req, strlen(req)) < 0) {
    close(fd);
    return NULL;
  }
  char buf[8192];
  size_t head = 0;
  int in_body = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++) {
      if (in_body) {
        if (c->body < 16) c->first[c->body] = (uint8_t)buf[i];
        c->body++;
      } else {
        if (head < sizeof c->head - 1) c->head[head++] = buf[i];
        if (head >= 4 && memcmp(c->head + head - 4, "\r\n\r\n", 4) == 0) in_body = 1;
      }
    }
  }
  close(fd);
  return NULL;
}

static WMProfile *pcm_profile(void) {
  wm_t_pcm_spec spec = {2, 44100, 16, 0, 1411200, 0, NULL};
  return wm_t_pcm_profile(&spec, 1);
}

/* Sockets this process has open, and its threads (Linux /proc): what close must give back. */
static int count_sockets(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char path[300], target[64];
    snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
    ssize_t k = readlink(path, target, sizeof target - 1);
    if (k > 0) {
      target[k] = 0;
      if (strncmp(target, "socket:", 7) == 0) n++;
    }
  }
  closedir(d);
  return n;
}

static int count_threads(void) {
  DIR *d = opendir("/proc/self/task");
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n;
}

int main(int argc, char **argv) {
  const char *dir = wm_t_outdir(argc, argv);
  char file[1024];
  wm_t_path(file, sizeof file, dir, "network_sink.wma");

  const int sockets0 = count_sockets(), threads0 = count_threads();
  WMWriterSink *ns = (WMWriterSink *)0xdeadbeef;
  CHECK_HR(wm_create_writer_network_sink(NULL), E_POINTER);
  CHECK_HR(wm_create_writer_network_sink(&ns), S_OK);
  uint32_t v = 99;
  CHECK_HR(wm_writer_network_sink_get_maximum_clients(ns, &v), S_OK);
  CHECK_EQ_U(v, 5);
  CHECK_HR(wm_writer_network_sink_get_maximum_clients(ns, NULL), E_INVALIDARG);
  CHECK_HR(wm_writer_network_sink_get_maximum_clients(NULL, &v), E_POINTER);
  CHECK_EQ_U(v, 0);
  CHECK_HR(wm_writer_network_sink_set_maximum_clients(ns, 51), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_network_sink_set_maximum_clients(ns, 50), S_OK);
  CHECK_HR(wm_writer_network_sink_get_maximum_clients(ns, &v), S_OK);
  CHECK_EQ_U(v, 50);
  CHECK_HR(wm_writer_network_sink_set_network_protocol(ns, 1), E_INVALIDARG);
  CHECK_HR(wm_writer_network_sink_set_network_protocol(ns, WMT_PROTOCOL_HTTP), S_OK);
  v = 9;
  CHECK_HR(wm_writer_network_sink_get_network_protocol(ns, &v), S_OK);
  CHECK_EQ_U(v, WMT_PROTOCOL_HTTP);
  CHECK_HR(wm_writer_network_sink_set_buffer_size(ns, 100), E_INVALIDARG);
  CHECK_HR(wm_writer_network_sink_set_buffer_size(ns, 1 << 20), S_OK);
  CHECK_HR(wm_writer_network_sink_get_buffer_size(ns, &v), S_OK);
  CHECK_EQ_U(v, 1u << 20);
  CHECK_HR(wm_writer_network_sink_set_bind_address(ns, "not an address"), E_INVALIDARG);
  CHECK_HR(wm_writer_network_sink_set_bind_address(ns, "127.0.0.1"), S_OK);
  uint32_t len = 0;
  CHECK_HR(wm_writer_network_sink_get_host_url(ns, NULL, &len), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_network_sink_close(ns), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_network_sink_open(ns, NULL), E_INVALIDARG);
  uint32_t port = 70000;
  CHECK_HR(wm_writer_network_sink_open(ns, &port), E_INVALIDARG);
  CHECK_EQ_U(port, 0);
  /* A file sink is not a network sink. */
  WMWriterSink *fs = NULL;
  CHECK_HR(wm_create_writer_file_sink(&fs), S_OK);
  CHECK_HR(wm_writer_network_sink_get_client_count(fs, &v), E_INVALIDARG);

  port = 0;
  CHECK_HR(wm_writer_network_sink_open(ns, &port), S_OK);
  CHECK(count_sockets() > sockets0 && count_threads() > threads0); /* the listener and its thread */
  CHECK(port > 0 && port < 65536);
  uint32_t again = port;
  CHECK_HR(wm_writer_network_sink_open(ns, &again), NS_E_INVALID_REQUEST);
  CHECK_EQ_U(again, 0);
  /* The same port for a second sink: in use. */
  WMWriterSink *ns2 = NULL;
  CHECK_HR(wm_create_writer_network_sink(&ns2), S_OK);
  uint32_t same = port;
  CHECK_HR(wm_writer_network_sink_open(ns2, &same), NS_E_NETWORK_RESOURCE_FAILURE);
  CHECK_EQ_U(same, 0);
  CHECK_LAST_ERROR("in use");
  CHECK_EQ_U(wm_writer_sink_release(ns2), 0);

  /* GetHostURL with the size-query protocol. */
  len = 0;
  CHECK_HR(wm_writer_network_sink_get_host_url(ns, NULL, NULL), E_INVALIDARG);
  CHECK_HR(wm_writer_network_sink_get_host_url(ns, NULL, &len), S_OK);
  char url[64], want[64];
  snprintf(want, sizeof want, "http://127.0.0.1:%u/", port);
  CHECK_EQ_U(len, strlen(want) + 1);
  uint32_t small = 4;
  CHECK_HR(wm_writer_network_sink_get_host_url(ns, url, &small), ASF_E_BUFFERTOOSMALL);
  CHECK_EQ_U(small, len);
  CHECK_HR(wm_writer_network_sink_get_host_url(ns, url, &len), S_OK);
  CHECK_STR_EQ(url, want);

  /* A client connects before the stream starts and waits for the header. */
  Client c;
  memset(&c, 0, sizeof c);
  c.port = (uint16_t)port;
  pthread_t t;
  CHECK(pthread_create(&t, NULL, client, &c) == 0);
  uint32_t count = 0;
  for (int i = 0; i < 500 && count == 0; i++) {
    usleep(10000);
    wm_writer_network_sink_get_client_count(ns, &count);
  }
  CHECK_EQ_U(count, 1);
  WM_CLIENT_PROPERTIES props;
  CHECK_HR(wm_writer_network_sink_get_client_properties(ns, 0, &props), S_OK);
  CHECK_EQ_U(props.dwIPAddress, 0x7F000001u);
  CHECK(props.dwPort > 0);
  uint32_t client_port = props.dwPort;
  CHECK_HR(wm_writer_network_sink_get_client_properties(ns, 1, &props), E_INVALIDARG);
  CHECK_EQ_U(props.dwPort, 0);
  char addr[64], cport[16], ua[64];
  uint32_t al = 0, pl = 0, ul = 0;
  CHECK_HR(wm_writer_network_sink_get_client_info(ns, 0, NULL, &al, NULL, &pl, NULL, &ul), S_OK);
  CHECK_EQ_U(al, 10);
  CHECK_EQ_U(ul, 10);
  al = sizeof addr, pl = sizeof cport, ul = sizeof ua;
  CHECK_HR(wm_writer_network_sink_get_client_info(ns, 0, addr, &al, cport, &pl, ua, &ul), S_OK);
  CHECK_STR_EQ(addr, "127.0.0.1");
  CHECK_STR_EQ(ua, "ctest/1.0");
  CHECK_EQ_U((uint32_t)atoi(cport), client_port);
  CHECK_HR(wm_writer_network_sink_get_client_info(ns, 0, addr, NULL, cport, &pl, ua, &ul), E_INVALIDARG);

  /* The writer feeds a file sink and the network sink. */
  WMProfile *p = pcm_profile();
  WMWriter *w = NULL;
  CHECK_HR(wm_create_writer(&w), S_OK);
  CHECK_HR(wm_writer_set_profile(w, p), S_OK);
  CHECK_HR(wm_writer_set_output_filename(w, file), S_OK);
  CHECK_HR(wm_writer_add_sink(w, ns), S_OK);
  CHECK_HR(wm_writer_begin_writing(w), S_OK);
  for (int i = 0; i < 20; i++) {
    WMBuffer *b = NULL;
    uint8_t *d = NULL;
    CHECK_HR(wm_writer_allocate_sample(w, 17640, &b), S_OK);
    wm_buffer_get_buffer(b, &d);
    for (int k = 0; k < 17640; k++) d[k] = (uint8_t)(k * 7 + i);
    wm_buffer_set_length(b, 17640);
    CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
    wm_buffer_release(b);
  }
  CHECK_HR(wm_writer_end_writing(w), S_OK);
  pthread_join(t, NULL);
  CHECK(strncmp(c.head, "HTTP/1.0 200 OK", 15) == 0);
  CHECK(strstr(c.head, "video/x-ms-asf") != NULL);
  /* The body is the live file: Header Object GUID first, then every packet. */
  static const uint8_t header_guid[16] = {0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                                          0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};
  CHECK(memcmp(c.first, header_guid, 16) == 0);
  uint64_t fsize = 0;
  struct stat stf;
  CHECK(stat(file, &stf) == 0);
  fsize = (uint64_t)stf.st_size;
  /* File = header + packets (+ the index for a file with no video: none), same bytes count. */
  CHECK(c.body > 0 && c.body <= fsize);
  CHECK(fsize - c.body < 1024);

  CHECK_HR(wm_writer_network_sink_disconnect(ns), S_OK);
  CHECK_HR(wm_writer_network_sink_close(ns), S_OK);
  CHECK_HR(wm_writer_network_sink_close(ns), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_network_sink_get_client_count(ns, &count), S_OK);
  CHECK_EQ_U(count, 0);
  /* close joined every server thread and closed every socket it had. */
  CHECK_EQ_U(count_sockets(), sockets0);
  CHECK_EQ_U(count_threads(), threads0);
  printf("after close: %d sockets, %d threads (as before open)\n", count_sockets(), count_threads());
  wm_writer_release(w);
  wm_profile_release(p);
  wm_writer_sink_release(fs);
  CHECK_EQ_U(wm_writer_sink_release(ns), 0);
  return wm_t_summary();
}
