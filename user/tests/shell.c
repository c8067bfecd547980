/*
 * shell.c - moo's /bin/sh, run through fork and execve.
 *
 * The shell is $SH (default /bin/sh). Each test writes a script to a file
 * under /tmp and runs "sh FILE ARGS...", with stdin from /dev/null and
 * stdout and stderr captured through pipes, then compares stdout exactly.
 * Only POSIX shell features are used: words, '...' and "...", $? $# $1,
 * ; && || |, < > >> 2>&1, cd, pwd, exit. echo, cat, true and false are
 * found through $PATH, which the harness sets (moo's own tools first).
 * This program doubles as a helper command (see main()): --args prints its
 * arguments, --out-err writes to both stdout and stderr, --exit N exits
 * with N, and --segv dies of SIGSEGV.
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"

#include <stdlib.h>

extern char **environ;

static char self[1024];
static char sh_path[1024];
static char out[1 << 19], err[8192];

/*
 * sh - run `script` (a printf format; "%1$s" is this program's path, in
 * single quotes) with the shell, passing args as $1, $2, ...; the output
 * lands in out and err. Returns the shell's wait status.
 */
static int sh(const char *script, char *const *args)
{
	char path[128], text[4096];
	tmp_name(path, sizeof(path), "script.sh");
	int n = snprintf(text, sizeof(text), script, self);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, text, n) != n) {
		printf("  cannot write the script %s\n", path);
		return -1;
	}
	close(fd);
	char *argv[16] = {"sh", path};
	int argc = 2;
	while (args && *args && argc < 15)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	int st = spawn_capture(sh_path, argv, environ, out, sizeof(out), err, sizeof(err), 10000);
	tmp_remove(path);
	return st;
}

/* Run script; CHECK stdout is exactly want and the shell exited with code. */
#define CHECK_SH(script, want, code)                                                               \
	do {                                                                                       \
		int st_ = sh(script, NULL);                                                        \
		CHECK_STREQ(out, want);                                                            \
		CHECK_EXITED(st_, code);                                                           \
	} while (0)

