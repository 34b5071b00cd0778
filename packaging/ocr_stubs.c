/* Stand-ins for libcurl and libarchive next to the bundled Tesseract (Linux bundle).
 *
 * Debian's libtesseract links libcurl (to read images from URLs) and libarchive (to read traineddata
 * packed in archives). SmartDesk hands Tesseract a picture on standard input and plain .traineddata files,
 * so it needs neither; the real libraries would bring about 45 MB with them (TLS, Kerberos, LDAP, SSH,
 * libxml2 and a second ICU data library). These stubs export the functions libtesseract and the
 * tesseract program import and make each one fail plainly ("not available"), which Tesseract handles.
 * build.spec compiles this file twice: -DSTUB_CURL (soname libcurl.so.4, symbols versioned CURL_OPENSSL_4
 * through ocr_stubs_curl.map) and -DSTUB_ARCHIVE (libarchive.so.13), unless SMARTDESK_KEEP_OCR_LIBS=1.
 * The self-test reads a receipt with the bundled Tesseract, so a bundle where this went wrong fails it.
 */
#include <stddef.h>

#define EXPORT __attribute__((visibility("default")))

#if defined(STUB_CURL)
EXPORT void *curl_easy_init(void) { return NULL; }
EXPORT int curl_easy_setopt(void *handle, int option, ...) {
    (void)handle;
    (void)option;
    return 2; /* CURLE_FAILED_INIT */
}
EXPORT int curl_easy_perform(void *handle) {
    (void)handle;
    return 2;
}
EXPORT void curl_easy_cleanup(void *handle) { (void)handle; }
EXPORT const char *curl_easy_strerror(int code) {
    (void)code;
    return "reading pictures from URLs is not available in SmartDesk's Tesseract";
}
EXPORT char *curl_version(void) { return (char *)"none (SmartDesk bundle)"; }
#elif defined(STUB_ARCHIVE)
#define ARCHIVE_FATAL (-30)
EXPORT void *archive_read_new(void) { return NULL; }
EXPORT int archive_read_support_filter_all(void *a) {
    (void)a;
    return ARCHIVE_FATAL;
}
EXPORT int archive_read_support_format_all(void *a) {
    (void)a;
    return ARCHIVE_FATAL;
}
EXPORT int archive_read_open_filename(void *a, const char *name, size_t block) {
    (void)a;
    (void)name;
    (void)block;
    return ARCHIVE_FATAL;
}
EXPORT int archive_read_next_header(void *a, void **entry) {
    (void)a;
    if (entry) *entry = NULL;
    return ARCHIVE_FATAL;
}
EXPORT long archive_read_data(void *a, void *buffer, size_t size) {
    (void)a;
    (void)buffer;
    (void)size;
    return ARCHIVE_FATAL;
}
EXPORT int archive_read_free(void *a) {
    (void)a;
    return 0;
}
EXPORT const char *archive_entry_pathname(void *entry) {
    (void)entry;
    return "";
}
EXPORT long long archive_entry_size(void *entry) {
    (void)entry;
    return 0;
}
EXPORT const char *archive_version_details(void) { return "none (SmartDesk bundle)"; }
#else
#error "compile with -DSTUB_CURL or -DSTUB_ARCHIVE"
#endif
