/* Stand-in for libx265 (the HEVC *encoder*, 21 MB) in the Linux bundle.
 *
 * pillow-heif's libheif links libx265 only to *write* HEIC files; SmartDesk only *reads* them (receipt
 * photos), which libde265 does. libheif imports exactly these two functions; with this stub its x265
 * encoder reports itself unavailable and decoding is untouched. build.spec compiles it with the
 * build number of the library it replaces (X265_BUILD) unless SMARTDESK_KEEP_X265=1.
 * The self-test decodes a HEIC photo, so a bundle where this went wrong fails its self-test.
 */
#ifndef X265_BUILD
#error "compile with -DX265_BUILD=<n>"
#endif
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

__attribute__((visibility("default"))) const void *CAT(x265_api_get_, X265_BUILD)(int bit_depth) {
    (void)bit_depth;
    return 0;
}

__attribute__((visibility("default"))) void x265_cleanup(void) {}
