/*
 * How much of the bridge's per-packet UDP cost is the system call itself, and so what batching
 * could save: one room loop's work for LEGS callers, one 172-byte RTP packet each way per leg
 * per tick, on loopback, in two ways:
 *
 *   per-socket   the bridge today: a socket per leg connected to its caller, one recv and one
 *                send per packet (2 * LEGS system calls per tick)
 *   mmsg         one socket for the loop: recvmmsg for all legs' packets, sendmmsg to every
 *                caller's address (a few calls per tick; the kernel still handles every
 *                datagram, and the unconnected socket looks up a route for each)
 *   io_uring     the per-leg connected sockets, but each tick's receives go to the kernel as one
 *                io_uring submission, and its sends as another (MSG_DONTWAIT: a datagram not
 *                there is an answer, not a wait)
 *
 * The bridge's side is timed by its thread's CPU time (the callers send before and drain after),
 * median of ROUNDS rounds. The kernel may hand part of a large batch's delivery to its softirq
 * thread, which that clock misses, so the whole machine's busy time over all rounds (/proc/stat:
 * callers, bridge and kernel threads) is printed too, per packet in and out.
 *
 *   cc -O2 -o /tmp/udp-syscalls bench/udp-syscalls.c && /tmp/udp-syscalls 400 2000
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACKET 172
#define BASE_PORT 47000

static int udp(int port) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int big = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
    if (bind(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        perror("bind");
        exit(1);
    }
    return fd;
}

static struct sockaddr_in addr(int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
    return a;
}

static double cpu_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/** The machine's busy time so far (all CPUs, not idle or waiting), in microseconds. */
static double busy_us(void) {
    unsigned long long v[10] = {0};
    FILE *f = fopen("/proc/stat", "r");
    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                     &v[7]) != 8) {
        perror("/proc/stat");
        exit(1);
    }
    fclose(f);
    double ticks = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return ticks * 1e6 / sysconf(_SC_CLK_TCK);
}

/* A minimal io_uring (no liburing): one submission queue, completions read after each enter. */
struct ring {
    int fd;
    unsigned *sqTail, *sqMask, *sqArray, *cqHead, *cqTail, *cqMask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
};

static void ring_open(struct ring *r, unsigned entries) {
    struct io_uring_params p = {0};
    r->fd = (int) syscall(__NR_io_uring_setup, entries, &p);
    if (r->fd < 0) {
        perror("io_uring_setup");
        exit(1);
    }
    size_t sqSize = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cqSize = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    char *sq = mmap(0, sqSize > cqSize ? sqSize : cqSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
                    IORING_OFF_SQ_RING);
    char *cq = (p.features & IORING_FEAT_SINGLE_MMAP) ? sq
        : mmap(0, cqSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
    r->sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                   r->fd, IORING_OFF_SQES);
    r->sqTail = (unsigned *) (sq + p.sq_off.tail);
    r->sqMask = (unsigned *) (sq + p.sq_off.ring_mask);
    r->sqArray = (unsigned *) (sq + p.sq_off.array);
    r->cqHead = (unsigned *) (cq + p.cq_off.head);
    r->cqTail = (unsigned *) (cq + p.cq_off.tail);
    r->cqMask = (unsigned *) (cq + p.cq_off.ring_mask);
    r->cqes = (struct io_uring_cqe *) (cq + p.cq_off.cqes);
}

static void ring_put(struct ring *r, int op, int fd, void *buf, unsigned len) {
    unsigned tail = *r->sqTail, i = tail & *r->sqMask;
    struct io_uring_sqe *e = &r->sqes[i];
    memset(e, 0, sizeof *e);
    e->opcode = (unsigned char) op;
    e->fd = fd;
    e->addr = (unsigned long) buf;
    e->len = len;
    e->msg_flags = MSG_DONTWAIT;
    r->sqArray[i] = i;
    __atomic_store_n(r->sqTail, tail + 1, __ATOMIC_RELEASE);
}

