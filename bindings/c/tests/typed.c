/*
 * The C test of libcccd: the typed API and its error paths, the JSON API's wrong calls,
 * scanning (a corrupt image; a generated QR image when one is given), and calls from
 * several threads at once. Run by bindings/c/test.sh, also under valgrind.
 *
 *   typed [IMAGE EXPECTED_ID_NUMBER]
 *
 * Every payload here is synthetic. Prints "N passed, N failed"; exits 1 on any failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cccd.h"

static int passed, failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

static int str_eq(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int starts_with(const char *s, const char *prefix) {
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int contains(const char *s, const char *part) {
    return s != NULL && strstr(s, part) != NULL;
}

/* Parses a NUL-terminated payload. */
static cccd_status parse(const char *payload, uint32_t flags, cccd_card **card, cccd_error *err) {
    return cccd_parse((const uint8_t *)payload, strlen(payload), flags, card, err);
}

static const char V2021[] =
    "079203001234|123456789|Nguy\xe1\xbb\x85n V\xc4\x83n \xc3\x81nh|01012003|Nam|"
    "S\xe1\xbb\x91 1 L\xc3\xaa L\xe1\xbb\xa3i, Qu\xe1\xba\xadn 1, TP. H\xe1\xbb\x93 Ch\xc3\xad Minh|15082021";
static const char V2024[] =
    "036303000777||L\xc3\xaa Minh Ch\xc3\xa2u|30092003|N\xe1\xbb\xaf|"
    "X\xc3\xb3m 2, H\xe1\xba\xa3i H\xe1\xba\xadu, Nam \xc4\x90\xe1\xbb\x8bnh|12112024||x||";

static void test_valid_2021(void) {
    cccd_card *card = NULL;
    cccd_error err;
    cccd_date d;
    CHECK(parse(V2021, 0, &card, &err) == CCCD_STATUS_OK);
    CHECK(card != NULL);
    CHECK(err.status == CCCD_STATUS_OK && err.code[0] == '\0' && err.message[0] == '\0');
    CHECK(str_eq(cccd_card_id_number(card), "079203001234"));
    CHECK(str_eq(cccd_card_old_id_number(card), "123456789"));
    CHECK(str_eq(cccd_card_full_name(card), "Nguy\xe1\xbb\x85n V\xc4\x83n \xc3\x81nh"));
    CHECK(str_eq(cccd_card_full_name_ascii(card), "NGUYEN VAN ANH"));
    CHECK(starts_with(cccd_card_address(card), "S\xe1\xbb\x91 1 L\xc3\xaa L\xe1\xbb\xa3i"));
    d = cccd_card_date_of_birth(card);
    CHECK(d.year == 2003 && d.month == 1 && d.day == 1);
    CHECK(str_eq(cccd_card_date_of_birth_iso(card), "2003-01-01"));
    d = cccd_card_issue_date(card);
    CHECK(d.year == 2021 && d.month == 8 && d.day == 15);
    CHECK(str_eq(cccd_card_issue_date_iso(card), "2021-08-15"));
    d = cccd_card_expiry_date(card); /* 2014 law: renewed at 25, on the birthday */
    CHECK(d.year == 2028 && d.month == 1 && d.day == 1);
    CHECK(cccd_card_sex(card) == CCCD_SEX_MALE);
    CHECK(cccd_card_layout(card) == CCCD_LAYOUT_V2021);
    CHECK(cccd_card_extra_field_count(card) == 0);
    CHECK(cccd_card_extra_field(card, 0) == NULL);
    CHECK(cccd_card_repair_count(card) == 0);
    CHECK(cccd_card_repair(card, 0) == NULL);
    CHECK(str_eq(cccd_card_payload(card), V2021));
    cccd_card_free(card);
}

static void test_valid_2024(void) {
    cccd_card *card = NULL;
    CHECK(parse(V2024, 0, &card, NULL) == CCCD_STATUS_OK); /* err may be NULL */
    CHECK(cccd_card_old_id_number(card) == NULL);
    CHECK(cccd_card_sex(card) == CCCD_SEX_FEMALE);
    CHECK(cccd_card_layout(card) == CCCD_LAYOUT_V2024);
    CHECK(cccd_card_extra_field_count(card) == 4);
    CHECK(str_eq(cccd_card_extra_field(card, 0), ""));
    CHECK(str_eq(cccd_card_extra_field(card, 1), "x"));
    CHECK(str_eq(cccd_card_extra_field(card, 3), ""));
    CHECK(cccd_card_extra_field(card, 4) == NULL);
    CHECK(str_eq(cccd_card_payload(card), V2024));
    cccd_card_free(card);
}

