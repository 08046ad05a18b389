/* Corrupt stored data fails loud and harms nobody else, through the C API:
 * describe reports the key and field, a claim sets the corrupt execution
 * aside (quarantine) and claims the healthy one behind it, and the
 * deployment health counts it. */
#include "itest.h"

static void corrupt_field(const char *eid, const char *field, const char *value) {
    char key[IT_EID + 8];
    snprintf(key, sizeof key, "ff:e:%s", eid);
    ff_op *op = it_raw(C, "HSET", key, field, value, NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
}

static void test_describe_names_key_and_field(void) {
    char lane[64], eid[IT_EID], key[IT_EID + 8];
    it_lane(lane, sizeof lane, "cor-desc");
    it_create(C, lane, 0, eid);
    corrupt_field(eid, "pri", "notanumber");
    ff_op *op = IT_OP(ff_execution_describe(C, eid, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_CORRUPT_RECORD);
    snprintf(key, sizeof key, "ff:e:%s", eid);
    FFT_EQ_STR(ff_op_detail(op, 0), key);
    FFT_EQ_STR(ff_op_detail(op, 1), "pri");
    FFT_EQ_STR(ff_op_detail(op, 2), "notanumber");
    FFT_CHECK(strstr(ff_op_errmsg(op), "field 'pri'") != NULL);
    ff_op_free(op);
    corrupt_field(eid, "pri", "0");
    corrupt_field(eid, "st", "zz.yy");
    IT_EXPECT(ff_execution_describe(C, eid, NULL, NULL, OUT), FF_CORRUPT_RECORD);
    IT_EXPECT(ff_execution_result(C, eid, NULL, NULL, OUT), FF_CORRUPT_RECORD);
    IT_EXPECT(ff_execution_cancel(C, eid, "x", NULL, NULL, OUT), FF_CORRUPT_RECORD);
}

static int64_t quarantined_total(void) {
    ff_op *op = IT_OP(ff_deployment_health(C, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    int64_t n = it_ji64(op, "quarantined");
    FFT_EQ_INT(it_ji64(op, "partitions"), ff_client_partitions(C));
    ff_op_free(op);
    return n;
}

static void test_claim_skips_a_corrupt_execution(void) {
    char lane[64], bad[IT_EID], good[IT_EID];
    it_lane(lane, sizeof lane, "cor-claim");
    int64_t before = quarantined_total();
    it_create(C, lane, 5, bad); /* higher priority: the head of the lane */
    it_create(C, lane, 0, good);
    corrupt_field(bad, "epoch", "x");
    ff_claim *cl = it_claim_expect(C, lane, good);
    IT_EXPECT(ff_lease_complete(C, cl, "ok", 2, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    FFT_EQ_INT(quarantined_total(), before + 1);
    /* listed with the bad field, on the execution's partition */
    uint32_t part = (uint32_t)strtoul(bad + 4, NULL, 10);
    ff_op *op = IT_OP(ff_execution_list_quarantined(C, part, "0", 1000, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    int found = 0;
    for (size_t i = 0; i + 2 < ff_op_item_count(op); i += 3)
        if (strcmp(ff_op_item(op, i), bad) == 0) found = strcmp(ff_op_item(op, i + 2), "epoch=x") == 0;
    FFT_CHECK(found);
    ff_op_free(op);
    /* the lane no longer offers it */
    op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    FFT_EQ_INT(it_ji64(op, "waiting"), 0);
    ff_op_free(op);
}

static void test_listing_arguments_are_explained(void) {
    ff_op *op = NULL;
    int st = ff_execution_list_quarantined(C, 1u << 20, "0", 10, NULL, NULL, &op);
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "partition 1048576 out of range") != NULL);
    st = ff_execution_list_quarantined(C, 0, "abc", 10, NULL, NULL, &op);
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "cursor 'abc'") != NULL);
    st = ff_execution_list_quarantined(C, 0, "0", 0, NULL, NULL, &op);
    FFT_CHECK(strstr(ff_error_detail(st), "count 0 out of range") != NULL);
}

int main(void) {
    IT_RUN(test_describe_names_key_and_field);
    IT_RUN(test_claim_skips_a_corrupt_execution);
    IT_RUN(test_listing_arguments_are_explained);
    return it_summary("test_corrupt");
}
