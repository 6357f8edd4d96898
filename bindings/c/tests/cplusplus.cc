// The header from C++: it compiles without warnings, the enums are typed, and the functions
// link with C linkage. Run by bindings/c/test.sh.
#include <cstdio>
#include <cstring>

#include "cccd.h"

int main() {
    const char *payload = "079203001234||L\xc3\xaa Minh|01012003|Nam|H\xc3\xa0 N\xe1\xbb\x99i|15082021";
    cccd_card *card = nullptr;
    cccd_error err;
    int failed = 0;
    cccd_status st = cccd_parse(reinterpret_cast<const uint8_t *>(payload), std::strlen(payload),
                                CCCD_LENIENT, &card, &err);
    if (st != CCCD_STATUS_OK || cccd_card_layout(card) != CCCD_LAYOUT_V2021) failed++;
    if (std::strcmp(cccd_card_full_name_ascii(card), "LE MINH") != 0) failed++;
    cccd_card_free(card);
    if (cccd_parse(nullptr, 1, 0, &card, &err) != CCCD_STATUS_NULL_PARAMETER || card != nullptr)
        failed++;
    std::printf("%d passed, %d failed\n", 3 - failed, failed);
    return failed == 0 ? 0 : 1;
}