static void test_lenient_repairs(void) {
    char damaged[sizeof V2021 + 8];
    cccd_card *card = (cccd_card *)&card; /* not NULL: the call must overwrite it */
    cccd_error err;
    snprintf(damaged, sizeof damaged, "\xef\xbb\xbf%s\r\n", V2021); /* BOM + CR LF */
    CHECK(parse(damaged, 0, &card, &err) != CCCD_STATUS_OK);
    CHECK(card == NULL); /* set to NULL on failure */
    CHECK(parse(damaged, CCCD_LENIENT, &card, &err) == CCCD_STATUS_OK);
    CHECK(cccd_card_repair_count(card) == 2);
    CHECK(str_eq(cccd_card_repair(card, 0), "bom_removed"));
    CHECK(str_eq(cccd_card_repair(card, 1), "line_ending_removed"));
    CHECK(str_eq(cccd_card_payload(card), V2021));
    cccd_card_free(card);
}

/* An error record holds no personal data: none of the payload's name or address. */
static int no_personal_data(const cccd_error *err) {
    return !contains(err->message, "Nguy") && !contains(err->message, "Minh") &&
           !contains(err->message, "079203001234") && !contains(err->message, "L\xc3\xaa");
}

static void test_errors(void) {
    cccd_card *card = NULL;
    cccd_error err;
    char *big;
    static const uint8_t not_utf8[] = "079203001234|123456789|Nguy\xff\xfen|01012003|Nam|H|15082021";

    /* NULL payload */
    CHECK(cccd_parse(NULL, 5, 0, &card, &err) == CCCD_STATUS_NULL_PARAMETER);
    CHECK(err.status == CCCD_STATUS_NULL_PARAMETER && str_eq(err.code, "null_parameter"));
    CHECK(card == NULL);
    /* NULL with length 0 is the empty payload; so is a zero length */
    CHECK(cccd_parse(NULL, 0, 0, &card, &err) == CCCD_STATUS_EMPTY);
    CHECK(str_eq(err.code, "empty") && str_eq(err.message, "empty payload") && err.field[0] == '\0');
    CHECK(cccd_parse((const uint8_t *)V2021, 0, 0, &card, &err) == CCCD_STATUS_EMPTY);
    CHECK(card == NULL);

    /* 5 kB: too long, rejected before any scanning */
    big = malloc(5000);
    memset(big, '1', 5000);
    CHECK(cccd_parse((const uint8_t *)big, 5000, CCCD_LENIENT, &card, &err) == CCCD_STATUS_TOO_LONG);
    CHECK(str_eq(err.code, "too_long") && err.offset == 4096);
    CHECK(str_eq(err.message, "payload too long: 5000 bytes, at most 4096 allowed"));
    {
        char *json = cccd_validate_json((const uint8_t *)big, 5000, 0, "2026-01-01");
        CHECK(contains(json, "\"code\":\"too_long\""));
        cccd_string_free(json);
    }
    free(big);

    /* invalid UTF-8 */
    CHECK(cccd_parse(not_utf8, sizeof not_utf8 - 1, 0, &card, &err) == CCCD_STATUS_ENCODING);
    CHECK(str_eq(err.code, "encoding") && err.offset == 27 && err.field[0] == '\0');
    CHECK(str_eq(err.message, "invalid utf-8 at byte 27"));

    /* a field error: code, field, offset, message, and nothing personal */
    CHECK(parse("079203001234|123456789|Nguy\xe1\xbb\x85n V\xc4\x83n \xc3\x81nh|01132003|Nam|"
                "H\xc3\xa0 N\xe1\xbb\x99i|15082021",
                0, &card, &err) == CCCD_STATUS_DATE_OF_BIRTH);
    CHECK(str_eq(err.code, "date_of_birth") && str_eq(err.field, "date_of_birth"));
    CHECK(err.offset == 44);
    CHECK(str_eq(err.message, "invalid date of birth at byte 44: month 13"));
    CHECK(no_personal_data(&err));
    CHECK(parse("079203001234|123456789|Nguy\xe1\xbb\x85n|01012003|Nam", 0, &card, &err) ==
          CCCD_STATUS_FIELD_COUNT);
    CHECK(str_eq(err.code, "field_count") && no_personal_data(&err));
    CHECK(parse("07920300123X|123456789|L\xc3\xaa Minh|01012003|Nam|H|15082021", 0, &card, &err) ==
          CCCD_STATUS_ID_NUMBER);
    CHECK(str_eq(err.field, "id_number") && err.offset == 11 && no_personal_data(&err));
    CHECK(card == NULL);

    /* NULL out pointers */
    CHECK(parse(V2021, 0, NULL, &err) == CCCD_STATUS_NULL_PARAMETER);
    CHECK(str_eq(err.code, "null_parameter"));
    CHECK(parse(V2021, 0, NULL, NULL) == CCCD_STATUS_NULL_PARAMETER);
    CHECK(cccd_scan((const uint8_t *)"x", 1, 0, NULL, NULL) == CCCD_STATUS_NULL_PARAMETER);

    /* unknown flags */
    CHECK(parse(V2021, 0x80, &card, &err) == CCCD_STATUS_INVALID_ARGUMENT);
    CHECK(str_eq(err.code, "invalid_argument") && card == NULL);
    CHECK(parse(V2021, CCCD_RAW, &card, &err) == CCCD_STATUS_INVALID_ARGUMENT);
    CHECK(parse(V2021, CCCD_REDACT, &card, &err) == CCCD_STATUS_INVALID_ARGUMENT);

    /* NULL cards: accessors give NULL / 0 / UNKNOWN, frees do nothing */
    CHECK(cccd_card_id_number(NULL) == NULL);
    CHECK(cccd_card_old_id_number(NULL) == NULL);
    CHECK(cccd_card_full_name(NULL) == NULL);
    CHECK(cccd_card_date_of_birth_iso(NULL) == NULL);
    CHECK(cccd_card_date_of_birth(NULL).year == 0);
    CHECK(cccd_card_expiry_date(NULL).month == 0);
    CHECK(cccd_card_sex(NULL) == CCCD_SEX_UNKNOWN);
    CHECK(cccd_card_layout(NULL) == CCCD_LAYOUT_UNKNOWN);
    CHECK(cccd_card_extra_field_count(NULL) == 0);
    CHECK(cccd_card_repair(NULL, 0) == NULL);
    cccd_card_free(NULL);
    cccd_string_free(NULL);
}

