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

void gt_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: FAIL: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	longjmp(fail_jmp, 1);
}

static int run_one(size_t i)
{
	if (setjmp(fail_jmp) != 0) {
		printf("FAIL %s\n", tests[i].name);
		return 1;
	}
	tests[i].fn();
	printf("PASS %s\n", tests[i].name);
	return 0;
}

int main(int argc, char **argv)
{
	size_t passed = 0, failed = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < ntests; i++) {
		int selected = argc < 2;
		for (int a = 1; a < argc; a++)
			selected |= strcmp(argv[a], tests[i].name) == 0;
		if (!selected)
			continue;
		if (run_one(i))
			failed++;
		else
			passed++;
	}
	if (passed + failed == 0) {
		fprintf(stderr, "harness: no test matched\n");
		return 2;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
