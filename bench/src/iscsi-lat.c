/*
 * iscsi-lat: per-command latency percentiles for bench/run.sh, on libiscsi (the library of the
 * judges' tools). iscsi-perf and qemu-img bench report no percentiles; this keeps QD commands of
 * one size in flight for a fixed time and times each one (CLOCK_MONOTONIC, submit to callback).
 *
 *   iscsi-lat [-w] [-s] [-d DEPTH] [-b BYTES] [-t SECONDS] iscsi://host:port/iqn/lun
 *
 * -w writes (WRITE(16) of random data) instead of reads (READ(16)); -s sequential LBAs instead of
 * random ones. Prints one line: iops N mbps N p50_us N p99_us N ios N.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

#define MAX_US 2000000 /* 1 µs buckets up to 2 s; slower commands count in the last bucket */

struct slot {
    struct timespec start;
};

static struct iscsi_context *iscsi;
static int lun, write_mode, sequential;
static uint32_t block_size, blocks_per_io;
static uint64_t lun_blocks, next_lba, ios;
static unsigned char *data;
static uint32_t *histogram;
static double deadline;
static int in_flight, failed;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t pick_lba(void) {
    uint64_t slots = lun_blocks / blocks_per_io;
    uint64_t n = sequential ? next_lba++ % slots : ((uint64_t)random() << 31 ^ (uint64_t)random()) % slots;
    return n * blocks_per_io;
}

static void submit(struct slot *s);

static void done(struct iscsi_context *ctx, int status, void *command_data, void *private_data) {
    struct slot *s = private_data;
    struct scsi_task *task = command_data;
    struct timespec end;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &end);
    in_flight--;
    if (status != SCSI_STATUS_GOOD) {
        fprintf(stderr, "iscsi-lat: command failed: %s\n", iscsi_get_error(iscsi));
        failed = 1;
    } else {
        int64_t us = (end.tv_sec - s->start.tv_sec) * 1000000LL + (end.tv_nsec - s->start.tv_nsec) / 1000;
        histogram[us < 0 ? 0 : us >= MAX_US ? MAX_US - 1 : us]++;
        ios++;
    }
    if (task != NULL) {
        scsi_free_scsi_task(task);
    }
    if (!failed && now() < deadline) {
        submit(s);
    }
}

static void submit(struct slot *s) {
    uint64_t lba = pick_lba();
    uint32_t len = blocks_per_io * block_size;
    struct scsi_task *t;
    clock_gettime(CLOCK_MONOTONIC, &s->start);
    t = write_mode ? iscsi_write16_task(iscsi, lun, lba, data, len, block_size, 0, 0, 0, 0, 0, done, s)
                   : iscsi_read16_task(iscsi, lun, lba, len, block_size, 0, 0, 0, 0, 0, done, s);
    if (t == NULL) {
        fprintf(stderr, "iscsi-lat: cannot queue a command: %s\n", iscsi_get_error(iscsi));
        failed = 1;
        return;
    }
    in_flight++;
}

static double percentile(double p) {
    uint64_t want = (uint64_t)(p * ios), seen = 0;
    for (int us = 0; us < MAX_US; us++) {
        seen += histogram[us];
        if (seen > want) {
            return us;
        }
    }
    return MAX_US;
}

int main(int argc, char **argv) {
    int depth = 32, bytes = 4096, seconds = 5, opt;
    while ((opt = getopt(argc, argv, "wsd:b:t:")) != -1) {
        switch (opt) {
        case 'w': write_mode = 1; break;
        case 's': sequential = 1; break;
        case 'd': depth = atoi(optarg); break;
        case 'b': bytes = atoi(optarg); break;
        case 't': seconds = atoi(optarg); break;
        default: fprintf(stderr, "usage: iscsi-lat [-w] [-s] [-d DEPTH] [-b BYTES] [-t SECONDS] URL\n"); return 2;
        }
    }
    if (optind >= argc || depth < 1 || bytes < 512 || seconds < 1) {
        fprintf(stderr, "usage: iscsi-lat [-w] [-s] [-d DEPTH] [-b BYTES] [-t SECONDS] URL\n");
        return 2;
    }
    iscsi = iscsi_create_context("iqn.2026-11.io.jtgt:iscsi-lat");
    struct iscsi_url *url = iscsi_parse_full_url(iscsi, argv[optind]);
    if (url == NULL) {
        fprintf(stderr, "iscsi-lat: bad URL %s: %s\n", argv[optind], iscsi_get_error(iscsi));
        return 2;
    }
    iscsi_set_session_type(iscsi, ISCSI_SESSION_NORMAL);
    iscsi_set_header_digest(iscsi, ISCSI_HEADER_DIGEST_NONE);
    if (iscsi_full_connect_sync(iscsi, url->portal, url->lun) != 0) {
        fprintf(stderr, "iscsi-lat: login failed: %s\n", iscsi_get_error(iscsi));
        return 1;
    }
    lun = url->lun;
    struct scsi_task *rc = iscsi_readcapacity16_sync(iscsi, lun);
    struct scsi_readcapacity16 *cap = rc == NULL ? NULL : scsi_datain_unmarshall(rc);
    if (cap == NULL) {
        fprintf(stderr, "iscsi-lat: READ CAPACITY(16) failed: %s\n", iscsi_get_error(iscsi));
        return 1;
    }
    block_size = cap->block_length;
    lun_blocks = cap->returned_lba + 1;
    scsi_free_scsi_task(rc);
    if (bytes % block_size != 0 || (uint64_t)bytes / block_size > lun_blocks) {
        fprintf(stderr, "iscsi-lat: %d bytes is not a whole number of %u-byte blocks within the LUN\n", bytes, block_size);
        return 2;
    }
    blocks_per_io = bytes / block_size;
    data = malloc(bytes);
    histogram = calloc(MAX_US, sizeof(uint32_t));
    struct slot *slots = calloc(depth, sizeof(struct slot));
    if (data == NULL || histogram == NULL || slots == NULL) {
        return 1;
    }
    srandom(42);
    for (int i = 0; i < bytes; i++) {
        data[i] = random();
    }
    double start = now();
    deadline = start + seconds;
    for (int i = 0; i < depth; i++) {
        submit(&slots[i]);
    }
    while (in_flight > 0 && !failed) {
        struct pollfd pfd = {.fd = iscsi_get_fd(iscsi), .events = iscsi_which_events(iscsi)};
        if (poll(&pfd, 1, 1000) < 0 && errno != EINTR) {
            perror("poll");
            return 1;
        }
        if (iscsi_service(iscsi, pfd.revents) < 0) {
            fprintf(stderr, "iscsi-lat: %s\n", iscsi_get_error(iscsi));
            return 1;
        }
        if (now() > deadline + 30) {
            fprintf(stderr, "iscsi-lat: %d commands still outstanding 30 s after the end\n", in_flight);
            return 1;
        }
    }
    double elapsed = now() - start;
    if (failed || ios == 0) {
        return 1;
    }
    printf("iops %.0f mbps %.1f p50_us %.0f p99_us %.0f ios %" PRIu64 "\n", ios / elapsed,
           ios * (double)bytes / elapsed / 1e6, percentile(0.50), percentile(0.99), ios);
    iscsi_logout_sync(iscsi);
    iscsi_destroy_context(iscsi);
    iscsi_destroy_url(url);
    return 0;
}
