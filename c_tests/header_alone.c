/* The header must compile on its own (no prior includes) as strict C11 with
 * -Wall -Wextra -Wpedantic -Werror: this file includes nothing else. */
#include "wmwriter.h"

size_t wm_header_alone_media_type_size(void);

size_t wm_header_alone_media_type_size(void) { return sizeof(WM_MEDIA_TYPE); }
