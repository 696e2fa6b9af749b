/*
 * test_buffer: WMBuffer (INSSBuffer): create, lengths, data pointers, NULL arguments,
 * reference counts.
 */
#include <string.h>
#include "test_util.h"

#define DEADBEEF_PTR ((void *)(uintptr_t)0xdeadbeef)
#define DEADBEEF_U32 0xdeadbeefu

static void test_create_and_lengths(void) {
    WMBuffer *b = (WMBuffer *)DEADBEEF_PTR;
    uint32_t len = DEADBEEF_U32, max = DEADBEEF_U32;
    uint8_t *data = (uint8_t *)DEADBEEF_PTR, *data2 = (uint8_t *)DEADBEEF_PTR;
    uint32_t i;

    CHECK_HR(wm_create_buffer(1000, &b), S_OK);
    CHECK(b != NULL && b != (WMBuffer *)DEADBEEF_PTR);
    if (!b || b == (WMBuffer *)DEADBEEF_PTR) return;

    CHECK_HR(wm_buffer_get_length(b, &len), S_OK);
    CHECK_EQ_U(len, 0); /* a new buffer is empty */
    CHECK_HR(wm_buffer_get_max_length(b, &max), S_OK);
    CHECK_EQ_U(max, 1000);

    /* The data pointer: max_length writable bytes. */
    CHECK_HR(wm_buffer_get_buffer(b, &data), S_OK);
    CHECK(data != NULL && data != (uint8_t *)DEADBEEF_PTR);
    if (data && data != (uint8_t *)DEADBEEF_PTR)
        for (i = 0; i < 1000; i++) data[i] = (uint8_t)(i * 7);

    CHECK_HR(wm_buffer_set_length(b, 600), S_OK);
    CHECK_HR(wm_buffer_get_length(b, &len), S_OK);
    CHECK_EQ_U(len, 600);

    /* Beyond max → E_INVALIDARG, length unchanged. */
    CHECK_HR(wm_buffer_set_length(b, 1001), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_buffer_set_length(b, 0xFFFFFFFFu), E_INVALIDARG);
    CHECK_HR(wm_buffer_get_length(b, &len), S_OK);
    CHECK_EQ_U(len, 600);
    /* Max itself and 0 are fine. */
    CHECK_HR(wm_buffer_set_length(b, 1000), S_OK);
    CHECK_HR(wm_buffer_get_length(b, &len), S_OK);
    CHECK_EQ_U(len, 1000);
    CHECK_HR(wm_buffer_set_length(b, 0), S_OK);
    CHECK_HR(wm_buffer_get_length(b, &len), S_OK);
    CHECK_EQ_U(len, 0);
    CHECK_HR(wm_buffer_set_length(b, 777), S_OK);

    /* get_buffer_and_length: the same pointer as get_buffer, and the used length. */
    len = DEADBEEF_U32;
    CHECK_HR(wm_buffer_get_buffer_and_length(b, &data2, &len), S_OK);
    CHECK(data2 == data);
    CHECK_EQ_U(len, 777);
    /* The pointer is stable and the bytes are what we wrote. */
    CHECK_HR(wm_buffer_get_buffer(b, &data2), S_OK);
    CHECK(data2 == data);
    if (data2 && data2 != (uint8_t *)DEADBEEF_PTR) {
        int same = 1;
        for (i = 0; i < 1000; i++) same &= data2[i] == (uint8_t)(i * 7);
        CHECK(same);
    }
    /* set_length does not change max length. */
    CHECK_HR(wm_buffer_get_max_length(b, &max), S_OK);
    CHECK_EQ_U(max, 1000);

    CHECK_EQ_U(wm_buffer_release(b), 0);
}