static void test_json(void) {
    char *json;
    json = cccd_validate_json((const uint8_t *)V2021, strlen(V2021), 0, "2026-01-01");
    CHECK(starts_with(json, "{\"ok\":true,\"layout\":\"2021\",\"card\":{\"id_number\":\"079203001234\""));
    CHECK(contains(json, "\"expired\":false"));
    cccd_string_free(json);
    /* the reference date decides "expired" */
    json = cccd_validate_json((const uint8_t *)V2021, strlen(V2021), 0, "2030-01-01");
    CHECK(contains(json, "\"expired\":true"));
    cccd_string_free(json);
    json = cccd_validate_json((const uint8_t *)V2021, strlen(V2021), CCCD_REDACT, "2026-01-01");
    CHECK(contains(json, "\"id_number\":\"079*********\"") && !contains(json, "Nguy"));
    CHECK(!contains(json, "079203001234") && !contains(json, "L\xc3\xaa L\xe1\xbb\xa3i"));
    cccd_string_free(json);
    json = cccd_validate_json((const uint8_t *)V2021, strlen(V2021), 0, NULL); /* local date */
    CHECK(starts_with(json, "{\"ok\":true,"));
    cccd_string_free(json);

    json = cccd_validate_json(NULL, 3, 0, NULL);
    CHECK(str_eq(json, "{\"ok\":false,\"error\":{\"code\":\"null_parameter\",\"field\":null,"
                       "\"offset\":0,\"message\":\"payload is NULL but len is not 0\"}}"));
    cccd_string_free(json);
    json = cccd_validate_json(NULL, 0, 0, NULL);
    CHECK(contains(json, "\"code\":\"empty\""));
    cccd_string_free(json);
    json = cccd_validate_json((const uint8_t *)V2021, strlen(V2021), 0, "01/01/2026");
    CHECK(contains(json, "\"code\":\"invalid_argument\"") && !contains(json, "Nguy"));
    cccd_string_free(json);
    json = cccd_validate_json((const uint8_t *)V2021, strlen(V2021), 0, "2026-02-30");
    CHECK(contains(json, "\"code\":\"invalid_argument\""));
    cccd_string_free(json);
    json = cccd_validate_json((const uint8_t *)V2021, strlen(V2021), 1u << 31, NULL);
    CHECK(contains(json, "\"code\":\"invalid_argument\""));
    cccd_string_free(json);

    CHECK(cccd_version() != NULL && cccd_version()[0] >= '0' && cccd_version()[0] <= '9');
}

