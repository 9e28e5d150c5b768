#ifndef TRADSEC_BYTE_SCAN_H
#define TRADSEC_BYTE_SCAN_H

/* The JSON byte scanner's string loop (JSONByteScanner.scanString() in TradsecCore): the first byte of a
 * string body that is not plain printable ASCII, i.e. a quote, a backslash, a control byte
 * (< 0x20) or a non-ASCII byte (>= 0x80). Sixteen bytes a step with SSE2, which every
 * x86-64 CPU has; other CPUs get an eight-bytes-a-step word trick.
 * Header-only and static inline, so that Swift inlines it into the scanner. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Returns the index of the first such byte in p[i..<n], or n when there is none. */
static inline long tradsec_first_special(const unsigned char *p, long i, long n) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i slash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (i + 16 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        /* Signed compare: bytes >= 0x80 are negative, so x < 0x20 also catches them. */
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, slash)), _mm_cmplt_epi8(x, space));
        int mask = _mm_movemask_epi8(m);
        if (mask != 0) return i + __builtin_ctz((unsigned)mask);
        i += 16;
    }
#else
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (i + 8 <= n) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        uint64_t quote = x ^ (ones * 0x22), slash = x ^ (ones * 0x5C);
        uint64_t special = (((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((x - ones * 0x20) & ~x) | x) & highs;
        if (special != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (__builtin_ctzll(special) >> 3);
#else
            break;
#endif
        }
        i += 8;
    }
#endif
    while (i < n) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return i;
        i++;
    }
    return n;
}

#endif