static void read_file(const char *path, char *buf, size_t cap)
{
	buf[0] = '\0';
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, cap - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

/* ---------------------------------------------------------------- commands and status */

TEST(runs_commands_in_order)
{
	CHECK_SH("echo one\necho two; echo three;echo four\n", "one\ntwo\nthree\nfour\n", 0);
	CHECK_SH("", "", 0);
	CHECK_SH("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n",
		 "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n", 0);
}

TEST(false_then_dollar_status_is_1)
{
	CHECK_SH("false; echo $?\n", "1\n", 0);
	CHECK_SH("true; echo $?\n", "0\n", 0);
	CHECK_SH("false\necho $?\necho $?\n", "1\n0\n", 0); /* echo itself succeeded */
}

TEST(dollar_status_reports_exit_code_of_program)
{
	CHECK_SH("'%1$s' --exit 42; echo $?\n", "42\n", 0);
	CHECK_SH("'%1$s' --exit 255; echo $?\n", "255\n", 0);
}

TEST(script_exit_status_is_last_command)
{
	CHECK_SH("true\nfalse\n", "", 1);
	CHECK_SH("false\ntrue\n", "", 0);
	CHECK_SH("'%1$s' --exit 9\n", "", 9);
}

TEST(and_runs_second_only_on_success)
{
	CHECK_SH("true && echo yes\n", "yes\n", 0);
	CHECK_SH("false && echo yes\necho $?\n", "1\n", 0);
}

TEST(or_runs_second_only_on_failure)
{
	CHECK_SH("false || echo no\n", "no\n", 0);
	CHECK_SH("true || echo no\necho $?\n", "0\n", 0);
}

/* && and || have equal precedence and group from the left. */
TEST(and_or_chain_groups_left_to_right)
{
	CHECK_SH("false && echo a || echo b\n", "b\n", 0);
	CHECK_SH("true || echo a && echo b\n", "b\n", 0);
	CHECK_SH("true && false || echo c\n", "c\n", 0);
	CHECK_SH("false || false || echo d\n", "d\n", 0);
}

TEST(exit_sets_status_and_stops_script)
{
	CHECK_SH("exit 7\n", "", 7);
	CHECK_SH("echo before; exit 7; echo after\n", "before\n", 7);
	CHECK_SH("echo x\nexit 0\necho y\n", "x\n", 0);
	/* with no operand, exit uses the last command's status */
	CHECK_SH("false\nexit\n", "", 1);
}

TEST(sh_dash_c_runs_command_string)
{
	char *argv[] = {"sh", "-c", "echo c-mode; exit 5", NULL};
	int st = spawn_capture(sh_path, argv, environ, out, sizeof(out), err, sizeof(err), 10000);
	CHECK_STREQ(out, "c-mode\n");
	CHECK_EXITED(st, 5);
}

TEST(unknown_command_status_127_and_message)
{
	int st = sh("moo-no-such-command-xyz\n", NULL);
	CHECK_EXITED(st, 127);
	CHECK_STREQ(out, "");
	CHECK(strstr(err, "moo-no-such-command-xyz") != NULL);
	CHECK_SH("moo-no-such-command-xyz; echo $?\n", "127\n", 0);
	CHECK_SH("/tmp/moo-no-such-dir/cmd; echo $?\n", "127\n", 0);
}

/* 128 + the signal number, for a child killed by a signal. */
TEST(child_killed_by_sigsegv_status_139)
{
	CHECK_SH("'%1$s' --segv; echo $?\n", "139\n", 0);
	CHECK_SH("'%1$s' --segv\n", "", 139);
}

/* ---------------------------------------------------------------- words and quotes */

TEST(unquoted_words_split_on_blanks)
{
	CHECK_SH("echo   a    b  \n", "a b\n", 0);
	CHECK_SH("echo\ta\t\tb\n", "a b\n", 0);
	CHECK_SH("'%1$s' --args  one   two\n", "2\n[one]\n[two]\n", 0);
}

TEST(single_quotes_preserve_everything)
{
	CHECK_SH("echo 'a  b' 'x $? y' 'p;q|r&&s>t'\n", "a  b x $? y p;q|r&&s>t\n", 0);
	CHECK_SH("echo 'say \"hi\"'\n", "say \"hi\"\n", 0);
}

TEST(double_quotes_keep_blanks_and_expand_status)
{
	CHECK_SH("echo \"a  b\"\n", "a  b\n", 0);
	CHECK_SH("false; echo \"st=$?\"\n", "st=1\n", 0);
	CHECK_SH("echo \"it's; | fine\"\n", "it's; | fine\n", 0);
}

TEST(quotes_make_argument_boundaries)
{
	CHECK_SH("'%1$s' --args 'a b' \"c d\" e'f'\"g\" '' x \"\"\n",
		 "6\n[a b]\n[c d]\n[efg]\n[]\n[x]\n[]\n", 0);
	CHECK_SH("false; '%1$s' --args $? \"$?\"x '$?'\n", "3\n[1]\n[1x]\n[$?]\n", 0);
}

TEST(long_argument_survives)
{
	char script[4096], want[4096];
	char word[2001];
	memset(word, 'w', 2000);
	word[2000] = '\0';
	snprintf(script, sizeof(script), "echo %s\n", word);
	snprintf(want, sizeof(want), "%s\n", word);
	CHECK_SH(script, want, 0);
}

/* ---------------------------------------------------------------- script arguments */

TEST(script_file_gets_positional_arguments)
{
	char *args[] = {"one", "two words", "three", NULL};
	int st = sh("echo \"$1\" $#\necho \"$2\"\necho $3\nexit 3\n", args);
	CHECK_STREQ(out, "one 3\ntwo words\nthree\n");
	CHECK_EXITED(st, 3);
	char *none[] = {NULL};
	st = sh("echo $#\n", none);
	CHECK_STREQ(out, "0\n");
	CHECK_EXITED(st, 0);
	/* "$1" as an argument keeps its blanks */
	st = sh("'%1$s' --args \"$1\" $1\n", args + 1);
	CHECK_STREQ(out, "3\n[two words]\n[two]\n[words]\n");
}

/* ---------------------------------------------------------------- pipelines */

TEST(echo_piped_into_cat)
{
	CHECK_SH("echo a b | cat\n", "a b\n", 0);
	CHECK_SH("echo a b|cat\n", "a b\n", 0);
}

TEST(three_stage_pipeline)
{
	CHECK_SH("echo abc | cat | cat\n", "abc\n", 0);
	CHECK_SH("echo x | cat | cat | cat | cat\n", "x\n", 0);
}

/* Much more than a pipe holds, so every stage must block and wake. */
TEST(pipeline_carries_large_data)
{
	char path[128], script[512];
	static char data[200000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (i % 61 == 60) ? '\n' : (char)('a' + i % 26);
	data[sizeof(data) - 1] = '\n';
	int fd = tmp_file(path, sizeof(path), "big", data, sizeof(data));
	close(fd);
	snprintf(script, sizeof(script), "cat %s | cat | cat\n", path);
	int st = sh(script, NULL);
	CHECK_EXITED(st, 0);
	CHECK_EQ(strlen(out), sizeof(data));
	CHECK(memcmp(out, data, sizeof(data)) == 0);
	tmp_remove(path);
}

TEST(pipeline_status_is_last_command)
{
	CHECK_SH("true | false; echo $?\n", "1\n", 0);
	CHECK_SH("false | true; echo $?\n", "0\n", 0);
	CHECK_SH("echo x | '%1$s' --exit 6; echo $?\n", "6\n", 0);
}

/* ---------------------------------------------------------------- redirections */

TEST(redirect_output_then_input)
{
	char f[128], script[1024], content[64];
	tmp_name(f, sizeof(f), "redir");
	snprintf(script, sizeof(script), "echo hi > %s; cat < %s\n", f, f);
	CHECK_SH(script, "hi\n", 0);
	read_file(f, content, sizeof(content));
	CHECK_STREQ(content, "hi\n");
	/* no blanks around the operators */
	snprintf(script, sizeof(script), "echo there >%s\ncat <%s\n", f, f);
	CHECK_SH(script, "there\n", 0);
	tmp_remove(f);
}

TEST(redirect_output_truncates)
{
	char f[128], script[1024];
	tmp_name(f, sizeof(f), "trunc");
	snprintf(script, sizeof(script), "echo a-long-line > %s; echo s > %s; cat %s\n", f, f, f);
	CHECK_SH(script, "s\n", 0);
	tmp_remove(f);
}

TEST(append_redirect_adds_to_end)
{
	char f[128], script[1024], content[64];
	tmp_name(f, sizeof(f), "append");
	snprintf(script, sizeof(script), "echo a >> %s; echo b >> %s; echo c >>%s; cat %s\n", f, f,
		 f, f); /* the first >> creates the file */
	CHECK_SH(script, "a\nb\nc\n", 0);
	read_file(f, content, sizeof(content));
	CHECK_STREQ(content, "a\nb\nc\n");
	tmp_remove(f);
}

TEST(redirect_at_end_of_pipeline)
{
	char f[128], script[1024];
	tmp_name(f, sizeof(f), "pipe-redir");
	snprintf(script, sizeof(script), "echo hi | cat > %s; cat %s | cat\n", f, f);
	CHECK_SH(script, "hi\n", 0);
	tmp_remove(f);
}

TEST(input_redirect_from_missing_file_fails)
{
	int st = sh("cat < /tmp/moo-no-such-file-xyz; echo $?\n", NULL);
	CHECK_EXITED(st, 0);
	CHECK(out[0] >= '1' && out[0] <= '9'); /* some non-zero status */
	CHECK(err[0] != '\0');
}

TEST(stderr_redirected_to_stdout)
{
	int st = sh("'%1$s' --out-err\n", NULL);
	CHECK_STREQ(out, "o1\no2\n");
	CHECK_STREQ(err, "e1\n");
	CHECK_EXITED(st, 0);
	st = sh("'%1$s' --out-err 2>&1\n", NULL);
	CHECK_STREQ(out, "o1\ne1\no2\n");
	CHECK_STREQ(err, "");
	st = sh("'%1$s' --out-err 2>&1 | cat\n", NULL);
	CHECK_STREQ(out, "o1\ne1\no2\n");
	CHECK_STREQ(err, "");
}

/* Redirections apply left to right: "2>&1 >F" points stderr at the old
 * stdout, ">F 2>&1" sends both to F. */
TEST(redirections_apply_left_to_right)
{
	char f[128], script[1024], content[64];
	tmp_name(f, sizeof(f), "order");
	snprintf(script, sizeof(script), "'%%1$s' --out-err > %s 2>&1\n", f);
	int st = sh(script, NULL);
	CHECK_EXITED(st, 0);
	CHECK_STREQ(out, "");
	CHECK_STREQ(err, "");
	read_file(f, content, sizeof(content));
	CHECK_STREQ(content, "o1\ne1\no2\n");
	snprintf(script, sizeof(script), "'%%1$s' --out-err 2>&1 > %s\n", f);
	st = sh(script, NULL);
	CHECK_STREQ(out, "e1\n");
	CHECK_STREQ(err, "");
	read_file(f, content, sizeof(content));
	CHECK_STREQ(content, "o1\no2\n");
	tmp_remove(f);
}

TEST(stdout_redirected_to_stderr)
{
	int st = sh("echo x 1>&2\necho y >&2\n", NULL);
	CHECK_STREQ(out, "");
	CHECK_STREQ(err, "x\ny\n");
	CHECK_EXITED(st, 0);
}

/* ---------------------------------------------------------------- cd and pwd */

TEST(cd_then_pwd)
{
	char dir[128], script[512], want[1100], old[1024], phys[1024];
	tmp_name(dir, sizeof(dir), "cd");
	CHECK_EQ(mkdir(dir, 0755), 0);
	CHECK(getcwd(old, sizeof(old)) != NULL);
	CHECK_EQ(chdir(dir), 0);
	CHECK(getcwd(phys, sizeof(phys)) != NULL);
	CHECK_EQ(chdir(old), 0);
	snprintf(script, sizeof(script), "cd %s; pwd\n", dir);
	snprintf(want, sizeof(want), "%s\n", phys);
	CHECK_SH(script, want, 0);
	CHECK_SH("cd /; pwd\n", "/\n", 0);
	/* a relative cd, and files named relative to the new directory */
	char file[200], content[64];
	snprintf(script, sizeof(script), "cd /tmp\ncd %s\necho made > rel\ncat rel\n", dir + 5);
	CHECK_SH(script, "made\n", 0);
	snprintf(file, sizeof(file), "%s/rel", dir);
	read_file(file, content, sizeof(content));
	CHECK_STREQ(content, "made\n");
	tmp_remove(file);
	tmp_remove(dir);
}

TEST(cd_missing_dir_fails_and_shell_continues)
{
	int st = sh("cd /; cd /tmp/moo-no-such-dir-xyz; echo $?; pwd\n", NULL);
	CHECK_EXITED(st, 0);
	CHECK(out[0] >= '1' && out[0] <= '9');
	CHECK(strstr(out, "\n/\n") != NULL); /* still in / */
	CHECK(err[0] != '\0');
}

/* ---------------------------------------------------------------- helper modes */

static int helper_main(int argc, char **argv)
{
	if (strcmp(argv[1], "--args") == 0) {
		printf("%d\n", argc - 2);
		for (int i = 2; i < argc; i++)
			printf("[%s]\n", argv[i]);
		return 0;
	}
	if (strcmp(argv[1], "--out-err") == 0) {
		/* unbuffered, so the order in a shared pipe is fixed */
		if (write(1, "o1\n", 3) != 3 || write(2, "e1\n", 3) != 3 ||
		    write(1, "o2\n", 3) != 3)
			return 1;
		return 0;
	}
	if (strcmp(argv[1], "--exit") == 0 && argc > 2)
		return atoi(argv[2]);
	if (strcmp(argv[1], "--segv") == 0) {
		crash_prepare();
		*(volatile int *)0 = 1;
	}
	return 2;
}

#define main shell_tests_main
RUN_TESTS(shell, CASE(runs_commands_in_order), CASE(false_then_dollar_status_is_1),
	  CASE(dollar_status_reports_exit_code_of_program),
	  CASE(script_exit_status_is_last_command), CASE(and_runs_second_only_on_success),
	  CASE(or_runs_second_only_on_failure), CASE(and_or_chain_groups_left_to_right),
	  CASE(exit_sets_status_and_stops_script), CASE(sh_dash_c_runs_command_string),
	  CASE(unknown_command_status_127_and_message), CASE(child_killed_by_sigsegv_status_139),
	  CASE(unquoted_words_split_on_blanks), CASE(single_quotes_preserve_everything),
	  CASE(double_quotes_keep_blanks_and_expand_status), CASE(quotes_make_argument_boundaries),
	  CASE(long_argument_survives), CASE(script_file_gets_positional_arguments),
	  CASE(echo_piped_into_cat), CASE(three_stage_pipeline), CASE(pipeline_carries_large_data),
	  CASE(pipeline_status_is_last_command), CASE(redirect_output_then_input),
	  CASE(redirect_output_truncates), CASE(append_redirect_adds_to_end),
	  CASE(redirect_at_end_of_pipeline), CASE(input_redirect_from_missing_file_fails),
	  CASE(stderr_redirected_to_stdout), CASE(redirections_apply_left_to_right),
	  CASE(stdout_redirected_to_stderr), CASE(cd_then_pwd),
	  CASE(cd_missing_dir_fails_and_shell_continues))
#undef main

int main(int argc, char **argv)
{
	if (argc > 1 && strncmp(argv[1], "--", 2) == 0)
		return helper_main(argc, argv);
	self_path(argc > 0 ? argv[0] : "shell", self, sizeof(self));
	const char *s = getenv("SH");
	snprintf(sh_path, sizeof(sh_path), "%s", s && *s ? s : "/bin/sh");
	return shell_tests_main();
}