/** Submits what was put and waits for as many completions; returns how many succeeded. */
static int ring_run(struct ring *r, unsigned n) {
    if (syscall(__NR_io_uring_enter, r->fd, n, n, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
        perror("io_uring_enter");
        exit(1);
    }
    int ok = 0;
    unsigned head = *r->cqHead, tail = __atomic_load_n(r->cqTail, __ATOMIC_ACQUIRE);
    for (; head != tail; head++) {
        ok += r->cqes[head & *r->cqMask].res > 0;
    }
    __atomic_store_n(r->cqHead, head, __ATOMIC_RELEASE);
    return ok;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    int legs = argc > 1 ? atoi(argv[1]) : 400;
    int rounds = argc > 2 ? atoi(argv[2]) : 2000;
    char packet[PACKET] = {(char) 0x80};
    char in[2048];
    int *caller = calloc(legs, sizeof(int)), *leg = calloc(legs, sizeof(int));
    struct sockaddr_in *callerAddr = calloc(legs, sizeof *callerAddr);
    for (int i = 0; i < legs; i++) {
        caller[i] = udp(BASE_PORT + i);
        callerAddr[i] = addr(BASE_PORT + i);
        leg[i] = udp(BASE_PORT + legs + i);
        struct sockaddr_in l = addr(BASE_PORT + legs + i);
        connect(leg[i], (struct sockaddr *) &callerAddr[i], sizeof callerAddr[i]);
        connect(caller[i], (struct sockaddr *) &l, sizeof l);
    }
    int shared = udp(BASE_PORT + 2 * legs);
    struct sockaddr_in sharedAddr = addr(BASE_PORT + 2 * legs);

    struct mmsghdr *out = calloc(legs, sizeof *out), *inm = calloc(legs, sizeof *inm);
    struct iovec *outv = calloc(legs, sizeof *outv), *inv = calloc(legs, sizeof *inv);
    char *inbufs = malloc((size_t) legs * 2048);
    struct sockaddr_in *from = calloc(legs, sizeof *from);
    for (int i = 0; i < legs; i++) {
        outv[i] = (struct iovec){packet, PACKET};
        out[i].msg_hdr = (struct msghdr){.msg_name = &callerAddr[i], .msg_namelen = sizeof callerAddr[i],
                                         .msg_iov = &outv[i], .msg_iovlen = 1};
        inv[i] = (struct iovec){inbufs + (size_t) i * 2048, 2048};
        inm[i].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_namelen = sizeof from[i],
                                         .msg_iov = &inv[i], .msg_iovlen = 1};
    }

    struct ring ring;
    ring_open(&ring, 1024);
    const char *modes[] = {"per-socket", "io_uring", "mmsg"};
    double *samples = calloc(rounds, sizeof(double));
    for (int m = 0; m < 3; m++) {
        if (m == 2) {
            // The callers now talk to the shared socket: unconnect them, or its packets are refused.
            struct sockaddr none = {.sa_family = AF_UNSPEC};
            for (int i = 0; i < legs; i++) {
                connect(caller[i], &none, sizeof none);
            }
        }
        double busy0 = busy_us();
        long moved = 0, delivered = 0;
        for (int r = 0; r < rounds; r++) {
            // The callers' packets arrive (not timed).
            for (int i = 0; i < legs; i++) {
                if (m == 2) {
                    sendto(caller[i], packet, PACKET, 0, (struct sockaddr *) &sharedAddr, sizeof sharedAddr);
                } else {
                    send(caller[i], packet, PACKET, 0);
                }
            }
            double t0 = cpu_us();
            if (m == 0) {
                for (int i = 0; i < legs; i++) {
                    recv(leg[i], in, sizeof in, MSG_DONTWAIT);
                }
                for (int i = 0; i < legs; i++) {
                    send(leg[i], packet, PACKET, MSG_DONTWAIT);
                }
            } else if (m == 1) {
                for (int i = 0; i < legs; i++) {
                    ring_put(&ring, IORING_OP_RECV, leg[i], inbufs + (size_t) i * 2048, 2048);
                }
                moved += ring_run(&ring, legs);
                for (int i = 0; i < legs; i++) {
                    ring_put(&ring, IORING_OP_SEND, leg[i], packet, PACKET);
                }
                moved += ring_run(&ring, legs);
            } else {
                for (int got = 0; got < legs;) {
                    for (int i = 0; i < legs; i++) {
                        inm[i].msg_hdr.msg_namelen = sizeof from[i];
                    }
                    int n = recvmmsg(shared, inm, legs - got, MSG_DONTWAIT, NULL);
                    if (n <= 0) {
                        break;
                    }
                    got += n;
                }
                for (int sent = 0; sent < legs;) {
                    int n = sendmmsg(shared, out + sent, legs - sent, MSG_DONTWAIT);
                    if (n <= 0) {
                        break;
                    }
                    sent += n;
                }
            }
            samples[r] = (cpu_us() - t0) / legs;
            // The callers take what we sent (not timed).
            for (int i = 0; i < legs; i++) {
                delivered += recv(caller[i], in, sizeof in, MSG_DONTWAIT) > 0;
            }
        }
        double busy = (busy_us() - busy0) / ((double) rounds * legs);
        qsort(samples, rounds, sizeof(double), cmp);
        printf("%-11s %4d legs: bridge %.2f us CPU per packet in and out (median of %d ticks; p90 %.2f);"
               " machine, callers included, %.2f us; %.1f%% delivered\n", modes[m], legs, samples[rounds / 2], rounds,
               samples[rounds * 9 / 10], busy, 100.0 * delivered / ((double) rounds * legs));
        if (m == 1 && moved != 2L * rounds * legs) {
            printf("io_uring: %ld of %ld receives and sends completed\n", moved, 2L * rounds * legs);
        }
    }
    return 0;
}
