/*
 * test_bad_input: the bad-input table (issue 16). Each row is one call with one bad
 * argument (or a call in the wrong state) and the HRESULT the SDK documents for it
 * (wmf-writer-api.md; where the SDK names no code, the one this library documents in
 * the header). Every row also checks that a failing call leaves a message, and the
 * table ends by checking that the data accepted before the bad calls is all in the file.
 *
 * `test_bad_input --markdown` prints the table for the README.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "test_util.h"

#define MS (10000ull)
static const wm_t_pcm_spec SPEC = {2, 44100, 16, 0, 0, 0, "Audio"};
#define PCM_100MS (4410u * 4u)
static uint8_t g_pcm[PCM_100MS];
static int g_markdown = 0;
static int g_rows = 0;
static const char *g_state = "";

static void row(const char *what, HRESULT got, HRESULT want, const char *file, int line) {
    char a[96], b[96];
    g_rows++;
    if (g_markdown) {
        printf("| %d | %s | %s | %s |\n", g_rows, g_state, what, wm_hresult_name(want));
    }
    if (got == want) {
        wm_t_pass();
        if (got < 0 && (wm_get_last_error_message() == NULL || wm_get_last_error_message()[0] == 0)) {
            wm_t_fail_at(file, line);
            fprintf(stderr, "%s / %s: %s but no last-error message\n", g_state, what, wm_t_hr_str(got, a, sizeof a));
        }
    } else {
        wm_t_fail_at(file, line);
        fprintf(stderr, "%s / %s: got %s, want %s (%s)\n", g_state, what, wm_t_hr_str(got, a, sizeof a),
                wm_t_hr_str(want, b, sizeof b), wm_t_last_error());
    }
}
#define ROW(what, expr, want) row(what, (expr), (want), __FILE__, __LINE__)

static WMBuffer *sample(uint32_t n) {
    WMBuffer *b = NULL;
    if (wm_create_buffer(n ? n : 1, &b) != S_OK) return NULL;
    if (n) {
        uint8_t *p = NULL;
        wm_buffer_get_buffer(b, &p);
        memset(p, 0, n);
        wm_buffer_set_length(b, n);
    }
    return b;
}

/* set_profile's code for a one-stream audio profile with media type `mt` and stream
 * number `number` (a profile may hold a bad stream; the writer refuses it). */
static HRESULT profile_with(const WM_MEDIA_TYPE *mt, uint16_t number) {
    WMProfileManager *pm = NULL;
    WMProfile *p = NULL;
    WMStreamConfig *s = NULL;
    WMWriter *w = NULL;
    HRESULT hr = E_FAIL;
    if (wm_create_profile_manager(&pm) == S_OK && wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &p) == S_OK &&
        wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s) == S_OK && wm_stream_config_set_media_type(s, mt) == S_OK &&
        wm_stream_config_set_stream_number(s, number) == S_OK && wm_stream_config_set_bitrate(s, 1411200) == S_OK &&
        wm_create_writer(&w) == S_OK) {
        hr = wm_profile_add_stream(p, s);
        if (hr == S_OK) hr = wm_writer_set_profile(w, p);
    }
    wm_writer_release(w);
    wm_stream_config_release(s);
    wm_profile_release(p);
    wm_profile_manager_release(pm);
    return hr;
}

