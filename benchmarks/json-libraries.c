/*
 * What reading the business JSON would cost with Debian's C JSON libraries instead of
 * FoundationEssentials' JSONDecoder: instructions per call, under callgrind, to parse the query's
 * `payment_action_request` and read its 2 fields, and to parse order.pay's `pay_request` and look
 * up its 15 listed fields (copying each string found, as the Swift reading makes a String).
 * A measurement for the performance issue's options (docs/benchmarks.md, "The floor per request"),
 * not part of topmock: topmock reads business JSON with JSONDecoder only.
 *
 *   apt-get install libcjson-dev libjansson-dev valgrind
 *   cc -O2 -o /tmp/json-libraries benchmarks/json-libraries.c -lcjson -ljansson
 *   for case in 0 1 2 3; do
 *     valgrind --tool=callgrind --callgrind-out-file=/tmp/json.$case /tmp/json-libraries $case >/dev/null 2>&1
 *     callgrind_annotate --inclusive=yes /tmp/json.$case | grep -E '(cjson|jansson)_read'
 *   done   # divide by 2000: the calls each case makes
 *
 * Cases: 0 cJSON, the query; 1 cJSON, order.pay; 2 jansson, the query; 3 jansson, order.pay.
 */
#include <cjson/cJSON.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *query = "{\"buyer_id\":123,\"request_id\":\"cash-0001\"}";
static const char *pay =
    "{\"request_id\":\"pos-0\",\"checkout_id\":\"co-0\",\"pay_fee\":100,\"pay_channel\":\"cash\",\"buyer_id\":123}";
/* The query reads the first two; order.pay all fifteen (as OrderPayRequest lists them). */
static const char *fields[] = {"request_id", "buyer_id", "checkout_id", "pay_fee", "payer_id", "pay_channel",
                               "payment_channel", "channel_account", "order_id", "operator_id", "machine_id",
                               "source", "merchant_code", "alipay_account", "pay_code_source"};
static long sink;

__attribute__((noinline)) static void cjson_read(const char *text, int count)
{
    cJSON *object = cJSON_ParseWithLength(text, strlen(text));
    for (int i = 0; i < count; i++) {
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(object, fields[i]);
        if (cJSON_IsString(value)) {
            char *copy = strdup(value->valuestring);
            sink += copy[0];
            free(copy);
        } else if (cJSON_IsNumber(value)) {
            sink += (long) value->valuedouble;
        }
    }
    cJSON_Delete(object);
}

__attribute__((noinline)) static void jansson_read(const char *text, int count)
{
    json_error_t error;
    json_t *object = json_loadb(text, strlen(text), 0, &error);
    for (int i = 0; i < count; i++) {
        const json_t *value = json_object_get(object, fields[i]);
        if (json_is_string(value)) {
            char *copy = strdup(json_string_value(value));
            sink += copy[0];
            free(copy);
        } else if (json_is_integer(value)) {
            sink += (long) json_integer_value(value);
        }
    }
    json_decref(object);
}

int main(int argc, char **argv)
{
    int which = argc > 1 ? atoi(argv[1]) : 0;
    for (int i = 0; i < 2000; i++) {
        switch (which) {
        case 0: cjson_read(query, 2); break;
        case 1: cjson_read(pay, 15); break;
        case 2: jansson_read(query, 2); break;
        default: jansson_read(pay, 15); break;
        }
    }
    printf("%ld\n", sink);
    return 0;
}