static void test_corrupt_image(void) {
    /* a PNG signature followed by garbage, and plain garbage */
    static const uint8_t corrupt[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRgarbage-garbage-garbage";
    static const uint8_t garbage[] = "not an image at all";
    cccd_card *card = NULL;
    cccd_error err;
    char *json;

    json = cccd_scan_json(corrupt, sizeof corrupt - 1, 0, "2026-01-01");
    CHECK(starts_with(json, "{\"ok\":false,"));
    CHECK(contains(json, "\"code\":\"unreadable_image\""));
    cccd_string_free(json);
    json = cccd_scan_json(garbage, sizeof garbage - 1, CCCD_RAW, NULL);
    CHECK(contains(json, "\"code\":\"unreadable_image\""));
    cccd_string_free(json);
    json = cccd_scan_json(NULL, 10, 0, NULL);
    CHECK(str_eq(json, "{\"ok\":false,\"error\":{\"code\":\"null_parameter\","
                       "\"message\":\"image is NULL but len is not 0\"}}"));
    cccd_string_free(json);
    json = cccd_scan_json(garbage, sizeof garbage - 1, 0x10, NULL);
    CHECK(contains(json, "\"code\":\"invalid_argument\""));
    cccd_string_free(json);

    CHECK(cccd_scan(corrupt, sizeof corrupt - 1, 0, &card, &err) == CCCD_STATUS_SCAN_UNREADABLE_IMAGE);
    CHECK(card == NULL && str_eq(err.code, "unreadable_image"));
    CHECK(starts_with(err.message, "unreadable image"));
    CHECK(cccd_scan(NULL, 0, 0, &card, &err) == CCCD_STATUS_SCAN_UNREADABLE_IMAGE);
    CHECK(cccd_scan(garbage, sizeof garbage - 1, CCCD_RAW, &card, &err) == CCCD_STATUS_INVALID_ARGUMENT);
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n;
    *len = 0;
    if (!f) return NULL;
    for (;;) {
        if (*len == cap) {
            uint8_t *grown = realloc(buf, cap ? cap * 2 : 65536);
            if (!grown) break;
            buf = grown;
            cap = cap ? cap * 2 : 65536;
        }
        n = fread(buf + *len, 1, cap - *len, f);
        if (n == 0) break;
        *len += n;
    }
    fclose(f);
    return buf;
}

static void test_photo(const char *path, const char *expected_id) {
    size_t len;
    uint8_t *image = read_file(path, &len);
    cccd_card *card = NULL;
    cccd_error err;
    char *json;
    CHECK(image != NULL && len > 0);
    if (!image) return;
    CHECK(cccd_scan(image, len, 0, &card, &err) == CCCD_STATUS_OK);
    CHECK(str_eq(cccd_card_id_number(card), expected_id));
    json = cccd_scan_json(image, len, 0, "2026-01-01");
    CHECK(starts_with(json, "{\"ok\":true,"));
    CHECK(contains(json, expected_id));
    cccd_string_free(json);
    json = cccd_scan_json(image, len, CCCD_RAW, "2026-01-01");
    CHECK(starts_with(json, "{\"ok\":true,") && !contains(json, "\"card\":"));
    cccd_string_free(json);
    cccd_card_free(card);
    free(image);
}

/* Several threads validate and parse the same payloads at once and must get exactly what one
 * thread gets. */
#define THREADS 4
#define ROUNDS 200

static const char *const thread_payloads[] = {V2021, V2024, "079203001234|1|x|01012003|Nam|H|1"};
static char *expected_json[3];

static void *worker(void *arg) {
    int round, k, *bad = arg;
    for (round = 0; round < ROUNDS; round++) {
        for (k = 0; k < 3; k++) {
            const char *p = thread_payloads[k];
            char *json = cccd_validate_json((const uint8_t *)p, strlen(p), CCCD_LENIENT, "2026-01-01");
            cccd_card *card = NULL;
            if (!str_eq(json, expected_json[k])) (*bad)++;
            cccd_string_free(json);
            if (parse(p, CCCD_LENIENT, &card, NULL) == CCCD_STATUS_OK) {
                if (!str_eq(cccd_card_payload(card), p)) (*bad)++;
                cccd_card_free(card);
            } else if (k != 2) {
                (*bad)++;
            }
        }
    }
    return NULL;
}

static void test_threads(void) {
    pthread_t threads[THREADS];
    int bad[THREADS] = {0}, i, total = 0;
    for (i = 0; i < 3; i++) {
        const char *p = thread_payloads[i];
        expected_json[i] = cccd_validate_json((const uint8_t *)p, strlen(p), CCCD_LENIENT, "2026-01-01");
    }
    for (i = 0; i < THREADS; i++) CHECK(pthread_create(&threads[i], NULL, worker, &bad[i]) == 0);
    for (i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        total += bad[i];
    }
    CHECK(total == 0);
    for (i = 0; i < 3; i++) cccd_string_free(expected_json[i]);
}

int main(int argc, char **argv) {
    test_valid_2021();
    test_valid_2024();
    test_lenient_repairs();
    test_errors();
    test_json();
    test_corrupt_image();
    if (argc == 3) test_photo(argv[1], argv[2]);
    test_threads();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
