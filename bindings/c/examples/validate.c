/*
 * validate: one card payload per line of standard input, one JSON object per line of
 * standard output -- the same lines `cccd parse --format json` prints.
 *
 *   cc -std=c99 -Ibindings/c/include bindings/c/examples/validate.c -Ltarget/release -lcccd -o validate
 *   LD_LIBRARY_PATH=target/release ./validate [--lenient] [--redact] [--today YYYY-MM-DD] < payloads.txt
 *
 * Lines are read as `cccd parse` reads them: a final LF or CR LF ends a line (the payload is
 * the bytes before it, any bytes, of any length), blank lines are skipped. Plain C99.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cccd.h"

/* Reads one line (without its LF) into *buf, growing it as needed. Returns 1 when a line was
 * read, 0 at the end of input, -1 when memory ran out. */
static int read_line(FILE *in, char **buf, size_t *cap, size_t *len) {
    int c, any = 0;
    *len = 0;
    while ((c = getc(in)) != EOF) {
        any = 1;
        if (c == '\n') break;
        if (*len == *cap) {
            size_t bigger = *cap ? *cap * 2 : 256;
            char *grown = realloc(*buf, bigger);
            if (!grown) return -1;
            *buf = grown;
            *cap = bigger;
        }
        (*buf)[(*len)++] = (char)c;
    }
    return any;
}

int main(int argc, char **argv) {
    uint32_t flags = 0;
    const char *today = NULL; /* NULL: the local date, as `cccd parse` without --today */
    char *line = NULL;
    size_t cap = 0, len = 0;
    int got, i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lenient") == 0) {
            flags |= CCCD_LENIENT;
        } else if (strcmp(argv[i], "--redact") == 0) {
            flags |= CCCD_REDACT; /* as `cccd parse --redact`: for logs */
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            today = argv[++i];
        } else {
            fprintf(stderr, "usage: %s [--lenient] [--redact] [--today YYYY-MM-DD] < payloads\n", argv[0]);
            return 2;
        }
    }

    while ((got = read_line(stdin, &line, &cap, &len)) == 1) {
        char *json;
        if (len > 0 && line[len - 1] == '\r') len--; /* CR LF ends a line too */
        if (len == 0) continue;                       /* blank lines are skipped */
        json = cccd_validate_json((const uint8_t *)line, len, flags, today);
        if (json == NULL) { /* only when memory ran out */
            got = -1;
            break;
        }
        puts(json);
        cccd_string_free(json); /* every returned string is freed by the library */
    }
    free(line);
    if (got < 0) {
        fputs("validate: out of memory\n", stderr);
        return 1;
    }
    return ferror(stdin) || fflush(stdout) != 0 ? 1 : 0;
}
