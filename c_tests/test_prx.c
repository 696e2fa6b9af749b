/*
 * test_prx.c: PRX profiles (wm_profile_manager_load_profile_by_data / _save_profile)
 * over the corpus in c_tests/data, and the profile side added with them: mutual
 * exclusions, bandwidth sharing, stream prioritization, storage format, profile ID,
 * expected packet count, and IWMStreamConfig2/3 + IWMVideoMediaProps on stream
 * configs. Every documented error code, out-params NULL/0 on failure (prefilled with
 * junk first), a new object per getter (refcounts drop to 0), edits local until
 * add/reconfig/set.
 *
 *   test_prx [scratch-dir]      (data from WM_TEST_SOURCE_DIR/data)
 */
#include "test_util.h"

#include <stddef.h>

#ifndef WM_TEST_SOURCE_DIR
#define WM_TEST_SOURCE_DIR "."
#endif

#define JUNK ((void *)(uintptr_t)0xdeadbeef)

_Static_assert(sizeof(WM_STREAM_PRIORITY_RECORD) == 6, "WM_STREAM_PRIORITY_RECORD is packed to 2 like the SDK's");
_Static_assert(offsetof(WM_STREAM_PRIORITY_RECORD, fMandatory) == 2, "fMandatory at offset 2");
_Static_assert(WMT_Storage_Format_MP3 == 0 && WMT_Storage_Format_V1 == 1, "WMT_STORAGE_FORMAT");
_Static_assert(WMT_Transport_Type_Unreliable == 0 && WMT_Transport_Type_Reliable == 1, "WMT_TRANSPORT_TYPE");

static const char *const VALID[] = {
    "audio_pcm.prx",    "audio_wma.prx", "video_raw.prx",           "video_wmv.prx",
    "av_pcm_i420.prx",  "av_wma_wmv.prx", "mbr_mutex.prx",          "script.prx",
    "data_unit_extensions.prx", "tolerant.prx",
};
static const char *const BROKEN[] = {
    "broken_malformed.prx",    "broken_stream_number.prx", "broken_stream_zero.prx", "broken_duplicate.prx",
    "broken_missing_attr.prx", "broken_bad_number.prx",    "broken_mutex_stream.prx", "broken_too_many_streams.prx",
};

static WMProfileManager *pm;

static int guid_eq(const WMGuid *a, const WMGuid *b) { return memcmp(a, b, sizeof *a) == 0; }
static int guid_zero(const WMGuid *a) {
    static const WMGuid z;
    return guid_eq(a, &z);
}

/* The corpus document `name`, NUL-terminated (free it). */
static char *read_doc(const char *name) {
    char path[1024];
    size_t n = 0;
    uint8_t *d;
    snprintf(path, sizeof path, "%s/data/%s", WM_TEST_SOURCE_DIR, name);
    d = wm_t_read_file(path, &n);
    if (!d) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    d[n] = 0;
    return (char *)d;
}

/* Save `p` with the two-call protocol (malloc'd text; free it). */
static char *save(WMProfile *p) {
    uint32_t len = 0;
    char *buf;
    CHECK_HR(wm_profile_manager_save_profile(pm, p, NULL, &len), S_OK);
    CHECK(len > 1);
    buf = (char *)malloc(len);
    CHECK_HR(wm_profile_manager_save_profile(pm, p, buf, &len), S_OK);
    CHECK_EQ_U(strlen(buf) + 1, len);
    return buf;
}

static WMProfile *load(const char *text) {
    WMProfile *p = (WMProfile *)JUNK;
    CHECK_HR(wm_profile_manager_load_profile_by_data(pm, text, &p), S_OK);
    return p == JUNK ? NULL : p;
}

static WMProfile *load_doc(const char *name) {
    char *t = read_doc(name);
    WMProfile *p = load(t);
    free(t);
    return p;
}

/* ------------------------------------------------------------------------------ */

static void test_corpus(void) {
    size_t i;
    for (i = 0; i < sizeof VALID / sizeof *VALID; i++) {
        char *text = read_doc(VALID[i]);
        WMProfile *p = load(text), *q;
        char *s1, *s2, small[8];
        uint32_t len = 0, n = 0;
        if (!p) {
            fprintf(stderr, "  (%s)\n", VALID[i]);
            free(text);
            continue;
        }
        CHECK_HR(wm_profile_get_stream_count(p, &n), S_OK);
        CHECK(n >= 1);
        s1 = save(p);
        /* Too small: ASF_E_BUFFERTOOSMALL, the needed length written back, buffer untouched. */
        CHECK_HR(wm_profile_manager_save_profile(pm, p, NULL, &len), S_OK);
        n = 7;
        memset(small, 'x', sizeof small);
        CHECK_HR(wm_profile_manager_save_profile(pm, p, small, &n), ASF_E_BUFFERTOOSMALL);
        CHECK_EQ_U(n, len);
        CHECK(small[0] == 'x');
        n = len - 1;
        CHECK_HR(wm_profile_manager_save_profile(pm, p, s1, &n), ASF_E_BUFFERTOOSMALL);
        CHECK_EQ_U(n, len);
        /* save → load → save is byte-identical. */
        q = load(s1);
        if (q) {
            s2 = save(q);
            CHECK_STR_EQ(s1, s2);
            free(s2);
            CHECK_EQ_U(wm_profile_release(q), 0);
        }
        free(s1);
        CHECK_EQ_U(wm_profile_release(p), 0);
        free(text);
    }
    for (i = 0; i < sizeof BROKEN / sizeof *BROKEN; i++) {
        char *text = read_doc(BROKEN[i]);
        WMProfile *p = (WMProfile *)JUNK;
        CHECK_HR(wm_profile_manager_load_profile_by_data(pm, text, &p), NS_E_INVALIDPROFILE);
        CHECK_NULL(p);
        CHECK_LAST_ERROR("line ");
        free(text);
    }
}