/* Rows for objects on their own: profile manager, profile, stream config, buffer. */
static void objects(const char *dir) {
    WMProfileManager *pm = NULL;
    WMProfile *p = NULL, *p2 = (WMProfile *)0;
    WMStreamConfig *s = NULL;
    WMBuffer *b = NULL;
    WMGuid bogus = {0x12345678, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
    uint32_t n32 = 7;
    char small[4];
    (void)dir;
    g_state = "objects";
    ROW("wm_create_profile_manager(NULL)", wm_create_profile_manager(NULL), E_POINTER);
    CHECK_HR(wm_create_profile_manager(&pm), S_OK);
    ROW("create_empty_profile(version 0x12345)", wm_profile_manager_create_empty_profile(pm, 0x12345, &p2), E_INVALIDARG);
    ROW("create_empty_profile(out NULL)", wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, NULL), E_INVALIDARG);
    ROW("load_profile_by_id(unknown GUID)", wm_profile_manager_load_profile_by_id(pm, &bogus, &p2), E_INVALIDARG);
    ROW("load_profile_by_id(NULL GUID)", wm_profile_manager_load_profile_by_id(pm, NULL, &p2), E_INVALIDARG);
    ROW("load_profile_by_data(NULL)", wm_profile_manager_load_profile_by_data(pm, NULL, &p2), E_INVALIDARG);
    ROW("load_profile_by_data(\"\")", wm_profile_manager_load_profile_by_data(pm, "", &p2), NS_E_INVALIDPROFILE);
    ROW("load_profile_by_data(not XML)", wm_profile_manager_load_profile_by_data(pm, "<profile", &p2), NS_E_INVALIDPROFILE);
    ROW("load_system_profile(UINT32_MAX)", wm_profile_manager_load_system_profile(pm, UINT32_MAX, &p2), E_INVALIDARG);
    ROW("set_system_profile_version(7)", wm_profile_manager_set_system_profile_version(pm, 7), E_INVALIDARG);
    CHECK_HR(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &p), S_OK);
    ROW("save_profile(length NULL)", wm_profile_manager_save_profile(pm, p, NULL, NULL), E_INVALIDARG);
    n32 = 1;
    ROW("save_profile(1-byte buffer)", wm_profile_manager_save_profile(pm, p, small, &n32), ASF_E_BUFFERTOOSMALL);
    ROW("profile_create_new_stream(bogus major type)", wm_profile_create_new_stream(p, &bogus, &s), E_INVALIDARG);
    ROW("profile_create_new_stream(NULL type)", wm_profile_create_new_stream(p, NULL, &s), E_INVALIDARG);
    ROW("profile_get_stream(UINT32_MAX)", wm_profile_get_stream(p, UINT32_MAX, &s), E_INVALIDARG);
    ROW("profile_get_stream_by_number(0)", wm_profile_get_stream_by_number(p, 0, &s), NS_E_NO_STREAM);
    ROW("profile_get_stream_by_number(5), none", wm_profile_get_stream_by_number(p, 5, &s), NS_E_NO_STREAM);
    ROW("profile_remove_stream_by_number(9), none", wm_profile_remove_stream_by_number(p, 9), NS_E_NO_STREAM);
    ROW("profile_add_stream(NULL)", wm_profile_add_stream(p, NULL), E_INVALIDARG);
    ROW("profile_set_max_packet_size(99)", wm_profile_set_max_packet_size(p, 99), E_INVALIDARG);
    ROW("profile_set_max_packet_size(UINT32_MAX)", wm_profile_set_max_packet_size(p, UINT32_MAX), E_INVALIDARG);
    n32 = 1;
    ROW("profile_get_name(1-byte buffer)", wm_profile_get_name(p, small, &n32), S_OK); /* "" fits in 1 byte */
    ROW("profile_set_name(invalid UTF-8)", wm_profile_set_name(p, "\xff\xfe"), E_INVALIDARG);
    ROW("profile_set_storage_format(99)", wm_profile_set_storage_format(p, 99), E_INVALIDARG);
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), S_OK);
    {
        WM_MEDIA_TYPE mt;
        uint8_t wfx[18];
        wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
        wm_t_pcm_type(&mt, wfx);
        mt.cbFormat = 10; /* shorter than a WAVEFORMATEX: stored; set_profile refuses it */
        ROW("set_profile(10-byte WAVEFORMATEX block)", profile_with(&mt, 1), NS_E_INVALID_STREAM);
        wfx[16] = 22; /* cbSize 22 in an 18-byte block: shorter than its header says */
        mt.cbFormat = 18;
        ROW("set_profile(cbSize 22 in an 18-byte block)", profile_with(&mt, 1), NS_E_INVALID_STREAM);
        wfx[16] = 0;
        wm_t_wfx(wfx, 1, 0, 44100, 16, 0); /* 0 channels */
        ROW("set_profile(PCM with 0 channels)", profile_with(&mt, 1), NS_E_INVALID_STREAM);
        wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
        wfx[12] = 3; /* nBlockAlign 3 for 2 x 16 bit */
        ROW("set_profile(PCM nBlockAlign 3 for stereo 16-bit)", profile_with(&mt, 1), NS_E_INVALID_STREAM);
        wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
        ROW("set_profile(stream number 0)", profile_with(&mt, 0), NS_E_INVALID_STREAM);
        ROW("set_profile(stream number 64)", profile_with(&mt, 64), NS_E_INVALID_STREAM);
        mt.cbFormat = 18;
        mt.pbFormat = NULL; /* cbFormat says 18, no block */
        ROW("set_media_type(cbFormat 18, pbFormat NULL)", wm_stream_config_set_media_type(s, &mt), E_INVALIDARG);
        mt.pbFormat = wfx;
        mt.cbFormat = 0;
        ROW("set_media_type(cbFormat 0)", wm_stream_config_set_media_type(s, &mt), E_INVALIDARG);
        mt.cbFormat = 18;
        mt.majortype = WMMEDIATYPE_Video;
        ROW("set_media_type(video major type on an audio stream)", wm_stream_config_set_media_type(s, &mt), E_INVALIDARG);
        ROW("set_media_type(NULL)", wm_stream_config_set_media_type(s, NULL), E_INVALIDARG);
    }
    ROW("stream_set_connection_name(invalid UTF-8)", wm_stream_config_set_connection_name(s, "\xc3\x28"), E_INVALIDARG);
    ROW("stream_set_quality(101)", wm_stream_config_set_quality(s, 101), E_INVALIDARG);
    ROW("stream_set_transport_type(7)", wm_stream_config_set_transport_type(s, 7), E_INVALIDARG);
    ROW("add_data_unit_extension(NULL GUID)", wm_stream_config_add_data_unit_extension(s, NULL, 4, NULL, 0), E_INVALIDARG);
    ROW("add_data_unit_extension(info size, info NULL)", wm_stream_config_add_data_unit_extension(s, &WM_SampleExtensionGUID_Timecode, 14, NULL, 5), E_INVALIDARG);
    ROW("profile_add_stream(stream without media type)", wm_profile_add_stream(p, s), NS_E_INVALID_STREAM);
    ROW("wm_create_buffer(out NULL)", wm_create_buffer(16, NULL), E_POINTER);
    CHECK_HR(wm_create_buffer(16, &b), S_OK);
    ROW("buffer_set_length(max + 1)", wm_buffer_set_length(b, 17), E_INVALIDARG);
    ROW("buffer_get_buffer(out NULL)", wm_buffer_get_buffer(b, NULL), E_POINTER);
    ROW("buffer_get_property(never set)", wm_buffer_get_property(b, &WM_SampleExtensionGUID_Timecode, NULL, &n32), NS_E_UNSUPPORTED_PROPERTY);
    ROW("buffer_get_property_by_index(UINT32_MAX)", wm_buffer_get_property_by_index(b, UINT32_MAX, &bogus, NULL, &n32), E_INVALIDARG);
    ROW("buffer_set_property(value NULL, size 4)", wm_buffer_set_property(b, &WM_SampleExtensionGUID_Timecode, NULL, 4), E_POINTER);
    wm_buffer_release(b);
    wm_stream_config_release(s);
    wm_profile_release(p);
    wm_profile_manager_release(pm);
}

