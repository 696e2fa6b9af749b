/* A minimal wmwriter consumer, built against an installed tree (find_package / pkg-config). */
#include <stdio.h>
#include <wmwriter.h>

int main(void) {
    WMWriter *w = NULL; WMProfileManager *m = NULL; WMProfile *p = NULL;
    if (wm_create_writer(&w) != S_OK || wm_create_profile_manager(&m) != S_OK) return 1;
    if (wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p) != S_OK) return 1;
    printf("%s\n", wm_hresult_name(S_OK));
    wm_profile_release(p); wm_profile_manager_release(m); wm_writer_release(w);
    return 0;
}
