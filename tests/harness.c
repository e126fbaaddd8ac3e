/* The test harness: registry, runner, failure reporting (see harness.h). */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>

#define MAX_TESTS 1024

static struct {
	const char *name;
	const char *file;
	gt_test_fn fn;
} tests[MAX_TESTS];
static size_t ntests;
static jmp_buf fail_jmp;

void gt_test_register(const char *name, gt_test_fn fn, const char *file)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "harness: more than %d tests\n", MAX_TESTS);
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].file = file;
	tests[ntests].fn = fn;
	ntests++;
}

/* Prints "file:line: WHAT: message" and ends the test: how 1 failed, 2 skipped. */
static void end_test(int how, const char *file, int line, const char *msg) __attribute__((noreturn));
static void end_test(int how, const char *file, int line, const char *msg)
{
	fprintf(stderr, "%s:%d: %s: %s\n", file, line, how == 2 ? "SKIP" : "FAIL", msg);
	longjmp(fail_jmp, how);
}

void gt_test_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	end_test(1, file, line, msg);
}

void gt_test_skip(const char *file, int line, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	end_test(2, file, line, msg);
}

/* 0 passed, 1 failed, 2 skipped. */
static int run_one(size_t i)
{
	int j = setjmp(fail_jmp);
	if (j != 0) {
		printf("%s %s\n", j == 2 ? "SKIP" : "FAIL", tests[i].name);
		return j;
	}
	tests[i].fn();
	printf("PASS %s\n", tests[i].name);
	return 0;
}

int main(int argc, char **argv)
{
	size_t passed = 0, failed = 0, skipped = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < ntests; i++) {
		int selected = argc < 2;
		for (int a = 1; a < argc; a++)
			selected |= strcmp(argv[a], tests[i].name) == 0;
		if (!selected)
			continue;
		int r = run_one(i);
		if (r == 1)
			failed++;
		else if (r == 2)
			skipped++;
		else
			passed++;
	}
	if (passed + failed + skipped == 0) {
		fprintf(stderr, "harness: no test matched\n");
		return 2;
	}
	if (skipped)
		printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
	else
		printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : skipped ? 77 : 0;
}