/* Writer rows, per state. */
static void writer_states(const char *dir) {
    WMWriter *w = NULL;
    WMProfile *p = wm_t_pcm_profile(&SPEC, 1);
    WMBuffer *tmp = NULL, *b = sample(PCM_100MS), *empty = sample(0), *odd = sample(3);
    WMInputMediaProps *ip = NULL;
    WMWriterSink *sink = NULL;
    char path[512], ro[512], missing[512], ok_path[512];
    uint32_t n32 = 0;
    int i, fd;
    wm_t_path(path, sizeof path, dir, "bad_input.wma");
    wm_t_path(ok_path, sizeof ok_path, dir, "bad_input_ok.wma");
    wm_t_path(ro, sizeof ro, dir, "bad_input_readonly.wma");
    wm_t_path(missing, sizeof missing, dir, "no/such/dir/x.wma");
    remove(path);
    chmod(ro, 0644);
    remove(ro);
    fd = open(ro, O_CREAT | O_WRONLY, 0444);
    if (fd >= 0) close(fd);
    chmod(ro, 0444);

    g_state = "no writer";
    ROW("wm_create_writer(NULL)", wm_create_writer(NULL), E_POINTER);
    ROW("begin_writing(NULL writer)", wm_writer_begin_writing(NULL), E_POINTER);
    ROW("write_sample(NULL writer)", wm_writer_write_sample(NULL, 0, 0, 0, b), E_POINTER);
    ROW("end_writing(NULL writer)", wm_writer_end_writing(NULL), E_POINTER);
    ROW("set_attribute(NULL writer)", wm_writer_set_attribute(NULL, 0, "Title", WMT_TYPE_STRING, (const uint8_t *)"x", 2), E_POINTER);

    CHECK_HR(wm_create_writer(&w), S_OK);
    g_state = "no profile";
    ROW("get_input_count", wm_writer_get_input_count(w, &n32), NS_E_NOT_CONFIGURED);
    ROW("get_input_props(0)", wm_writer_get_input_props(w, 0, &ip), NS_E_NOT_CONFIGURED);
    ROW("begin_writing", wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED);
    ROW("allocate_sample(100)", wm_writer_allocate_sample(w, 100, &tmp), NS_E_INVALID_REQUEST);
    ROW("write_sample", wm_writer_write_sample(w, 0, 0, 0, b), NS_E_INVALID_REQUEST);
    ROW("end_writing", wm_writer_end_writing(w), NS_E_INVALID_REQUEST);
    ROW("set_profile(NULL)", wm_writer_set_profile(w, NULL), E_INVALIDARG);
    ROW("set_output_filename(NULL)", wm_writer_set_output_filename(w, NULL), E_INVALIDARG);
    ROW("set_output_filename(\"\")", wm_writer_set_output_filename(w, ""), E_INVALIDARG);
    ROW("set_output_filename(invalid UTF-8)", wm_writer_set_output_filename(w, "bad\xff.wma"), E_INVALIDARG);
    ROW("add_sink(NULL)", wm_writer_add_sink(w, NULL), E_INVALIDARG);
    ROW("get_sink(UINT32_MAX)", wm_writer_get_sink(w, UINT32_MAX, &sink), E_INVALIDARG);
    ROW("add_marker(NULL name)", wm_writer_add_marker(w, NULL, 0), E_INVALIDARG);
    ROW("add_script(\"\" type)", wm_writer_add_script(w, "", "x", 0), E_INVALIDARG);
    ROW("set_attribute(NULL name)", wm_writer_set_attribute(w, 0, NULL, WMT_TYPE_STRING, (const uint8_t *)"x", 2), E_INVALIDARG);
    ROW("set_attribute(type 99)", wm_writer_set_attribute(w, 0, "Title", 99, (const uint8_t *)"x", 2), E_INVALIDARG);
    ROW("set_attribute(stream 5) before a profile", wm_writer_set_attribute(w, 5, "Title", WMT_TYPE_STRING, (const uint8_t *)"x", 2), NS_E_INVALID_REQUEST);
    ROW("set_attribute(read-only Duration)", wm_writer_set_attribute(w, 0, "Duration", WMT_TYPE_QWORD, (const uint8_t *)"12345678", 8), NS_E_ATTRIBUTE_READ_ONLY);
    ROW("set_attribute(DWORD with 2 bytes)", wm_writer_set_attribute(w, 0, "WM/TrackNumber", WMT_TYPE_DWORD, (const uint8_t *)"xx", 2), E_INVALIDARG);

    g_state = "configured";
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    ROW("set_attribute(stream 64), no such stream", wm_writer_set_attribute(w, 64, "Title", WMT_TYPE_STRING, (const uint8_t *)"x", 2), NS_E_INVALID_REQUEST);
    ROW("get_input_props(UINT32_MAX)", wm_writer_get_input_props(w, UINT32_MAX, &ip), E_INVALIDARG);
    ROW("get_input_props(1), one input", wm_writer_get_input_props(w, 1, &ip), E_INVALIDARG);
    ROW("get_input_format(0, UINT32_MAX)", wm_writer_get_input_format(w, 0, UINT32_MAX, &ip), E_INVALIDARG);
    ROW("get_input_format_count(7)", wm_writer_get_input_format_count(w, 7, &n32), E_INVALIDARG);
    ROW("set_input_props(UINT32_MAX, NULL)", wm_writer_set_input_props(w, UINT32_MAX, NULL), E_INVALIDARG);
    ROW("get_input_count(out NULL)", wm_writer_get_input_count(w, NULL), E_INVALIDARG);
    ROW("allocate_sample before begin", wm_writer_allocate_sample(w, 10, &tmp), NS_E_INVALID_REQUEST);
    ROW("write_sample before begin", wm_writer_write_sample(w, 0, 0, 0, b), NS_E_INVALID_REQUEST);
    ROW("set_output_filename(missing directory) then begin_writing",
        (wm_writer_set_output_filename(w, missing), wm_writer_begin_writing(w)), NS_E_FILE_OPEN_FAILED);
    if (geteuid() != 0) {
        ROW("set_output_filename(read-only file) then begin_writing",
            (wm_writer_set_output_filename(w, ro), wm_writer_begin_writing(w)), NS_E_FILE_OPEN_FAILED);
    } else {
        /* root writes through 0444: use a directory as the "file" instead. */
        ROW("set_output_filename(a directory) then begin_writing",
            (wm_writer_set_output_filename(w, dir), wm_writer_begin_writing(w)), NS_E_FILE_OPEN_FAILED);
    }
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    ROW("set_sync_tolerance then get(out NULL)", (wm_writer_set_sync_tolerance(w, 3000), wm_writer_get_sync_tolerance(w, NULL)), E_INVALIDARG);
    ROW("get_statistics(stream 64)", wm_writer_get_statistics(w, 64, NULL), E_POINTER);

    g_state = "writing";
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (i = 0; i < 5; i++) CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_pcm, PCM_100MS), S_OK);
    ROW("begin_writing again", wm_writer_begin_writing(w), NS_E_INVALID_REQUEST);
    ROW("set_profile while writing", wm_writer_set_profile(w, p), NS_E_INVALID_REQUEST);
    ROW("set_output_filename while writing", wm_writer_set_output_filename(w, ok_path), NS_E_INVALID_REQUEST);
    ROW("set_input_props while writing", wm_writer_set_input_props(w, 0, NULL), NS_E_INVALID_REQUEST);
    ROW("write_sample(input UINT32_MAX)", wm_writer_write_sample(w, UINT32_MAX, 500 * MS, 0, b), E_INVALIDARG);
    ROW("write_sample(input 1), one input", wm_writer_write_sample(w, 1, 500 * MS, 0, b), E_INVALIDARG);
    ROW("write_sample(NULL buffer)", wm_writer_write_sample(w, 0, 500 * MS, 0, NULL), E_INVALIDARG);
    ROW("write_sample(empty buffer)", wm_writer_write_sample(w, 0, 500 * MS, 0, empty), NS_E_INVALID_DATA);
    ROW("write_sample(3 bytes of 4-byte frames)", wm_writer_write_sample(w, 0, 500 * MS, 0, odd), NS_E_INVALID_DATA);
    ROW("write_sample(time going backwards)", wm_writer_write_sample(w, 0, 100 * MS, 0, b), E_INVALIDARG);
    ROW("write_sample(time UINT64_MAX)", wm_writer_write_sample(w, 0, UINT64_MAX, 0, b), E_INVALIDARG);
    ROW("write_sample(time 2^63, 64-bit overflow)", wm_writer_write_sample(w, 0, (uint64_t)1 << 63, 0, b), E_INVALIDARG);
    ROW("write_stream_sample(stream 0)", wm_writer_write_stream_sample(w, 0, 500 * MS, 0, 0, 0, b), E_INVALIDARG);
    ROW("write_stream_sample(stream 64)", wm_writer_write_stream_sample(w, 64, 500 * MS, 0, 0, 0, b), E_INVALIDARG);
    ROW("write_stream_sample(stream 1, not passthrough)", wm_writer_write_stream_sample(w, 1, 500 * MS, 0, 0, 0, b), NS_E_INVALID_REQUEST);
    ROW("allocate_sample(out NULL)", wm_writer_allocate_sample(w, 10, NULL), E_INVALIDARG);
    ROW("add_marker while writing", wm_writer_add_marker(w, "m", 0), NS_E_INVALID_REQUEST);
    ROW("set_attribute while writing", wm_writer_set_attribute(w, 0, "Title", WMT_TYPE_STRING, (const uint8_t *)"x", 2), NS_E_INVALID_REQUEST);
    ROW("add_sink while writing", (wm_create_writer_file_sink(&sink), wm_writer_add_sink(w, sink)), NS_E_INVALID_REQUEST);
    if (sink) wm_writer_sink_release(sink);
    sink = NULL;
    ROW("get_statistics(stream 9), none", (wm_writer_get_statistics(w, 9, &(WM_WRITER_STATISTICS){0})), E_INVALIDARG);
    /* the good sample after all the bad ones is still accepted */
    ROW("write_sample(the next good sample)", wm_writer_write_sample(w, 0, 500 * MS, 0, b), S_OK);
    ROW("end_writing", wm_writer_end_writing(w), S_OK);

    g_state = "ended";
    ROW("end_writing again", wm_writer_end_writing(w), NS_E_INVALID_REQUEST);
    ROW("write_sample after end", wm_writer_write_sample(w, 0, 600 * MS, 0, b), NS_E_INVALID_REQUEST);
    ROW("flush after end (the SDK: always S_OK)", wm_writer_flush(w), S_OK);
    ROW("allocate_sample after end", wm_writer_allocate_sample(w, 10, &tmp), NS_E_INVALID_REQUEST);

    /* Nothing accepted was lost: 6 samples of 100 ms in the file. */
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(path, &info) == 0) {
            CHECK_EQ_U(info.stream_count, 1);
            CHECK_EQ_U(info.play_duration, (3000 + 600) * MS);
        }
    }
    {
        struct stat st;
        CHECK(stat(missing, &st) != 0); /* no file made in a missing directory */
    }
    chmod(ro, 0644);
    remove(ro);
    wm_buffer_release(b);
    wm_buffer_release(empty);
    wm_buffer_release(odd);
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

int main(int argc, char **argv) {
    const char *dir;
    g_markdown = argc > 1 && strcmp(argv[1], "--markdown") == 0;
    dir = wm_t_outdir(g_markdown ? 1 : argc, argv);
    if (g_markdown) printf("| # | state | call | HRESULT |\n|---|---|---|---|\n");
    objects(dir);
    writer_states(dir);
    CHECK(g_rows >= 80);
    if (g_markdown) return 0;
    fprintf(stderr, "bad-input table: %d rows\n", g_rows);
    return wm_t_summary();
}