static void test_load_save_errors(void) {
    WMProfile *p = (WMProfile *)JUNK, *good;
    char *big;
    uint32_t len = 0;
    const char *doc = "<profile version=\"589824\"/>";

    CHECK_HR(wm_profile_manager_load_profile_by_data(NULL, doc, &p), E_POINTER);
    CHECK_NULL(p);
    p = (WMProfile *)JUNK;
    CHECK_HR(wm_profile_manager_load_profile_by_data(pm, NULL, &p), E_INVALIDARG);
    CHECK_NULL(p);
    CHECK_HR(wm_profile_manager_load_profile_by_data(pm, doc, NULL), E_INVALIDARG);
    p = (WMProfile *)JUNK;
    CHECK_HR(wm_profile_manager_load_profile_by_data(pm, "<profile version=\"589824\" name=\"\xff\"/>", &p), E_INVALIDARG);
    CHECK_NULL(p);
    /* 153,600 characters are accepted, 153,601 refused with E_INVALIDARG like the SDK. */
    big = (char *)malloc(153602);
    memset(big, ' ', 153601);
    memcpy(big, doc, strlen(doc));
    big[153600] = 0;
    p = load(big);
    CHECK(p != NULL);
    wm_profile_release(p);
    big[153600] = ' ';
    big[153601] = 0;
    p = (WMProfile *)JUNK;
    CHECK_HR(wm_profile_manager_load_profile_by_data(pm, big, &p), E_INVALIDARG);
    CHECK_NULL(p);
    CHECK_LAST_ERROR("153600");
    free(big);
    /* Malformed XML names the line. */
    p = (WMProfile *)JUNK;
    CHECK_HR(wm_profile_manager_load_profile_by_data(pm, "<profile version=\"589824\">\n\n<oops></profile>", &p),
             NS_E_INVALIDPROFILE);
    CHECK_NULL(p);
    CHECK_LAST_ERROR("line 3");
    p = (WMProfile *)JUNK;
    CHECK_HR(wm_profile_manager_load_profile_by_data(
                 pm, "<profile version=\"589824\">\n<streamconfig majortype=\"{73647561-0000-0010-8000-00AA00389B71}\" streamnumber=\"64\"/></profile>", &p),
             NS_E_INVALIDPROFILE);
    CHECK_NULL(p);
    CHECK_LAST_ERROR("line 2: <streamconfig> attribute streamnumber");

    good = load(doc);
    CHECK_HR(wm_profile_manager_save_profile(NULL, good, NULL, &len), E_POINTER);
    CHECK_HR(wm_profile_manager_save_profile(pm, NULL, NULL, &len), E_INVALIDARG);
    CHECK_HR(wm_profile_manager_save_profile(pm, good, NULL, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_manager_save_profile(pm, good, NULL, &len), S_OK);
    CHECK_EQ_U(len, strlen("<profile version=\"589824\" storageformat=\"1\" name=\"\" description=\"\"/>\n") + 1);
    wm_profile_release(good);
}

static void test_mutual_exclusion(void) {
    WMProfile *p = load_doc("mbr_mutex.prx");
    WMMutualExclusion *m1 = (WMMutualExclusion *)JUNK, *m2 = NULL, *mx = NULL;
    uint32_t n = 99;
    uint16_t nums[8], c = 0;
    WMGuid t;
    char name[64];
    if (!p) return;

    CHECK_HR(wm_profile_get_mutual_exclusion_count(p, &n), S_OK);
    CHECK_EQ_U(n, 1);
    CHECK_HR(wm_profile_get_mutual_exclusion_count(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_get_mutual_exclusion_count(NULL, &n), E_POINTER);
    CHECK_EQ_U(n, 0);
    /* A new object per call. */
    CHECK_HR(wm_profile_get_mutual_exclusion(p, 0, &m1), S_OK);
    CHECK_HR(wm_profile_get_mutual_exclusion(p, 0, &m2), S_OK);
    CHECK(m1 != m2 && m1 != NULL && m2 != NULL);
    CHECK_EQ_U(wm_mutual_exclusion_add_ref(m2), 2);
    CHECK_EQ_U(wm_mutual_exclusion_release(m2), 1);
    CHECK_EQ_U(wm_mutual_exclusion_release(m2), 0);
    m2 = (WMMutualExclusion *)JUNK;
    CHECK_HR(wm_profile_get_mutual_exclusion(p, 1, &m2), E_INVALIDARG);
    CHECK_NULL(m2);
    CHECK_HR(wm_profile_get_mutual_exclusion(p, 0, NULL), E_INVALIDARG);
    m2 = (WMMutualExclusion *)JUNK;
    CHECK_HR(wm_profile_get_mutual_exclusion(NULL, 0, &m2), E_POINTER);
    CHECK_NULL(m2);

    CHECK_HR(wm_mutual_exclusion_get_type(m1, &t), S_OK);
    CHECK(guid_eq(&t, &CLSID_WMMUTEX_Bitrate));
    CHECK_HR(wm_mutual_exclusion_get_type(m1, NULL), E_INVALIDARG);
    memset(&t, 0xAB, sizeof t);
    CHECK_HR(wm_mutual_exclusion_get_type(NULL, &t), E_POINTER);
    CHECK(guid_zero(&t));
    /* Stream list size query. */
    CHECK_HR(wm_mutual_exclusion_get_streams(m1, NULL, &c), S_OK);
    CHECK_EQ_U(c, 3);
    c = 2;
    CHECK_HR(wm_mutual_exclusion_get_streams(m1, nums, &c), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(c, 3);
    CHECK_HR(wm_mutual_exclusion_get_streams(m1, nums, NULL), E_INVALIDARG);
    c = 8;
    CHECK_HR(wm_mutual_exclusion_get_streams(m1, nums, &c), S_OK);
    CHECK(c == 3 && nums[0] == 2 && nums[1] == 3 && nums[2] == 4);
    /* IWMMutualExclusion2. */
    c = sizeof name;
    CHECK_HR(wm_mutual_exclusion_get_name(m1, name, &c), S_OK);
    CHECK_STR_EQ(name, "Video bit rates");
    c = 3;
    CHECK_HR(wm_mutual_exclusion_get_name(m1, name, &c), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(c, 16);
    CHECK_HR(wm_mutual_exclusion_get_name(m1, name, NULL), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_get_record_count(m1, &c), S_OK);
    CHECK_EQ_U(c, 2);
    c = sizeof name;
    CHECK_HR(wm_mutual_exclusion_get_record_name(m1, 1, name, &c), S_OK);
    CHECK_STR_EQ(name, "high");
    c = sizeof name;
    CHECK_HR(wm_mutual_exclusion_get_record_name(m1, 2, name, &c), E_INVALIDARG);
    c = 8;
    CHECK_HR(wm_mutual_exclusion_get_streams_for_record(m1, 1, nums, &c), S_OK);
    CHECK(c == 2 && nums[0] == 3 && nums[1] == 4);
    CHECK_HR(wm_mutual_exclusion_get_streams_for_record(m1, 9, NULL, &c), E_INVALIDARG);

    /* Edits stay local until added. */
    CHECK_HR(wm_mutual_exclusion_add_stream(m1, 1), S_OK);
    CHECK_HR(wm_mutual_exclusion_add_stream(m1, 1), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_add_stream(m1, 0), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_add_stream(m1, 64), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_remove_stream(m1, 9), E_INVALIDARG);
    CHECK_HR(wm_profile_get_mutual_exclusion(p, 0, &m2), S_OK);
    c = 8;
    CHECK_HR(wm_mutual_exclusion_get_streams(m2, nums, &c), S_OK);
    CHECK_EQ_U(c, 3);
    /* Removal matches by value: the edited copy is not in the profile, the fresh one is. */
    CHECK_HR(wm_profile_remove_mutual_exclusion(p, m1), E_INVALIDARG);
    CHECK_HR(wm_profile_remove_mutual_exclusion(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_remove_mutual_exclusion(NULL, m2), E_POINTER);
    CHECK_HR(wm_profile_remove_mutual_exclusion(p, m2), S_OK);
    CHECK_HR(wm_profile_get_mutual_exclusion_count(p, &n), S_OK);
    CHECK_EQ_U(n, 0);
    CHECK_HR(wm_profile_add_mutual_exclusion(p, m2), S_OK);
    CHECK_HR(wm_profile_get_mutual_exclusion_count(p, &n), S_OK);
    CHECK_EQ_U(n, 1);
    CHECK_EQ_U(wm_mutual_exclusion_release(m2), 0);
    CHECK_EQ_U(wm_mutual_exclusion_release(m1), 0);

    /* A new one: type unset until set_type; only CLSID_WMMUTEX_Bitrate goes into a profile. */
    CHECK_HR(wm_profile_create_new_mutual_exclusion(p, NULL), E_INVALIDARG);
    mx = (WMMutualExclusion *)JUNK;
    CHECK_HR(wm_profile_create_new_mutual_exclusion(NULL, &mx), E_POINTER);
    CHECK_NULL(mx);
    CHECK_HR(wm_profile_create_new_mutual_exclusion(p, &mx), S_OK);
    CHECK_HR(wm_mutual_exclusion_get_type(mx, &t), S_OK);
    CHECK(guid_zero(&t));
    CHECK_HR(wm_mutual_exclusion_add_stream(mx, 2), S_OK);
    CHECK_HR(wm_profile_add_mutual_exclusion(p, mx), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_set_type(mx, &WMMEDIATYPE_Audio), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_set_type(mx, NULL), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_set_type(mx, &CLSID_WMMUTEX_Language), S_OK);
    CHECK_HR(wm_profile_add_mutual_exclusion(p, mx), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_set_type(mx, &CLSID_WMMUTEX_Bitrate), S_OK);
    CHECK_HR(wm_mutual_exclusion_add_stream(mx, 9), S_OK);
    CHECK_HR(wm_profile_add_mutual_exclusion(p, mx), NS_E_INVALID_STREAM);
    CHECK_HR(wm_mutual_exclusion_remove_stream(mx, 9), S_OK);
    CHECK_HR(wm_mutual_exclusion_set_name(mx, "bitrates"), S_OK);
    CHECK_HR(wm_mutual_exclusion_set_name(mx, NULL), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_add_record(mx), S_OK);
    CHECK_HR(wm_mutual_exclusion_set_record_name(mx, 0, "only"), S_OK);
    CHECK_HR(wm_mutual_exclusion_set_record_name(mx, 1, "none"), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_add_stream_for_record(mx, 0, 3), S_OK);
    CHECK_HR(wm_mutual_exclusion_add_stream_for_record(mx, 1, 3), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_add_stream_for_record(mx, 0, 3), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_remove_stream_for_record(mx, 0, 4), E_INVALIDARG);
    CHECK_HR(wm_mutual_exclusion_add_record(mx), S_OK);
    CHECK_HR(wm_mutual_exclusion_remove_record(mx, 1), S_OK);
    CHECK_HR(wm_mutual_exclusion_remove_record(mx, 1), E_INVALIDARG);
    CHECK_HR(wm_profile_add_mutual_exclusion(p, mx), S_OK);
    CHECK_HR(wm_profile_get_mutual_exclusion_count(p, &n), S_OK);
    CHECK_EQ_U(n, 2);
    CHECK_EQ_U(wm_mutual_exclusion_release(mx), 0);

    /* Removing a stream removes it from the groups. */
    CHECK_HR(wm_profile_remove_stream_by_number(p, 3), S_OK);
    CHECK_HR(wm_profile_get_mutual_exclusion(p, 0, &m1), S_OK);
    c = 8;
    CHECK_HR(wm_mutual_exclusion_get_streams(m1, nums, &c), S_OK);
    CHECK(c == 2 && nums[0] == 2 && nums[1] == 4);
    CHECK_EQ_U(wm_mutual_exclusion_release(m1), 0);

    CHECK_EQ_U(wm_mutual_exclusion_add_ref(NULL), 0);
    CHECK_EQ_U(wm_mutual_exclusion_release(NULL), 0);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_bandwidth_sharing(void) {
    WMProfile *p = load_doc("mbr_mutex.prx");
    WMBandwidthSharing *b1 = NULL, *b2 = NULL, *bn = (WMBandwidthSharing *)JUNK;
    uint32_t n = 0, rate = 7, win = 7;
    uint16_t nums[4], c = 4;
    WMGuid t;
    if (!p) return;

    CHECK_HR(wm_profile_get_bandwidth_sharing_count(p, &n), S_OK);
    CHECK_EQ_U(n, 1);
    CHECK_HR(wm_profile_get_bandwidth_sharing_count(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_get_bandwidth_sharing(p, 0, &b1), S_OK);
    CHECK_HR(wm_profile_get_bandwidth_sharing(p, 0, &b2), S_OK);
    CHECK(b1 != b2);
    CHECK_EQ_U(wm_bandwidth_sharing_release(b2), 0);
    b2 = (WMBandwidthSharing *)JUNK;
    CHECK_HR(wm_profile_get_bandwidth_sharing(p, 1, &b2), E_INVALIDARG);
    CHECK_NULL(b2);
    CHECK_HR(wm_bandwidth_sharing_get_type(b1, &t), S_OK);
    CHECK(guid_eq(&t, &CLSID_WMBandwidthSharing_Exclusive));
    CHECK_HR(wm_bandwidth_sharing_get_bandwidth(b1, &rate, &win), S_OK);
    CHECK(rate == 600000 && win == 5000);
    CHECK_HR(wm_bandwidth_sharing_get_bandwidth(b1, &rate, NULL), E_INVALIDARG);
    CHECK(rate == 0);
    rate = win = 7;
    CHECK_HR(wm_bandwidth_sharing_get_bandwidth(NULL, &rate, &win), E_POINTER);
    CHECK(rate == 0 && win == 0);
    CHECK_HR(wm_bandwidth_sharing_get_streams(b1, nums, &c), S_OK);
    CHECK(c == 3 && nums[0] == 2 && nums[2] == 4);
    c = 1;
    CHECK_HR(wm_bandwidth_sharing_get_streams(b1, nums, &c), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(c, 3);
    /* Local edit, then remove by value fails; the fresh copy removes. */
    CHECK_HR(wm_bandwidth_sharing_set_bandwidth(b1, 1000, 1), S_OK);
    CHECK_HR(wm_profile_remove_bandwidth_sharing(p, b1), E_INVALIDARG);
    CHECK_HR(wm_bandwidth_sharing_set_bandwidth(b1, 600000, 5000), S_OK);
    CHECK_HR(wm_profile_remove_bandwidth_sharing(p, b1), S_OK);
    CHECK_HR(wm_profile_remove_bandwidth_sharing(p, b1), E_INVALIDARG);
    CHECK_HR(wm_profile_remove_bandwidth_sharing(p, NULL), E_INVALIDARG);
    CHECK_EQ_U(wm_bandwidth_sharing_release(b1), 0);

    CHECK_HR(wm_profile_create_new_bandwidth_sharing(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_create_new_bandwidth_sharing(NULL, &bn), E_POINTER);
    CHECK_NULL(bn);
    CHECK_HR(wm_profile_create_new_bandwidth_sharing(p, &bn), S_OK);
    CHECK_HR(wm_bandwidth_sharing_add_stream(bn, 2), S_OK);
    CHECK_HR(wm_bandwidth_sharing_add_stream(bn, 2), E_INVALIDARG);
    CHECK_HR(wm_bandwidth_sharing_remove_stream(bn, 3), E_INVALIDARG);
    CHECK_HR(wm_profile_add_bandwidth_sharing(p, bn), E_INVALIDARG); /* no type yet */
    CHECK_HR(wm_bandwidth_sharing_set_type(bn, &CLSID_WMMUTEX_Bitrate), E_INVALIDARG);
    CHECK_HR(wm_bandwidth_sharing_set_type(bn, NULL), E_INVALIDARG);
    CHECK_HR(wm_bandwidth_sharing_set_type(bn, &CLSID_WMBandwidthSharing_Partial), S_OK);
    CHECK_HR(wm_bandwidth_sharing_add_stream(bn, 40), S_OK);
    CHECK_HR(wm_profile_add_bandwidth_sharing(p, bn), NS_E_INVALID_STREAM);
    CHECK_HR(wm_bandwidth_sharing_remove_stream(bn, 40), S_OK);
    CHECK_HR(wm_bandwidth_sharing_set_bandwidth(bn, 200000, 3000), S_OK);
    CHECK_HR(wm_profile_add_bandwidth_sharing(p, bn), S_OK);
    CHECK_HR(wm_profile_add_bandwidth_sharing(NULL, bn), E_POINTER);
    CHECK_HR(wm_profile_add_bandwidth_sharing(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_get_bandwidth_sharing_count(p, &n), S_OK);
    CHECK_EQ_U(n, 1);
    CHECK_EQ_U(wm_bandwidth_sharing_release(bn), 0);
    CHECK_EQ_U(wm_bandwidth_sharing_add_ref(NULL), 0);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_stream_prioritization(void) {
    WMProfile *p = load_doc("mbr_mutex.prx");
    WMStreamPrioritization *s1 = NULL, *s2 = NULL, *sn = (WMStreamPrioritization *)JUNK;
    WM_STREAM_PRIORITY_RECORD r[8];
    uint16_t c = 0;
    if (!p) return;

    CHECK_HR(wm_profile_get_stream_prioritization(p, &s1), S_OK);
    CHECK_HR(wm_profile_get_stream_prioritization(p, &s2), S_OK);
    CHECK(s1 != NULL && s2 != NULL && s1 != s2);
    CHECK_EQ_U(wm_stream_prioritization_release(s2), 0);
    CHECK_HR(wm_profile_get_stream_prioritization(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_prioritization_get_priority_records(s1, NULL, &c), S_OK);
    CHECK_EQ_U(c, 4);
    c = 3;
    CHECK_HR(wm_stream_prioritization_get_priority_records(s1, r, &c), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(c, 4);
    CHECK_HR(wm_stream_prioritization_get_priority_records(s1, r, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_prioritization_get_priority_records(NULL, r, &c), E_POINTER);
    c = 8;
    CHECK_HR(wm_stream_prioritization_get_priority_records(s1, r, &c), S_OK);
    CHECK(c == 4 && r[0].wStreamNumber == 1 && r[0].fMandatory == 1 && r[1].wStreamNumber == 4 && r[3].fMandatory == 0);
    /* Records: duplicates, 0, NULL with a count are refused. */
    r[1].wStreamNumber = 1;
    CHECK_HR(wm_stream_prioritization_set_priority_records(s1, r, 2), E_INVALIDARG);
    r[1].wStreamNumber = 0;
    CHECK_HR(wm_stream_prioritization_set_priority_records(s1, r, 2), E_INVALIDARG);
    CHECK_HR(wm_stream_prioritization_set_priority_records(s1, NULL, 1), E_INVALIDARG);
    CHECK_HR(wm_stream_prioritization_set_priority_records(s1, NULL, 0), S_OK);
    r[0].wStreamNumber = 2;
    r[0].fMandatory = 1;
    r[1].wStreamNumber = 9;
    CHECK_HR(wm_stream_prioritization_set_priority_records(s1, r, 2), S_OK);
    /* The profile still has the old one until set; stream 9 is not in the profile. */
    CHECK_HR(wm_profile_set_stream_prioritization(p, s1), E_INVALIDARG);
    CHECK_HR(wm_profile_set_stream_prioritization(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_prioritization_set_priority_records(s1, r, 1), S_OK);
    CHECK_HR(wm_profile_set_stream_prioritization(p, s1), S_OK);
    CHECK_EQ_U(wm_stream_prioritization_release(s1), 0);
    CHECK_HR(wm_profile_get_stream_prioritization(p, &s1), S_OK);
    c = 8;
    CHECK_HR(wm_stream_prioritization_get_priority_records(s1, r, &c), S_OK);
    CHECK(c == 1 && r[0].wStreamNumber == 2 && r[0].fMandatory == 1);
    CHECK_EQ_U(wm_stream_prioritization_release(s1), 0);
    /* Removed: S_OK with NULL, as the SDK documents. */
    CHECK_HR(wm_profile_remove_stream_prioritization(p), S_OK);
    CHECK_HR(wm_profile_remove_stream_prioritization(NULL), E_POINTER);
    s1 = (WMStreamPrioritization *)JUNK;
    CHECK_HR(wm_profile_get_stream_prioritization(p, &s1), S_OK);
    CHECK_NULL(s1);
    CHECK_HR(wm_profile_create_new_stream_prioritization(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_create_new_stream_prioritization(NULL, &sn), E_POINTER);
    CHECK_NULL(sn);
    CHECK_HR(wm_profile_create_new_stream_prioritization(p, &sn), S_OK);
    c = 5;
    CHECK_HR(wm_stream_prioritization_get_priority_records(sn, r, &c), S_OK);
    CHECK_EQ_U(c, 0);
    CHECK_HR(wm_profile_set_stream_prioritization(p, sn), S_OK);
    CHECK_EQ_U(wm_stream_prioritization_release(sn), 0);
    CHECK_EQ_U(wm_stream_prioritization_release(NULL), 0);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_profile3_misc(void) {
    WMProfile *p = load_doc("av_wma_wmv.prx"), *e = NULL;
    uint32_t f = 9;
    uint64_t packets = 9;
    WMGuid id;
    if (!p) return;

    CHECK_HR(wm_profile_get_storage_format(p, &f), S_OK);
    CHECK_EQ_U(f, WMT_Storage_Format_V1);
    /* MP3 is a read-only storage format: refused, the profile stays ASF. */
    CHECK_HR(wm_profile_set_storage_format(p, WMT_Storage_Format_MP3), E_INVALIDARG);
    CHECK_LAST_ERROR("writes ASF");
    CHECK_HR(wm_profile_get_storage_format(p, &f), S_OK);
    CHECK_EQ_U(f, WMT_Storage_Format_V1);
    CHECK_HR(wm_profile_set_storage_format(p, WMT_Storage_Format_V1), S_OK);
    /* A PRX that says MP3 still loads (and saves back so), but no writer takes it. */
    {
        char *t = save(p), *at = strstr(t, "storageformat=\"1\"");
        CHECK(at != NULL);
        if (at) {
            at[strlen("storageformat=\"")] = '0';
            WMProfile *mp3 = load(t);
            WMWriter *w = NULL;
            CHECK_HR(wm_profile_get_storage_format(mp3, &f), S_OK);
            CHECK_EQ_U(f, WMT_Storage_Format_MP3);
            CHECK_HR(wm_create_writer(&w), S_OK);
            CHECK_HR(wm_writer_set_profile(w, mp3), NS_E_INVALIDPROFILE);
            CHECK_LAST_ERROR("ASF files only");
            CHECK_EQ_U(wm_writer_release(w), 0);
            CHECK_EQ_U(wm_profile_release(mp3), 0);
        }
        free(t);
    }
    CHECK_HR(wm_profile_set_storage_format(p, 2), E_INVALIDARG);
    CHECK_HR(wm_profile_get_storage_format(p, NULL), E_INVALIDARG);
    f = 9;
    CHECK_HR(wm_profile_get_storage_format(NULL, &f), E_POINTER);
    CHECK_EQ_U(f, 0);
    CHECK_HR(wm_profile_set_storage_format(NULL, 1), E_POINTER);

    memset(&id, 0x55, sizeof id);
    CHECK_HR(wm_profile_get_profile_id(p, &id), S_OK);
    CHECK(guid_zero(&id));
    CHECK_HR(wm_profile_get_profile_id(p, NULL), E_INVALIDARG);
    memset(&id, 0x55, sizeof id);
    CHECK_HR(wm_profile_get_profile_id(NULL, &id), E_POINTER);
    CHECK(guid_zero(&id));

    /* 564 kbps for 10 s is about 705 kB: hundreds of packets. */
    CHECK_HR(wm_profile_get_expected_packet_count(p, 10000, &packets), S_OK);
    CHECK(packets > 100 && packets < 2000);
    CHECK_HR(wm_profile_get_expected_packet_count(p, 0, &packets), S_OK);
    CHECK(packets == 0);
    CHECK_HR(wm_profile_set_max_packet_size(p, 1000), S_OK);
    CHECK_HR(wm_profile_get_expected_packet_count(p, 1000, &packets), S_OK);
    CHECK(packets == (70500 + 968) / 969);
    CHECK_HR(wm_profile_get_expected_packet_count(p, 1000, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &e), S_OK);
    packets = 9;
    CHECK_HR(wm_profile_get_expected_packet_count(e, 1000, &packets), E_NOTIMPL);
    CHECK(packets == 0);
    CHECK_EQ_U(wm_profile_release(e), 0);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_stream_config(void) {
    WMProfile *p = load_doc("data_unit_extensions.prx");
    WMStreamConfig *v = NULL, *v2 = NULL, *a = NULL;
    static const WMGuid ext = {0xC6BD9450, 0x867F, 0x4907, {0x83, 0xA3, 0xC7, 0x79, 0x21, 0xB7, 0x33, 0xAD}};
    static const WMGuid timecode = {0x399595EC, 0x8667, 0x4E2D, {0x8F, 0xDB, 0x98, 0x81, 0x4C, 0xE7, 0x6C, 0x1E}};
    WMGuid id;
    uint16_t c = 0, size = 9;
    uint8_t info[8];
    uint32_t len = 0, q = 0, t = 9;
    int64_t spacing = 0;
    char lang[16];
    if (!p) return;

    CHECK_HR(wm_profile_get_stream_by_number(p, 2, &v), S_OK);
    CHECK_HR(wm_profile_get_stream_by_number(p, 2, &v2), S_OK);
    CHECK(v != v2);
    CHECK_EQ_U(wm_stream_config_release(v2), 0);
    /* Data unit extensions as loaded. */
    CHECK_HR(wm_stream_config_get_data_unit_extension_count(v, &c), S_OK);
    CHECK_EQ_U(c, 3);
    CHECK_HR(wm_stream_config_get_data_unit_extension_count(v, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 2, &id, &size, NULL, &len), S_OK);
    CHECK(guid_eq(&id, &timecode) && size == 14 && len == 4);
    len = 3;
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 2, &id, &size, info, &len), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(len, 4);
    CHECK(guid_zero(&id) && size == 0);
    len = sizeof info;
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 2, &id, &size, info, &len), S_OK);
    CHECK(len == 4 && info[0] == 0x01 && info[3] == 0xB0);
    size = 9;
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 3, &id, &size, NULL, &len), E_INVALIDARG);
    CHECK(size == 0 && guid_zero(&id));
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 0, NULL, &size, NULL, &len), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 0, &id, NULL, NULL, &len), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 0, &id, &size, NULL, NULL), E_INVALIDARG);
    /* Same GUID again replaces; NULL info with a length is refused. */
    CHECK_HR(wm_stream_config_add_data_unit_extension(v, &ext, 4, NULL, 0), S_OK);
    CHECK_HR(wm_stream_config_get_data_unit_extension_count(v, &c), S_OK);
    CHECK_EQ_U(c, 3);
    CHECK_HR(wm_stream_config_get_data_unit_extension(v, 0, &id, &size, NULL, &len), S_OK);
    CHECK(guid_eq(&id, &ext) && size == 4 && len == 0);
    CHECK_HR(wm_stream_config_add_data_unit_extension(v, &ext, 4, NULL, 1), E_INVALIDARG);
    CHECK_HR(wm_stream_config_add_data_unit_extension(v, NULL, 4, info, 1), E_INVALIDARG);
    CHECK_HR(wm_stream_config_add_data_unit_extension(NULL, &ext, 4, NULL, 0), E_POINTER);
    CHECK_HR(wm_stream_config_add_data_unit_extension(v, &WMMEDIATYPE_Text, 0xFFFF, info, 2), S_OK);
    CHECK_HR(wm_stream_config_get_data_unit_extension_count(v, &c), S_OK);
    CHECK_EQ_U(c, 4);
    CHECK_HR(wm_stream_config_remove_all_data_unit_extensions(v), S_OK);
    CHECK_HR(wm_stream_config_remove_all_data_unit_extensions(NULL), E_POINTER);
    CHECK_HR(wm_stream_config_get_data_unit_extension_count(v, &c), S_OK);
    CHECK_EQ_U(c, 0);

    /* Language. */
    c = sizeof lang;
    CHECK_HR(wm_stream_config_get_language(v, lang, &c), S_OK);
    CHECK_STR_EQ(lang, "de-de");
    c = 2;
    CHECK_HR(wm_stream_config_get_language(v, lang, &c), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(c, 6);
    CHECK_HR(wm_stream_config_get_language(v, lang, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_language(v, "fr-ca"), S_OK);
    CHECK_HR(wm_stream_config_set_language(v, NULL), E_INVALIDARG);
    /* Transport type. */
    CHECK_HR(wm_stream_config_get_transport_type(v, &t), S_OK);
    CHECK_EQ_U(t, WMT_Transport_Type_Unreliable);
    CHECK_HR(wm_stream_config_set_transport_type(v, WMT_Transport_Type_Reliable), S_OK);
    CHECK_HR(wm_stream_config_set_transport_type(v, 2), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_transport_type(v, &t), S_OK);
    CHECK_EQ_U(t, WMT_Transport_Type_Reliable);
    CHECK_HR(wm_stream_config_get_transport_type(v, NULL), E_INVALIDARG);
    t = 9;
    CHECK_HR(wm_stream_config_get_transport_type(NULL, &t), E_POINTER);
    CHECK_EQ_U(t, 0);
    /* IWMVideoMediaProps. */
    CHECK_HR(wm_stream_config_get_max_key_frame_spacing(v, &spacing), S_OK);
    CHECK(spacing == 10000000);
    CHECK_HR(wm_stream_config_set_max_key_frame_spacing(v, 30000000), S_OK);
    CHECK_HR(wm_stream_config_set_max_key_frame_spacing(v, -1), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_max_key_frame_spacing(v, NULL), E_INVALIDARG);
    spacing = 9;
    CHECK_HR(wm_stream_config_get_max_key_frame_spacing(NULL, &spacing), E_POINTER);
    CHECK(spacing == 0);
    CHECK_HR(wm_stream_config_get_quality(v, &q), S_OK);
    CHECK_EQ_U(q, 50);
    CHECK_HR(wm_stream_config_set_quality(v, 100), S_OK);
    CHECK_HR(wm_stream_config_set_quality(v, 101), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_quality(v, NULL), E_INVALIDARG);

    /* None of this reached the profile yet. */
    CHECK_HR(wm_profile_get_stream_by_number(p, 2, &v2), S_OK);
    CHECK_HR(wm_stream_config_get_quality(v2, &q), S_OK);
    CHECK_EQ_U(q, 50);
    CHECK_HR(wm_stream_config_get_data_unit_extension_count(v2, &c), S_OK);
    CHECK_EQ_U(c, 3);
    CHECK_EQ_U(wm_stream_config_release(v2), 0);
    /* reconfig_stream commits it. */
    CHECK_HR(wm_profile_reconfig_stream(p, v), S_OK);
    CHECK_HR(wm_profile_get_stream_by_number(p, 2, &v2), S_OK);
    CHECK_HR(wm_stream_config_get_quality(v2, &q), S_OK);
    CHECK_EQ_U(q, 100);
    CHECK_HR(wm_stream_config_get_transport_type(v2, &t), S_OK);
    CHECK_EQ_U(t, 1);
    c = sizeof lang;
    CHECK_HR(wm_stream_config_get_language(v2, lang, &c), S_OK);
    CHECK_STR_EQ(lang, "fr-ca");
    CHECK_HR(wm_stream_config_get_data_unit_extension_count(v2, &c), S_OK);
    CHECK_EQ_U(c, 0);
    CHECK_EQ_U(wm_stream_config_release(v2), 0);
    CHECK_EQ_U(wm_stream_config_release(v), 0);

    /* A stream built by hand: add_stream copies it; the edits survive save + load. */
    CHECK_HR(wm_profile_get_stream_by_number(p, 1, &a), S_OK);
    CHECK_HR(wm_stream_config_set_stream_number(a, 5), S_OK);
    CHECK_HR(wm_stream_config_add_data_unit_extension(a, &ext, 2, (const uint8_t *)"\x01\x02", 2), S_OK);
    CHECK_HR(wm_profile_add_stream(p, a), S_OK);
    {
        char *s1 = save(p), *s2;
        WMProfile *r = load(s1);
        WMStreamConfig *x = NULL;
        if (r) {
            CHECK_HR(wm_profile_get_stream_by_number(r, 5, &x), S_OK);
            CHECK_HR(wm_stream_config_get_data_unit_extension_count(x, &c), S_OK);
            CHECK_EQ_U(c, 2);
            len = sizeof info;
            CHECK_HR(wm_stream_config_get_data_unit_extension(x, 1, &id, &size, info, &len), S_OK);
            CHECK(guid_eq(&id, &ext) && size == 2 && len == 2 && info[1] == 2);
            wm_stream_config_release(x);
            s2 = save(r);
            CHECK_STR_EQ(s1, s2);
            free(s2);
            CHECK_EQ_U(wm_profile_release(r), 0);
        }
        free(s1);
    }
    CHECK_EQ_U(wm_stream_config_release(a), 0);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

/* A profile built through the C API only saves, loads and saves again identically. */
static void test_built_profile_round_trip(void) {
    WMProfile *p = NULL, *q;
    WMStreamConfig *s = NULL;
    WMMutualExclusion *m = NULL;
    struct {
        WM_MEDIA_TYPE mt;
        uint8_t wfx[18];
    } t;
    char *s1, *s2;
    CHECK_HR(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &p), S_OK);
    CHECK_HR(wm_profile_set_name(p, "Built <by> \"C\" & co"), S_OK);
    CHECK_HR(wm_profile_set_description(p, "line one\nline two"), S_OK);
    memset(&t, 0, sizeof t);
    t.mt.majortype = WMMEDIATYPE_Audio;
    t.mt.subtype = WMMEDIASUBTYPE_PCM;
    t.mt.bFixedSizeSamples = 1;
    t.mt.lSampleSize = 4;
    t.mt.formattype = WMFORMAT_WaveFormatEx;
    t.mt.cbFormat = 18;
    t.mt.pbFormat = t.wfx;
    wm_t_put16(t.wfx, 1);
    wm_t_put16(t.wfx + 2, 2);
    wm_t_put32(t.wfx + 4, 48000);
    wm_t_put32(t.wfx + 8, 192000);
    wm_t_put16(t.wfx + 12, 4);
    wm_t_put16(t.wfx + 14, 16);
    for (int n = 1; n <= 2; n++) {
        CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), S_OK);
        CHECK_HR(wm_stream_config_set_media_type(s, &t.mt), S_OK);
        CHECK_HR(wm_stream_config_set_bitrate(s, 1536000), S_OK);
        CHECK_HR(wm_stream_config_set_connection_name(s, "Audio"), S_OK);
        CHECK_HR(wm_stream_config_set_stream_name(s, n == 1 ? "high" : "low"), S_OK);
        CHECK_HR(wm_stream_config_set_language(s, "en-gb"), S_OK);
        CHECK_HR(wm_profile_add_stream(p, s), S_OK);
        wm_stream_config_release(s);
    }
    CHECK_HR(wm_profile_create_new_mutual_exclusion(p, &m), S_OK);
    CHECK_HR(wm_mutual_exclusion_set_type(m, &CLSID_WMMUTEX_Bitrate), S_OK);
    CHECK_HR(wm_mutual_exclusion_add_stream(m, 1), S_OK);
    CHECK_HR(wm_mutual_exclusion_add_stream(m, 2), S_OK);
    CHECK_HR(wm_profile_add_mutual_exclusion(p, m), S_OK);
    wm_mutual_exclusion_release(m);
    s1 = save(p);
    CHECK(strstr(s1, "name=\"Built &lt;by&gt; &quot;C&quot; &amp; co\"") != NULL);
    CHECK(strstr(s1, "<mutualexclusion type=\"{D6E22A01-35DA-11D1-9034-00A0C90349BE}\">") != NULL);
    q = load(s1);
    if (q) {
        char name[64];
        uint32_t n = sizeof name;
        CHECK_HR(wm_profile_get_description(q, name, &n), S_OK);
        CHECK_STR_EQ(name, "line one\nline two");
        s2 = save(q);
        CHECK_STR_EQ(s1, s2);
        free(s2);
        wm_profile_release(q);
    }
    free(s1);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

int main(int argc, char **argv) {
    (void)wm_t_outdir(argc, argv);
    CHECK_HR(wm_create_profile_manager(&pm), S_OK);
    test_corpus();
    test_load_save_errors();
    test_mutual_exclusion();
    test_bandwidth_sharing();
    test_stream_prioritization();
    test_profile3_misc();
    test_stream_config();
    test_built_profile_round_trip();
    CHECK_EQ_U(wm_profile_manager_release(pm), 0);
    return wm_t_summary();
}
