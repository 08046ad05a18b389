/*
 * ff_execution_describe takes the snapshot document the server builds
 * (ff_snapshot): 64-bit integers such as the lease epoch come through exactly
 * (above 2^53, where a double or cjson's 14 digits would lose them).
 */
#include <inttypes.h>

#include "itest.h"

static void test_large_epoch_is_exact(void) {
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "snap-big");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    char key[IT_EID + 8];
    snprintf(key, sizeof key, "ff:e:%s", eid);
    ff_op *set = it_raw(C, "HSET", key, "epoch", "9007199254740993", "replays", "4611686018427387907", NULL);
    FFT_OK(ff_op_status(set));
    ff_op_free(set);
    ff_op *op = it_describe(C, eid);
    const char *json = ff_op_json(op);
    FFT_CHECK(json != NULL);
    FFT_CHECK(strstr(json, "\"lease_epoch\":9007199254740993") != NULL);
    FFT_CHECK(strstr(json, "\"replay_count\":4611686018427387907") != NULL);
    FFT_EQ_STR(ff_op_execution_id(op), eid);
    FFT_EQ_STR(ff_op_text(op), "active");
    ff_op_free(op);
    ff_claim_free(cl);
}

int main(void) {
    IT_RUN(test_large_epoch_is_exact);
    return it_summary("test_snapshot");
}
