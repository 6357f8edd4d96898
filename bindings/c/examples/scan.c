/*
 * scan: find the card's QR code in each image file given and print one JSON object per file
 * -- the object `cccd scan` prints, without its "file" key.
 *
 *   cc -std=c99 -Ibindings/c/include bindings/c/examples/scan.c -Ltarget/release -lcccd -o scan
 *   LD_LIBRARY_PATH=target/release ./scan [--raw] [--redact] [--today YYYY-MM-DD] card.jpg...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cccd.h"

/* The whole file at `path`, or NULL. */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL, *grown;
    size_t cap = 0, n;
    *len = 0;
    if (f == NULL) return NULL;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
        }
        n = fread(buf + *len, 1, cap - *len, f);
        if (n == 0) break;
        *len += n;
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    uint32_t flags = 0;
    const char *today = NULL;
    int i, status = 0;

    for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--raw") == 0) {
            flags |= CCCD_RAW;
        } else if (strcmp(argv[i], "--redact") == 0) {
            flags |= CCCD_REDACT;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            today = argv[++i];
        } else {
            fprintf(stderr, "usage: %s [--raw] [--redact] [--today YYYY-MM-DD] IMAGE...\n", argv[0]);
            return 2;
        }
    }
    for (; i < argc; i++) {
        size_t len;
        uint8_t *image = read_file(argv[i], &len);
        char *json;
        if (image == NULL) {
            fprintf(stderr, "scan: cannot read %s\n", argv[i]);
            status = 1;
            continue;
        }
        json = cccd_scan_json(image, len, flags, today);
        free(image);
        if (json == NULL) {
            fputs("scan: out of memory\n", stderr);
            return 1;
        }
        puts(json);
        cccd_string_free(json);
    }
    return status;
}
