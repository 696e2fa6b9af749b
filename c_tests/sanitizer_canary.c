/*
 * sanitizer_canary: proves that a WMWRITER_SANITIZE build really checks the library's
 * memory. It writes into a buffer's memory after releasing the buffer's last reference
 * (memory the Rust library allocated and freed); AddressSanitizer must stop the program
 * with "heap-use-after-free". Registered with WILL_FAIL, only in sanitized builds: if the
 * write goes unnoticed, the test fails.
 */
#include <stdio.h>

#include "wmwriter.h"

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    WMBuffer *b = NULL;
    uint8_t *data = NULL;
    if (wm_create_buffer(4096, &b) != 0 || wm_buffer_get_buffer(b, &data) != 0 || !data) {
        fprintf(stderr, "sanitizer_canary: could not make a buffer\n");
        return 2;
    }
    data[0] = 1;
    wm_buffer_release(b);
    volatile uint8_t *dangling = data;
    dangling[100] = 2; /* heap-use-after-free: ASan aborts here */
    printf("sanitizer_canary: the write after release went unnoticed\n");
    return 0;
}