static void test_two_buffers_are_independent(void) {
    WMBuffer *a = NULL, *b = NULL;
    uint8_t *pa = NULL, *pb = NULL;
    uint32_t la = 0, lb = 0;
    CHECK_HR(wm_create_buffer(16, &a), S_OK);
    CHECK_HR(wm_create_buffer(32, &b), S_OK);
    CHECK(a != NULL && b != NULL && a != b);
    if (!a || !b) goto out;
    CHECK_HR(wm_buffer_get_buffer(a, &pa), S_OK);
    CHECK_HR(wm_buffer_get_buffer(b, &pb), S_OK);
    CHECK(pa != NULL && pb != NULL && pa != pb);
    CHECK_HR(wm_buffer_set_length(a, 16), S_OK);
    CHECK_HR(wm_buffer_set_length(b, 3), S_OK);
    CHECK_HR(wm_buffer_get_length(a, &la), S_OK);
    CHECK_HR(wm_buffer_get_length(b, &lb), S_OK);
    CHECK_EQ_U(la, 16);
    CHECK_EQ_U(lb, 3);
    CHECK_HR(wm_buffer_get_max_length(b, &lb), S_OK);
    CHECK_EQ_U(lb, 32);
    /* set_length beyond *this* buffer's max, within the other's. */
    CHECK_HR(wm_buffer_set_length(a, 17), E_INVALIDARG);
out:
    CHECK_EQ_U(wm_buffer_release(a), 0);
    CHECK_EQ_U(wm_buffer_release(b), 0);
}

static void test_zero_sized_buffer(void) {
    WMBuffer *b = NULL;
    uint32_t len = DEADBEEF_U32;
    CHECK_HR(wm_create_buffer(0, &b), S_OK);
    CHECK(b != NULL);
    if (!b) return;
    CHECK_HR(wm_buffer_get_max_length(b, &len), S_OK);
    CHECK_EQ_U(len, 0);
    CHECK_HR(wm_buffer_set_length(b, 0), S_OK);
    CHECK_HR(wm_buffer_set_length(b, 1), E_INVALIDARG);
    CHECK_EQ_U(wm_buffer_release(b), 0);
}

static void test_null_arguments(void) {
    WMBuffer *b = NULL;
    uint32_t len;
    uint8_t *data;

    CHECK_HR(wm_create_buffer(10, NULL), E_POINTER);
    CHECK_LAST_ERROR(NULL);

    CHECK_HR(wm_create_buffer(64, &b), S_OK);
    if (!b) return;
    CHECK_HR(wm_buffer_set_length(b, 5), S_OK);

    /* NULL buffer handle: E_POINTER and the out-params zeroed. */
    len = DEADBEEF_U32;
    CHECK_HR(wm_buffer_get_length(NULL, &len), E_POINTER);
    CHECK_EQ_U(len, 0);
    CHECK_LAST_ERROR(NULL);
    len = DEADBEEF_U32;
    CHECK_HR(wm_buffer_get_max_length(NULL, &len), E_POINTER);
    CHECK_EQ_U(len, 0);
    data = (uint8_t *)DEADBEEF_PTR;
    CHECK_HR(wm_buffer_get_buffer(NULL, &data), E_POINTER);
    CHECK_NULL(data);
    data = (uint8_t *)DEADBEEF_PTR;
    len = DEADBEEF_U32;
    CHECK_HR(wm_buffer_get_buffer_and_length(NULL, &data, &len), E_POINTER);
    CHECK_NULL(data);
    CHECK_EQ_U(len, 0);
    CHECK_HR(wm_buffer_set_length(NULL, 0), E_POINTER);
    CHECK_LAST_ERROR(NULL);

    /* NULL out-pointers. */
    CHECK_HR(wm_buffer_get_length(b, NULL), E_POINTER);
    CHECK_HR(wm_buffer_get_max_length(b, NULL), E_POINTER);
    CHECK_HR(wm_buffer_get_buffer(b, NULL), E_POINTER);
    len = DEADBEEF_U32;
    CHECK_HR(wm_buffer_get_buffer_and_length(b, NULL, &len), E_POINTER);
    CHECK_EQ_U(len, 0);
    data = (uint8_t *)DEADBEEF_PTR;
    CHECK_HR(wm_buffer_get_buffer_and_length(b, &data, NULL), E_POINTER);
    CHECK_NULL(data);
    CHECK_HR(wm_buffer_get_buffer_and_length(b, NULL, NULL), E_POINTER);
    CHECK_HR(wm_buffer_get_buffer_and_length(NULL, NULL, NULL), E_POINTER);

    /* The failures changed nothing. */
    CHECK_HR(wm_buffer_get_length(b, &len), S_OK);
    CHECK_EQ_U(len, 5);

    /* NULL handles in add_ref/release are no-ops returning 0. */
    CHECK_EQ_U(wm_buffer_add_ref(NULL), 0);
    CHECK_EQ_U(wm_buffer_release(NULL), 0);

    CHECK_EQ_U(wm_buffer_release(b), 0);
}

