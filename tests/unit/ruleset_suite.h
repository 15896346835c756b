/*
 * ruleset_suite.h -- the fixture most unit suites share: the built-in
 * ruleset in rs, made before each test and freed after it.
 *
 *   RULESET_SUITE(name);   declares the Criterion suite with it
 */
#ifndef PIISCAN_TEST_RULESET_SUITE_H
#define PIISCAN_TEST_RULESET_SUITE_H

#include <criterion/criterion.h>

#include "piiscan.h"

static piiscan_ruleset *rs;

static void ruleset_setup(void)
{
    char err[512];
    cr_assert_eq(piiscan_ruleset_new(&rs, err, sizeof err), 0, "%s", err);
}

static void ruleset_teardown(void) { piiscan_ruleset_free(rs); }

#define RULESET_SUITE(name) TestSuite(name, .init = ruleset_setup, .fini = ruleset_teardown)

#endif
