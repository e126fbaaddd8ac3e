/* The test harness: a registry of TEST() functions and ASSERT macros that
 * print both sides. A test program runs one named test, or all of them and
 * then prints "N passed, N failed". */
#ifndef GT_TEST_HARNESS_H
#define GT_TEST_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*gt_test_fn)(void);
void gt_test_register(const char *name, gt_test_fn fn, const char *file);
void gt_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
/* Ends the test as skipped, never passed: what it needs could not be had
 * here (the program exits 77 when every test it ran passed or skipped and
 * one skipped, which CTest reports as skipped where the test sets
 * SKIP_RETURN_CODE 77). */
void gt_test_skip(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
#define SKIP(...) gt_test_skip(__FILE__, __LINE__, __VA_ARGS__)

#define TEST(name)                                                           \
	static void test_##name(void);                                       \
	__attribute__((constructor)) static void register_##name(void)       \
	{                                                                    \
		gt_test_register(#name, test_##name, __FILE__);              \
	}                                                                    \
	static void test_##name(void)

#define ASSERT(cond)                                                         \
	do {                                                                 \
		if (!(cond))                                                 \
			gt_test_fail(__FILE__, __LINE__, "ASSERT(%s)", #cond); \
	} while (0)

#define ASSERT_OP_(a, op, b)                                                 \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		if (!(a_ op b_))                                             \
			gt_test_fail(__FILE__, __LINE__,                     \
				     "%s %s %s: %lld vs %lld (0x%llx vs 0x%llx)", \
				     #a, #op, #b, a_, b_,                    \
				     (unsigned long long)a_, (unsigned long long)b_); \
	} while (0)
#define ASSERT_EQ(a, b) ASSERT_OP_(a, ==, b)
#define ASSERT_NE(a, b) ASSERT_OP_(a, !=, b)
#define ASSERT_LT(a, b) ASSERT_OP_(a, <, b)
#define ASSERT_LE(a, b) ASSERT_OP_(a, <=, b)
#define ASSERT_GT(a, b) ASSERT_OP_(a, >, b)
#define ASSERT_GE(a, b) ASSERT_OP_(a, >=, b)
#define ASSERT_STREQ(a, b)                                                   \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (strcmp(a_, b_) != 0)                                     \
			gt_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" vs \"%s\"", \
				     #a, #b, a_, b_);                        \
	} while (0)
#define ASSERT_MEMEQ(a, b, n)                                                \
	do {                                                                 \
		if (memcmp((a), (b), (n)) != 0)                              \
			gt_test_fail(__FILE__, __LINE__, "memcmp(%s, %s, %s) != 0", \
				     #a, #b, #n);                            \
	} while (0)

#endif