static void test_refcounts(void) {
    WMBuffer *b = NULL;
    uint32_t len = 0;
    CHECK_HR(wm_create_buffer(8, &b), S_OK);
    if (!b) return;
    CHECK_EQ_U(wm_buffer_add_ref(b), 2); /* create = 1 */
    CHECK_EQ_U(wm_buffer_add_ref(b), 3);
    CHECK_EQ_U(wm_buffer_release(b), 2);
    CHECK_EQ_U(wm_buffer_release(b), 1);
    /* Still alive and usable at 1. */
    CHECK_HR(wm_buffer_get_max_length(b, &len), S_OK);
    CHECK_EQ_U(len, 8);
    CHECK_EQ_U(wm_buffer_release(b), 0);
}

/* INSSBuffer3/4: sample properties set, read back (size-query protocol), counted and
 * enumerated in the order first set; replacing keeps the order; failures zero the outs. */
static void test_sample_properties(void) {
    WMBuffer *b = NULL;
    CHECK_HR(wm_create_buffer(16, &b), S_OK);
    uint32_t count = 99;
    CHECK_HR(wm_buffer_get_property_count(b, &count), S_OK);
    CHECK_EQ_U(count, 0);
    uint8_t tc[14] = {0x11, 0x22, 0x33, 0x44, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    uint8_t par[2] = {4, 3};
    CHECK_HR(wm_buffer_set_property(b, &WM_SampleExtensionGUID_Timecode, tc, sizeof tc), S_OK);
    CHECK_HR(wm_buffer_set_property(b, &WM_SampleExtensionGUID_PixelAspectRatio, par, sizeof par), S_OK);
    CHECK_HR(wm_buffer_get_property_count(b, &count), S_OK);
    CHECK_EQ_U(count, 2);

    uint32_t size = 0;
    CHECK_HR(wm_buffer_get_property(b, &WM_SampleExtensionGUID_Timecode, NULL, &size), S_OK);
    CHECK_EQ_U(size, 14); /* size query */
    uint8_t out[32] = {0};
    size = 3;
    CHECK_HR(wm_buffer_get_property(b, &WM_SampleExtensionGUID_Timecode, out, &size), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(size, 14);
    size = sizeof out;
    CHECK_HR(wm_buffer_get_property(b, &WM_SampleExtensionGUID_Timecode, out, &size), S_OK);
    CHECK_EQ_U(size, 14);
    CHECK(memcmp(out, tc, sizeof tc) == 0);
    size = sizeof out;
    CHECK_HR(wm_buffer_get_property(b, &WM_SampleExtensionGUID_FileName, out, &size), NS_E_UNSUPPORTED_PROPERTY);

    /* replacing the first keeps its place in the order */
    uint8_t tc2[14] = {0xAA};
    CHECK_HR(wm_buffer_set_property(b, &WM_SampleExtensionGUID_Timecode, tc2, sizeof tc2), S_OK);
    CHECK_HR(wm_buffer_get_property_count(b, &count), S_OK);
    CHECK_EQ_U(count, 2);
    WMGuid id;
    size = sizeof out;
    CHECK_HR(wm_buffer_get_property_by_index(b, 0, &id, out, &size), S_OK);
    CHECK(memcmp(&id, &WM_SampleExtensionGUID_Timecode, sizeof id) == 0);
    CHECK_EQ_U(size, 14);
    CHECK_EQ_U(out[0], 0xAA);
    size = sizeof out;
    CHECK_HR(wm_buffer_get_property_by_index(b, 1, &id, out, &size), S_OK);
    CHECK(memcmp(&id, &WM_SampleExtensionGUID_PixelAspectRatio, sizeof id) == 0);
    CHECK_EQ_U(size, 2);
    CHECK(out[0] == 4 && out[1] == 3);
    memset(&id, 0xEE, sizeof id);
    size = sizeof out;
    CHECK_HR(wm_buffer_get_property_by_index(b, 2, &id, out, &size), E_INVALIDARG);
    WMGuid zero;
    memset(&zero, 0, sizeof zero);
    CHECK(memcmp(&id, &zero, sizeof id) == 0); /* out-param zeroed on failure */
    CHECK_HR(wm_buffer_get_property_count(NULL, &count), E_POINTER);
    CHECK_EQ_U(wm_buffer_release(b), 0);
}

/* INSSBuffer2 sample properties: the block set comes back byte for byte, a shorter
 * buffer gets ASF_E_BUFFERTOOSMALL and is left untouched, size 0 clears, NULLs fail. */
static void test_sample_properties_block(void) {
    WMBuffer *b = NULL;
    CHECK_HR(wm_create_buffer(64, &b), S_OK);
    uint8_t got[16];
    memset(got, 0xEE, sizeof got);
    CHECK_HR(wm_buffer_get_sample_properties(b, sizeof got, got), S_OK); /* none yet */
    CHECK_EQ_U(got[0], 0xEE);
    const uint8_t props[6] = {1, 2, 3, 4, 5, 6};
    CHECK_HR(wm_buffer_set_sample_properties(b, sizeof props, props), S_OK);
    CHECK_HR(wm_buffer_get_sample_properties(b, sizeof got, got), S_OK);
    CHECK(memcmp(got, props, sizeof props) == 0);
    CHECK_EQ_U(got[6], 0xEE); /* bytes past the block are left alone */
    uint8_t small[4] = {9, 9, 9, 9};
    CHECK_HR(wm_buffer_get_sample_properties(b, sizeof small, small), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(small[0], 9);
    CHECK_LAST_ERROR("6 bytes");
    const uint8_t other[2] = {7, 8};
    CHECK_HR(wm_buffer_set_sample_properties(b, sizeof other, other), S_OK); /* replaces */
    memset(got, 0, sizeof got);
    CHECK_HR(wm_buffer_get_sample_properties(b, 2, got), S_OK);
    CHECK(got[0] == 7 && got[1] == 8);
    CHECK_HR(wm_buffer_set_sample_properties(b, 0, NULL), S_OK); /* clears */
    CHECK_HR(wm_buffer_get_sample_properties(b, 0, NULL), S_OK);
    CHECK_HR(wm_buffer_set_sample_properties(b, 3, NULL), E_POINTER);
    CHECK_HR(wm_buffer_get_sample_properties(b, 3, NULL), E_POINTER);
    CHECK_HR(wm_buffer_set_sample_properties(NULL, 0, NULL), E_POINTER);
    CHECK_HR(wm_buffer_get_sample_properties(NULL, 0, NULL), E_POINTER);
    CHECK_EQ_U(wm_buffer_release(b), 0);
}

int main(void) {
    test_create_and_lengths();
    test_two_buffers_are_independent();
    test_zero_sized_buffer();
    test_null_arguments();
    test_refcounts();
    test_sample_properties();
    test_sample_properties_block();
    return wm_t_summary();
}
