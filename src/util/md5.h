/* MD5 message digest (RFC 1321), for TCP MD5 signatures (RFC 2385). Written
 * from the RFC's description (section 3); checked with its test suite
 * (appendix A.5) in tests/unit. Not for anything that needs a secure hash. */
#ifndef GT_UTIL_MD5_H
#define GT_UTIL_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

struct md5_ctx {
	uint32_t abcd[4];      /* RFC 1321 3.3: the buffer A, B, C, D */
	uint64_t len_bytes;    /* message length so far */
	uint8_t block[64];     /* the partial 16-word block */
};

void md5_init(struct md5_ctx *m);
void md5_update(struct md5_ctx *m, const void *data, size_t len);
void md5_final(struct md5_ctx *m, uint8_t out[MD5_DIGEST_LEN]);
/* The digest of one buffer. */
void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN]);

#endif
