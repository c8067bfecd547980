/*
 * sh.c - moo's shell: a small POSIX-style command interpreter.
 *
 * Usage: sh                          read commands from standard input
 *        sh -c CMD [NAME [ARG...]]   run CMD, with $0 = NAME and $1... = ARGs
 *        sh FILE [ARG...]            run the script FILE, with $0 = FILE
 *
 * The language:
 *   - words quoted with '...', "..." and \; comments from an unquoted #
 *   - $NAME ${NAME} $? $$ $! $# $0..$9 ${N} $* $@ "$@", and ~ or ~/ at the
 *     start of a word; unquoted expansions are split at blanks
 *   - NAME=value sets a shell variable, or, before a command, a variable in
 *     that command's environment only; "export" puts variables into the
 *     environment of all later commands
 *   - pipelines a | b | c, "! pipeline", lists with ; & && || and newlines
 *   - redirections < > >> <> >| with an optional fd number (2> file), and
 *     N>&M, N<&M, N>&- (close)
 *   - builtins cd [DIR | -], pwd, exit [N], export [NAME[=VALUE]...],
 *     exec [CMD [ARG...]]; everything else (echo too) is a program, found
 *     along $PATH (/bin when PATH is unset) unless its name has a '/'
 * Not supported: globbing, command substitution, here-documents, control
 * structures (if, while, for, case), functions, subshells, job control.
 *
 * $? is the exit code of the last pipeline, or 128+N when a signal N killed
 * it; a killed foreground command is reported like Linux shells do
 * ("Segmentation fault"), except SIGINT (just a newline) and SIGPIPE.
 * Command not found is status 127; a syntax error is status 2, and ends a
 * non-interactive shell. The shell exits with the last status.
 *
 * The shell is interactive when it reads commands from a terminal on
 * standard input: it then prints the prompt "$ " ("# " for root) and "> "
 * for continuation lines, and ignores SIGINT and SIGQUIT. Children get the
 * dispositions the shell started with (normally the defaults).
 *
 * Input is read with read(2) and never past the end of the current line
 * (byte by byte from pipes and terminals; from files by reading ahead and
 * seeking back), because children share standard input: in
 * "sh < script", a command in the script may read the lines after it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pagemem.h"
#include "signame.h"

extern char **environ;

/* ---- errors -------------------------------------------------------------- */

/* err: print "sh: MESSAGE" on standard error. */
static void err(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dprintf(2, "sh: %s\n", msg);
}

static void oom(void)
{
	err("out of memory");
	_exit(2);
}

/* ---- memory: one arena per command ---------------------------------------- */

/*
 * Everything that lives only while one command is read and run (its text,
 * tokens, tree, expanded words) comes from an arena that is freed in one go
 * afterwards. Its blocks are mmap'd (see pagemem.h). Shell variables use
 * malloc() and live on.
 */
struct block {
	struct block *next;
	size_t used, size;
	char data[];
};

static struct block *arena;

static void *alloc(size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!arena || arena->size - arena->used < n) {
		size_t size = page_round(sizeof(struct block) + (n > 16384 ? n : 16384));
		struct block *b = page_alloc(size);
		if (!b)
			oom();
		b->next = arena;
		b->used = 0;
		b->size = size - sizeof(*b);
		arena = b;
	}
	void *p = arena->data + arena->used;
	arena->used += n;
	memset(p, 0, n);
	return p;
}

static void arena_reset(void)
{
	while (arena) {
		struct block *next = arena->next;
		page_free(arena, sizeof(*arena) + arena->size);
		arena = next;
	}
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

/* A growing string in the arena, always NUL-terminated once non-empty. */
struct str {
	char *s;
	size_t len, cap;
};

static void str_addn(struct str *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = alloc(cap);
		if (b->len)
			memcpy(p, b->s, b->len);
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void str_adds(struct str *b, const char *s)
{
	str_addn(b, s, strlen(s));
}

/* str_take: the string built so far (never NULL); b starts over empty. */
static char *str_take(struct str *b)
{
	char *s = b->s ? b->s : alloc(1);
	*b = (struct str){0};
	return s;
}

/* A growing NULL-terminated array of pointers in the arena. */
struct vec {
	void **v;
	size_t n, cap;
};

static void vec_push(struct vec *a, void *p)
{
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;
		void **v = alloc(cap * sizeof(*v));
		if (a->n)
			memcpy(v, a->v, a->n * sizeof(*v));
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = p;
	a->v[a->n] = NULL;
}

static char *fmt_int(long n)
{
	char *s = alloc(24);
	snprintf(s, 24, "%ld", n);
	return s;
}

/* ---- shell state ---------------------------------------------------------- */

struct var {
	char *name;
	char *value; /* NULL: exported but not set yet */
	bool exported;
};

static struct var *vars;
static size_t nvars, vars_cap;

static char *arg0;    /* $0 */
static char **params; /* $1... */
static int nparams;
static int last_status; /* $? */
static pid_t shell_pid; /* $$ */
static pid_t last_bg;   /* $! */
static bool interactive;

/* the SIGINT and SIGQUIT dispositions the shell started with, for children */
static struct sigaction entry_int, entry_quit;

static bool is_name_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool is_name_char(int c)
{
	return isalnum(c) || c == '_';
}

/* name_len: the length of the variable name at the start of s (0 if none). */
static size_t name_len(const char *s)
{
	size_t n = 0;

	if (!is_name_start((unsigned char)s[0]))
		return 0;
	while (is_name_char((unsigned char)s[n]))
		n++;
	return n;
}

static struct var *lookup(const char *name)
{
	for (size_t i = 0; i < nvars; i++)
		if (!strcmp(vars[i].name, name))
			return &vars[i];
	return NULL;
}

static const char *getvar(const char *name)
{
	struct var *v = lookup(name);
	return v ? v->value : NULL;
}

/* setvar: create or update a variable; a NULL value leaves the value alone. */
static struct var *setvar(const char *name, const char *value)
{
	struct var *v = lookup(name);

	if (!v) {
		if (nvars == vars_cap) {
			size_t cap = vars_cap ? vars_cap * 2 : 64;
			vars = page_realloc(vars, vars_cap * sizeof(*vars), cap * sizeof(*vars));
			if (!vars)
				oom();
			vars_cap = cap;
		}
		v = &vars[nvars++];
		*v = (struct var){.name = xstrdup(name)};
	}
	if (value) {
		char *copy = xstrdup(value);
		free(v->value);
		v->value = copy;
	}
	return v;
}

/* import_environ: every environment variable becomes an exported shell variable. */
static void import_environ(void)
{
	for (char **e = environ; *e; e++) {
		char *eq = strchr(*e, '=');
		if (!eq || eq == *e)
			continue;
		char *name = strndup(*e, eq - *e);
		if (!name)
			oom();
		setvar(name, eq + 1)->exported = true;
		free(name);
	}
}

/* make_envp: the environment for a program: the exported variables. */
static char **make_envp(void)
{
	struct vec env = {0};

	for (size_t i = 0; i < nvars; i++) {
		if (!vars[i].exported || !vars[i].value)
			continue;
		struct str s = {0};
		str_adds(&s, vars[i].name);
		str_adds(&s, "=");
		str_adds(&s, vars[i].value);
		vec_push(&env, str_take(&s));
	}
	return env.n ? (char **)env.v : alloc(sizeof(char *));
}

/* ---- input ---------------------------------------------------------------- */

struct input {
	int fd;          /* -1: the -c string */
	const char *str; /* what is left of the -c string */
	bool seekable;   /* a regular file: read ahead, then seek back */
	int line;        /* lines read so far, for error messages */
};

/* add_input: append n bytes of input, dropping NULs (they would end the string). */
static void add_input(struct str *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			str_addn(out, &p[i], 1);
}

static bool read_line_str(struct input *in, struct str *out)
{
	if (!*in->str)
		return false;
	const char *nl = strchr(in->str, '\n');
	size_t n = nl ? (size_t)(nl - in->str + 1) : strlen(in->str);
	add_input(out, in->str, n);
	in->str += n;
	return true;
}

/* read_line_seek: read a block, keep up to the newline, seek back over the rest. */
static bool read_line_seek(struct input *in, struct str *out)
{
	char buf[512];
	bool got = false;

	for (;;) {
		ssize_t n = read(in->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return got;
		got = true;
		char *nl = memchr(buf, '\n', n);
		size_t take = nl ? (size_t)(nl - buf + 1) : (size_t)n;
		add_input(out, buf, take);
		if (nl) {
			if (take < (size_t)n)
				lseek(in->fd, (off_t)take - n, SEEK_CUR);
			return true;
		}
	}
}

/* read_line_bytes: one byte per read(2), so nothing past the newline is taken. */
static bool read_line_bytes(struct input *in, struct str *out)
{
	bool got = false;
	char c;

	for (;;) {
		ssize_t n = read(in->fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return got;
		got = true;
		add_input(out, &c, 1);
		if (c == '\n')
			return true;
	}
}

/* read_line: append the next line (with its '\n', if any) to out; false at EOF. */
static bool read_line(struct input *in, struct str *out)
{
	bool got;

	if (in->fd < 0)
		got = read_line_str(in, out);
	else if (in->seekable)
		got = read_line_seek(in, out);
	else
		got = read_line_bytes(in, out);
	if (got)
		in->line++;
	return got;
}

/* ---- lexer ---------------------------------------------------------------- */

enum tok {
	T_EOF,
	T_NL,
	T_WORD,
	T_SEMI,
	T_AMP,
	T_AND,
	T_OR,
	T_PIPE,
	T_LESS,
	T_GREAT,
	T_DGREAT,
	T_LESSAND,
	T_GREATAND,
	T_LESSGREAT,
	T_CLOBBER,
	T_DLESS,
	T_DSEMI,
	T_LPAREN,
	T_RPAREN,
};

struct token {
	enum tok type;
	int fd;     /* for redirections: the fd number written before it, or -1 */
	char *word; /* T_WORD: the raw text, quotes and all */
};

/* longest first, so that "&&" is not read as "&" "&" */
static const struct {
	const char *text;
	enum tok type;
} operators[] = {
    {"&&", T_AND},     {"||", T_OR},       {";;", T_DSEMI},     {"<<", T_DLESS},   {">>", T_DGREAT},
    {"<&", T_LESSAND}, {">&", T_GREATAND}, {"<>", T_LESSGREAT}, {">|", T_CLOBBER}, {";", T_SEMI},
    {"&", T_AMP},      {"|", T_PIPE},      {"<", T_LESS},       {">", T_GREAT},    {"(", T_LPAREN},
    {")", T_RPAREN},   {"\n", T_NL},
};

/* results of the lexer and the parser; END: no more input */
enum { OK, MORE, ERROR, END };

static char syntax_msg[256];

/* syntax: record a syntax error message; returns ERROR. */
static int syntax(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(syntax_msg, sizeof(syntax_msg), fmt, ap);
	va_end(ap);
	return ERROR;
}

struct lexer {
	const char *p;
	struct vec toks;
};

static bool is_meta(char c)
{
	return c && strchr(" \t\n;&|<>()", c);
}

static void push_token(struct lexer *lx, enum tok type, int fd, char *word)
{
	struct token *t = alloc(sizeof(*t));
	t->type = type;
	t->fd = fd;
	t->word = word;
	vec_push(&lx->toks, t);
}

/* valid_param: is s (n bytes) something that may stand inside ${...}? */
static bool valid_param(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && strchr("?$#@*!-", s[0]))
		return true;
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		;
	if (n && i == n)
		return true;
	return n && name_len(s) == n;
}

/* lex_dollar: at a '$': copy "${...}" whole, after checking it; else just the '$'. */
static int lex_dollar(struct lexer *lx, struct str *w)
{
	const char *p = lx->p;

	if (p[1] == '(')
		return syntax("syntax error: command substitution $(...) is not supported");
	if (p[1] != '{') {
		str_addn(w, p, 1);
		lx->p++;
		return OK;
	}
	const char *end = strchr(p, '}');
	if (!end)
		return MORE;
	if (!valid_param(p + 2, end - p - 2))
		return syntax("syntax error: bad substitution '%.*s'", (int)(end + 1 - p), p);
	str_addn(w, p, end + 1 - p);
	lx->p = end + 1;
	return OK;
}

/* lex_backslash: "\<newline>" joins lines and vanishes; "\c" is copied. */
static int lex_backslash(struct lexer *lx, struct str *w)
{
	const char *p = lx->p;
	size_t n = p[1] == '\n' ? 0 : p[1] ? 2 : 1;

	if (p[1] == '\n' && !p[2])
		return MORE; /* the line goes on in the next one */

	str_addn(w, p, n);
	lx->p += p[1] ? 2 : 1;
	return OK;
}

static int lex_squote(struct lexer *lx, struct str *w)
{
	const char *end = strchr(lx->p + 1, '\'');

	if (!end)
		return MORE;
	str_addn(w, lx->p, end + 1 - lx->p);
	lx->p = end + 1;
	return OK;
}

static int lex_dquote(struct lexer *lx, struct str *w)
{
	str_addn(w, lx->p++, 1);
	for (;;) {
		const char *p = lx->p;
		int r = OK;

		if (!*p)
			return MORE;
		if (*p == '"')
			break;
		if (*p == '`')
			return syntax("syntax error: command substitution `...` is not supported");
		if (*p == '$')
			r = lex_dollar(lx, w);
		else if (*p == '\\' && !p[1])
			return MORE;
		else if (*p == '\\')
			r = lex_backslash(lx, w);
		else
			str_addn(w, lx->p++, 1);
		if (r != OK)
			return r;
	}
	str_addn(w, lx->p++, 1);
	return OK;
}

/* lex_word: copy one word, quotes and all, into w. */
static int lex_word(struct lexer *lx, struct str *w)
{
	while (*lx->p && !is_meta(*lx->p)) {
		int r = OK;

		switch (*lx->p) {
		case '\'':
			r = lex_squote(lx, w);
			break;
		case '"':
			r = lex_dquote(lx, w);
			break;
		case '$':
			r = lex_dollar(lx, w);
			break;
		case '\\':
			r = lex_backslash(lx, w);
			break;
		case '`':
			return syntax("syntax error: command substitution `...` is not supported");
		default:
			str_addn(w, lx->p++, 1);
		}
		if (r != OK)
			return r;
	}
	return OK;
}

/* lex_operator: the operator at lx->p; fd is the number written before it, or -1. */
static void lex_operator(struct lexer *lx, int fd)
{
	for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++) {
		size_t n = strlen(operators[i].text);
		if (!strncmp(lx->p, operators[i].text, n)) {
			push_token(lx, operators[i].type, fd, NULL);
			lx->p += n;
			return;
		}
	}
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* lex_word_token: a word, or an fd number when digits run into '<' or '>'. */
static int lex_word_token(struct lexer *lx)
{
	struct str w = {0};
	int r = lex_word(lx, &w);

	if (r != OK)
		return r;
	if (!w.len)
		return OK; /* only line continuations */
	if (w.len <= 4 && all_digits(w.s) && (*lx->p == '<' || *lx->p == '>')) {
		lex_operator(lx, atoi(w.s));
		return OK;
	}
	push_token(lx, T_WORD, -1, str_take(&w));
	return OK;
}

/* skip_blanks: skip blanks and line continuations; MORE if the text ends in one. */
static int skip_blanks(struct lexer *lx)
{
	for (;;) {
		if (*lx->p == ' ' || *lx->p == '\t') {
			lx->p++;
		} else if (*lx->p == '\\' && lx->p[1] == '\n') {
			if (!lx->p[2])
				return MORE;
			lx->p += 2;
		} else {
			return OK;
		}
	}
}

/* tokenize: split text into tokens, ending with T_EOF. MORE: text is incomplete. */
static int tokenize(const char *text, struct vec *toks)
{
	struct lexer lx = {.p = text};

	for (;;) {
		if (skip_blanks(&lx) != OK)
			return MORE;
		if (*lx.p == '#')
			while (*lx.p && *lx.p != '\n')
				lx.p++;
		if (!*lx.p)
			break;
		if (is_meta(*lx.p)) {
			lex_operator(&lx, -1);
		} else {
			int r = lex_word_token(&lx);
			if (r != OK)
				return r;
		}
	}
	push_token(&lx, T_EOF, -1, NULL);
	*toks = lx.toks;
	return OK;
}

/* ---- parser --------------------------------------------------------------- */

struct redir {
	enum tok type;
	int fd;
	char *word; /* the file, or for <& and >& the fd number or "-" */
};

struct cmd {
	struct vec words; /* raw words, assignments first */
	struct vec redirs;
};

struct pipeline {
	int op;    /* T_AND or T_OR joining it to the pipeline before; 0 for the first */
	bool bang; /* "! pipeline": negate the status */
	struct vec cmds;
};

struct andor {
	bool background; /* ended by '&' */
	struct vec pipelines;
};

struct parser {
	struct token **t;
	size_t i;
};

static struct token *peek(struct parser *ps)
{
	return ps->t[ps->i];
}

static const char *token_name(struct token *t)
{
	if (t->type == T_WORD)
		return t->word;
	if (t->type == T_NL)
		return "newline";
	for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
		if (operators[i].type == t->type)
			return operators[i].text;
	return "end of file";
}

static int unexpected(struct token *t)
{
	if (t->type == T_EOF)
		return syntax("syntax error: unexpected end of file");
	return syntax("syntax error near unexpected token '%s'", token_name(t));
}

static bool is_redirection(enum tok type)
{
	return type >= T_LESS && type <= T_DLESS;
}

/* skip_newlines: newlines may follow && || |; the end of the text means more is needed. */
static int skip_newlines(struct parser *ps)
{
	while (peek(ps)->type == T_NL)
		ps->i++;
	return peek(ps)->type == T_EOF ? MORE : OK;
}

static int parse_redirection(struct parser *ps, struct cmd *c)
{
	struct token *op = ps->t[ps->i++];
	struct token *w = peek(ps);

	if (op->type == T_DLESS)
		return syntax("syntax error: here-documents (<<) are not supported");
	if (w->type != T_WORD)
		return unexpected(w);
	ps->i++;

	struct redir *r = alloc(sizeof(*r));
	r->type = op->type;
	r->fd = op->fd;
	if (r->fd < 0) /* input redirections default to fd 0, output ones to 1 */
		r->fd =
		    op->type == T_LESS || op->type == T_LESSAND || op->type == T_LESSGREAT ? 0 : 1;
	r->word = w->word;
	vec_push(&c->redirs, r);
	return OK;
}

/* reserved: words that start control structures, which this shell lacks. */
static bool reserved(const char *w)
{
	static const char *const words[] = {"if",    "then",  "else", "elif", "fi",
					    "while", "until", "for",  "do",   "done",
					    "case",  "esac",  "{",    "}",    NULL};

	for (int i = 0; words[i]; i++)
		if (!strcmp(w, words[i]))
			return true;
	return false;
}

static int parse_command(struct parser *ps, struct cmd **out)
{
	struct cmd *c = alloc(sizeof(*c));

	for (;;) {
		struct token *t = peek(ps);
		if (t->type == T_WORD) {
			if (!c->words.n && reserved(t->word))
				return syntax(
				    "syntax error: '%s' is not supported (no control structures)",
				    t->word);
			vec_push(&c->words, t->word);
			ps->i++;
		} else if (is_redirection(t->type)) {
			int r = parse_redirection(ps, c);
			if (r != OK)
				return r;
		} else {
			break;
		}
	}
	if (!c->words.n && !c->redirs.n)
		return unexpected(peek(ps));
	*out = c;
	return OK;
}

static int parse_pipeline(struct parser *ps, struct pipeline **out)
{
	struct pipeline *pl = alloc(sizeof(*pl));

	if (peek(ps)->type == T_WORD && !strcmp(peek(ps)->word, "!")) {
		pl->bang = true;
		ps->i++;
	}
	for (;;) {
		struct cmd *c = NULL;
		int r = parse_command(ps, &c);
		if (r != OK)
			return r;
		vec_push(&pl->cmds, c);
		if (peek(ps)->type != T_PIPE)
			break;
		ps->i++;
		if ((r = skip_newlines(ps)) != OK)
			return r;
	}
	*out = pl;
	return OK;
}

static int parse_andor(struct parser *ps, struct andor **out)
{
	struct andor *ao = alloc(sizeof(*ao));
	int op = 0;

	for (;;) {
		struct pipeline *pl = NULL;
		int r = parse_pipeline(ps, &pl);
		if (r != OK)
			return r;
		pl->op = op;
		vec_push(&ao->pipelines, pl);
		op = peek(ps)->type;
		if (op != T_AND && op != T_OR)
			break;
		ps->i++;
		if ((r = skip_newlines(ps)) != OK)
			return r;
	}
	*out = ao;
	return OK;
}

/* parse_list: and-or lists separated by ; & or newlines, up to the end of the tokens. */
static int parse_list(struct vec *toks, struct vec *list)
{
	struct parser ps = {.t = (struct token **)toks->v};

	for (;;) {
		while (peek(&ps)->type == T_NL)
			ps.i++;
		if (peek(&ps)->type == T_EOF)
			return OK;

		struct andor *ao = NULL;
		int r = parse_andor(&ps, &ao);
		if (r != OK)
			return r;
		vec_push(list, ao);

		struct token *t = peek(&ps);
		if (t->type == T_SEMI || t->type == T_AMP) {
			ao->background = t->type == T_AMP;
			ps.i++;
		} else if (t->type != T_NL && t->type != T_EOF) {
			return unexpected(t);
		}
	}
}

/* ---- expansion ------------------------------------------------------------ */

/*
 * Expanding a word builds fields. Quoted text always belongs to the current
 * field; unquoted expansion results are split at blanks. With out == NULL
 * there is no splitting and everything joins into one string (for
 * assignments and redirection targets).
 */
struct fields {
	struct vec *out;
	struct str cur;
	bool present; /* the current field exists even if empty ("" or '') */
};

static void f_add(struct fields *f, const char *s, size_t n)
{
	str_addn(&f->cur, s, n);
	f->present = true;
}

/* f_end: finish the current field, if there is one. */
static void f_end(struct fields *f)
{
	if (f->out && f->present)
		vec_push(f->out, str_take(&f->cur));
	f->present = false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* f_split: add the unquoted result of an expansion, splitting it at blanks. */
static void f_split(struct fields *f, const char *s)
{
	for (; *s; s++) {
		if (f->out && is_blank(*s))
			f_end(f);
		else
			f_add(f, s, 1);
	}
}

/* f_value: add an expansion's result, quoted or not. */
static void f_value(struct fields *f, const char *s, bool quoted)
{
	if (quoted)
		f_add(f, s, strlen(s));
	else
		f_split(f, s);
}

/* param_value: the value of a parameter named in ${...} or after $; NULL if unset. */
static const char *param_value(const char *name)
{
	if (!strcmp(name, "?"))
		return fmt_int(last_status);
	if (!strcmp(name, "$"))
		return fmt_int(shell_pid);
	if (!strcmp(name, "!"))
		return last_bg ? fmt_int(last_bg) : "";
	if (!strcmp(name, "#"))
		return fmt_int(nparams);
	if (!strcmp(name, "-"))
		return "";
	if (isdigit((unsigned char)name[0])) {
		long n = strtol(name, NULL, 10);
		if (n == 0)
			return arg0;
		return n <= nparams ? params[n - 1] : NULL;
	}
	return getvar(name);
}

/* expand_all: $@ and $*. "$@" makes a field of each parameter; "$*" joins them. */
static void expand_all(struct fields *f, bool quoted, bool at, bool *quoted_at)
{
	if (quoted && !at) {
		struct str s = {0};
		for (int i = 0; i < nparams; i++) {
			if (i)
				str_adds(&s, " ");
			str_adds(&s, params[i]);
		}
		f_add(f, s.s ? s.s : "", s.len);
		return;
	}
	if (quoted)
		*quoted_at = true;
	for (int i = 0; i < nparams; i++) {
		if (i) {
			if (f->out)
				f_end(f);
			else
				f_add(f, " ", 1);
		}
		f_value(f, params[i], quoted);
	}
}

/* expand_param: after a '$'; returns where the word goes on. */
static const char *expand_param(const char *p, struct fields *f, bool quoted, bool *quoted_at)
{
	const char *start = p;
	char *name;
	size_t n;

	if (*p == '{') {
		const char *end = strchr(p, '}'); /* the lexer checked it is there */
		start = p + 1;
		n = end - start;
		p = end + 1;
	} else if ((n = name_len(p))) {
		p += n;
	} else if (*p && strchr("?$!#-@*0123456789", *p)) {
		n = 1;
		p++;
	} else {
		f_add(f, "$", 1); /* a lone '$' is just a dollar sign */
		return p;
	}
	name = alloc(n + 1);
	memcpy(name, start, n);
	if (!strcmp(name, "@") || !strcmp(name, "*")) {
		expand_all(f, quoted, name[0] == '@', quoted_at);
		return p;
	}
	const char *v = param_value(name);
	if (v)
		f_value(f, v, quoted);
	return p;
}

/* expand_backslash: p is just after a '\'. Inside "...", only \$ \` \" \\ escape. */
static const char *expand_backslash(const char *p, struct fields *f, bool dq)
{
	if (!*p) {
		f_add(f, "\\", 1);
		return p;
	}
	if (dq && !strchr("$`\"\\", *p)) {
		f_add(f, "\\", 1);
		return p;
	}
	f_add(f, p, 1);
	return p + 1;
}

/* expand: expand one raw word into f. */
static void expand(const char *p, struct fields *f)
{
	bool dq = false, dq_at = false;

	/* ~ and ~/... at the start of a word: $HOME */
	if (p[0] == '~' && (!p[1] || p[1] == '/')) {
		const char *home = getvar("HOME");
		f_add(f, home ? home : "~", strlen(home ? home : "~"));
		p++;
	}
	while (*p) {
		char c = *p++;
		if (c == '\'' && !dq) {
			const char *end = strchr(p, '\'');
			f_add(f, p, end - p);
			p = end + 1;
		} else if (c == '"') {
			/* "" is an empty field, but "$@" with no parameters is none */
			if (dq && !dq_at)
				f->present = true;
			dq = !dq;
			dq_at = false;
		} else if (c == '\\') {
			p = expand_backslash(p, f, dq);
		} else if (c == '$') {
			p = expand_param(p, f, dq, &dq_at);
		} else {
			f_add(f, &c, 1);
		}
	}
}

/* expand_fields: expand a word into zero or more fields, appended to out. */
static void expand_fields(const char *word, struct vec *out)
{
	struct fields f = {.out = out};

	expand(word, &f);
	f_end(&f);
}

/* expand_string: expand a word into exactly one string, without splitting. */
static char *expand_string(const char *word)
{
	struct fields f = {0};

	expand(word, &f);
	return str_take(&f.cur);
}

/* assignment_len: for a word "NAME=...", the length of NAME; else 0. */
static size_t assignment_len(const char *word)
{
	size_t n = name_len(word);
	return word[n] == '=' ? n : 0;
}

/* assign: carry out the first n words of c, which are assignments. */
static void assign(struct cmd *c, size_t n, bool export)
{
	for (size_t i = 0; i < n; i++) {
		char *w = c->words.v[i];
		size_t len = assignment_len(w);
		char *value = expand_string(w + len + 1);
		w[len] = 0; /* the word is not needed again */
		struct var *v = setvar(w, value);
		w[len] = '=';
		if (export)
			v->exported = true;
	}
}

/* ---- redirections --------------------------------------------------------- */

struct saved_fd {
	int fd;
	int copy; /* -1: fd was closed before */
};

/* save_fd: remember what fd was, to put it back after a builtin; saved == NULL: don't. */
static void save_fd(int fd, struct vec *saved)
{
	if (!saved)
		return;
	for (size_t i = 0; i < saved->n; i++)
		if (((struct saved_fd *)saved->v[i])->fd == fd)
			return;
	struct saved_fd *s = alloc(sizeof(*s));
	s->fd = fd;
	s->copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	vec_push(saved, s);
}

static void restore_fds(struct vec *saved)
{
	for (size_t i = saved->n; i-- > 0;) {
		struct saved_fd *s = saved->v[i];
		if (s->copy >= 0) {
			dup2(s->copy, s->fd);
			close(s->copy);
		} else {
			close(s->fd);
		}
	}
}

/* redirect_dup: N>&M, N<&M and N>&-. */
static int redirect_dup(int fd, const char *target, struct vec *saved)
{
	if (!strcmp(target, "-")) {
		save_fd(fd, saved);
		close(fd);
		return 0;
	}
	if (!*target || !all_digits(target) || strlen(target) > 4) {
		err("%s: bad file descriptor number", target);
		return 1;
	}
	int src = atoi(target);
	if (fcntl(src, F_GETFD) < 0) {
		err("%d: %s", src, strerror(errno));
		return 1;
	}
	if (src == fd)
		return 0;
	save_fd(fd, saved);
	if (dup2(src, fd) < 0) {
		err("%d: %s", fd, strerror(errno));
		return 1;
	}
	return 0;
}

static int open_flags(enum tok type)
{
	switch (type) {
	case T_LESS:
		return O_RDONLY;
	case T_LESSGREAT:
		return O_RDWR | O_CREAT;
	case T_DGREAT:
		return O_WRONLY | O_CREAT | O_APPEND;
	default:
		return O_WRONLY | O_CREAT | O_TRUNC;
	}
}

static int redirect(struct redir *r, struct vec *saved)
{
	char *target = expand_string(r->word);

	if (r->type == T_LESSAND || r->type == T_GREATAND)
		return redirect_dup(r->fd, target, saved);
	save_fd(r->fd, saved); /* before open(), which may reuse r->fd if it is closed */
	int fd = open(target, open_flags(r->type), 0666);
	if (fd < 0) {
		err("%s: %s", target, strerror(errno));
		return 1;
	}
	if (fd != r->fd) {
		int ok = dup2(fd, r->fd);
		close(fd);
		if (ok < 0) {
			err("%d: %s", r->fd, strerror(errno));
			return 1;
		}
	}
	return 0;
}

/* apply_redirections: left to right; 1 (after a message) if one fails. */
static int apply_redirections(struct cmd *c, struct vec *saved)
{
	for (size_t i = 0; i < c->redirs.n; i++)
		if (redirect(c->redirs.v[i], saved))
			return 1;
	return 0;
}

/* ---- builtins ------------------------------------------------------------- */

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getvar("HOME");
	char old[PATH_MAX], cwd[PATH_MAX];
	bool dash = dir && !strcmp(dir, "-");

	if (argc > 2) {
		err("cd: too many arguments");
		return 1;
	}
	if (dash)
		dir = getvar("OLDPWD");
	if (!dir) {
		err("cd: %s not set", dash ? "OLDPWD" : "HOME");
		return 1;
	}
	bool have_old = getcwd(old, sizeof(old)) != NULL;
	if (chdir(dir) < 0) {
		err("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	if (have_old)
		setvar("OLDPWD", old);
	if (getcwd(cwd, sizeof(cwd))) {
		setvar("PWD", cwd);
		if (dash)
			dprintf(1, "%s\n", cwd);
	}
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[PATH_MAX];

	(void)argc;
	(void)argv;
	if (!getcwd(cwd, sizeof(cwd))) {
		err("pwd: %s", strerror(errno));
		return 1;
	}
	dprintf(1, "%s\n", cwd);
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	char *end;

	if (argc > 2) {
		err("exit: too many arguments");
		return 1;
	}
	if (argc == 1)
		exit(last_status);
	long n = strtol(argv[1], &end, 10);
	if (!*argv[1] || *end) {
		err("exit: %s: numeric argument required", argv[1]);
		exit(2);
	}
	exit(n & 0xff);
}

/* print_exported: "export NAME='value'", quoted so the shell can read it back. */
static void print_exported(void)
{
	for (size_t i = 0; i < nvars; i++) {
		if (!vars[i].exported)
			continue;
		if (!vars[i].value) {
			dprintf(1, "export %s\n", vars[i].name);
			continue;
		}
		struct str s = {0};
		str_adds(&s, "'");
		for (const char *p = vars[i].value; *p; p++)
			str_adds(&s, *p == '\'' ? "'\\''" : (char[]){*p, 0});
		str_adds(&s, "'");
		dprintf(1, "export %s=%s\n", vars[i].name, s.s);
	}
}

static int bi_export(int argc, char **argv)
{
	int status = 0;

	if (argc == 1)
		print_exported();
	for (int i = 1; i < argc; i++) {
		size_t n = name_len(argv[i]);
		if (!n || (argv[i][n] && argv[i][n] != '=')) {
			err("export: '%s': not a valid identifier", argv[i]);
			status = 1;
			continue;
		}
		char *value = argv[i][n] ? argv[i] + n + 1 : NULL;
		argv[i][n] = 0;
		setvar(argv[i], value)->exported = true;
	}
	return status;
}

typedef int (*builtin_fn)(int argc, char **argv);

static builtin_fn find_builtin(const char *name)
{
	static const struct {
		const char *name;
		builtin_fn fn;
	} builtins[] = {
	    {"cd", bi_cd},
	    {"pwd", bi_pwd},
	    {"exit", bi_exit},
	    {"export", bi_export},
	};

	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(name, builtins[i].name))
			return builtins[i].fn;
	return NULL;
}

/* ---- running commands ----------------------------------------------------- */

static void restore_signals(void)
{
	sigaction(SIGINT, &entry_int, NULL);
	sigaction(SIGQUIT, &entry_quit, NULL);
}

/* try_exec: execve; a file without a #! line or ELF header is run as a script. */
static void try_exec(const char *path, char **argv, char **envp)
{
	struct vec args = {0};

	execve(path, argv, envp);
	if (errno != ENOEXEC)
		return;
	vec_push(&args, "sh");
	vec_push(&args, (char *)path);
	for (int i = 1; argv[i]; i++)
		vec_push(&args, argv[i]);
	execve("/bin/sh", (char **)args.v, envp);
	errno = ENOEXEC;
}

/* exec_program: run argv[0] (along $PATH unless it has a '/'); returns a status on failure. */
static int exec_program(char **argv, char **envp)
{
	const char *name = argv[0];
	int error = ENOENT;

	if (strchr(name, '/')) {
		try_exec(name, argv, envp);
		error = errno;
	} else if (*name) {
		const char *path = getvar("PATH");
		if (!path)
			path = "/bin";
		for (const char *p = path;; p++) {
			const char *end = strchr(p, ':');
			if (!end)
				end = p + strlen(p);
			struct str full = {0};
			str_addn(&full, p, end - p);
			str_adds(&full, end == p ? "./" : "/");
			str_adds(&full, name);
			try_exec(full.s, argv, envp);
			/* the most telling failure wins: EACCES over others over ENOENT */
			if (errno == EACCES || (error == ENOENT && errno != ENOTDIR))
				error = errno;
			if (!*end)
				break;
			p = end;
		}
	}
	if (error == ENOENT) {
		err("%s: not found", name);
		return 127;
	}
	err("%s: %s", name, strerror(error));
	return 126;
}

/* child_exec: in a child: redirect, export assignments, run the program. */
static void child_exec(struct cmd *c, size_t nassign, struct vec *argv)
{
	restore_signals();
	if (apply_redirections(c, NULL))
		_exit(1);
	assign(c, nassign, true);
	_exit(exec_program((char **)argv->v, make_envp()));
}

/* report_signal: say how a foreground command died, as Linux shells do. */
static void report_signal(int sig)
{
	const char *desc = sig_desc(sig);

	if (sig == SIGINT || sig == SIGPIPE)
		return;
	if (desc)
		dprintf(2, "%s\n", desc);
	else
		dprintf(2, "Killed by signal %d\n", sig);
}

/* wait_children: wait for the processes of a pipeline; the last one's status. */
static int wait_children(pid_t *pids, size_t n)
{
	bool interrupted = false;
	int status = 0;

	for (size_t i = 0; i < n; i++) {
		int st = 0;
		while (waitpid(pids[i], &st, 0) < 0)
			if (errno != EINTR)
				break;
		if (WIFSIGNALED(st)) {
			report_signal(WTERMSIG(st));
			interrupted |= WTERMSIG(st) == SIGINT;
			status = 128 + WTERMSIG(st);
		} else {
			status = WEXITSTATUS(st);
		}
	}
	if (interrupted)
		dprintf(2, "\n");
	return status;
}

/* run_builtin: with redirections undone afterwards, unless in a child anyway. */
static int run_builtin(builtin_fn fn, struct cmd *c, size_t nassign, struct vec *argv, bool forked)
{
	struct vec saved = {0};
	int status = 1;

	assign(c, nassign, false);
	if (!apply_redirections(c, forked ? NULL : &saved))
		status = fn(argv->n, (char **)argv->v);
	if (!forked)
		restore_fds(&saved);
	return status;
}

/* run_assignments: a command with no words: set variables, try redirections. */
static int run_assignments(struct cmd *c, size_t nassign)
{
	struct vec saved = {0};
	int status = apply_redirections(c, &saved);

	restore_fds(&saved);
	assign(c, nassign, false);
	return status;
}

/*
 * run_exec: the "exec" special builtin. With a command, replace the shell
 * by it (no fork: same pid, so a parent waiting for the shell sees the
 * command's own exit or signal); without one, make the redirections permanent.
 */
static int run_exec(struct cmd *c, size_t nassign, struct vec *argv)
{
	if (argv->n == 1) {
		assign(c, nassign, false);
		return apply_redirections(c, NULL);
	}
	restore_signals();
	if (apply_redirections(c, NULL))
		return 1;
	assign(c, nassign, true);
	exit(exec_program((char **)argv->v + 1, make_envp()));
}

/* run_simple: one command; forked says we are already in a child of our own. */
static int run_simple(struct cmd *c, bool forked)
{
	struct vec argv = {0};
	size_t nassign = 0;

	while (nassign < c->words.n && assignment_len(c->words.v[nassign]))
		nassign++;
	for (size_t i = nassign; i < c->words.n; i++) {
		char *w = c->words.v[i];
		/* export NAME=$VALUE: no splitting, as for an assignment */
		if (argv.n && !strcmp(argv.v[0], "export") && assignment_len(w))
			vec_push(&argv, expand_string(w));
		else
			expand_fields(w, &argv);
	}
	if (!argv.n)
		return run_assignments(c, nassign);

	if (!strcmp(argv.v[0], "exec"))
		return run_exec(c, nassign, &argv);
	builtin_fn fn = find_builtin(argv.v[0]);
	if (fn)
		return run_builtin(fn, c, nassign, &argv, forked);
	if (forked)
		child_exec(c, nassign, &argv);

	pid_t pid = fork();
	if (pid < 0) {
		err("fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0)
		child_exec(c, nassign, &argv);
	return wait_children(&pid, 1);
}

static void move_fd(int from, int to)
{
	if (from >= 0 && from != to) {
		dup2(from, to);
		close(from);
	}
}

/* run_pipe: a | b | c, each command in a child, stdout to the next's stdin. */
static int run_pipe(struct pipeline *pl)
{
	size_t n = pl->cmds.n, started = 0;
	pid_t *pids = alloc(n * sizeof(*pids));
	int in = -1;

	for (size_t i = 0; i < n; i++) {
		int fds[2] = {-1, -1};
		if (i + 1 < n && pipe(fds) < 0) {
			err("pipe: %s", strerror(errno));
			break;
		}
		pid_t pid = fork();
		if (pid < 0) {
			err("fork: %s", strerror(errno));
			close(fds[0]);
			close(fds[1]);
			break;
		}
		if (pid == 0) {
			move_fd(in, 0);
			if (fds[0] >= 0)
				close(fds[0]);
			move_fd(fds[1], 1);
			_exit(run_simple(pl->cmds.v[i], true));
		}
		pids[started++] = pid;
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
	}
	if (in >= 0)
		close(in);
	int status = wait_children(pids, started);
	return started == n ? status : 1;
}

static int run_pipeline(struct pipeline *pl)
{
	int status = pl->cmds.n == 1 ? run_simple(pl->cmds.v[0], false) : run_pipe(pl);

	if (pl->bang)
		status = !status;
	last_status = status;
	return status;
}

/* run_andor: a && b || c: each pipeline runs or not by the status so far. */
static int run_andor(struct andor *ao)
{
	int status = 0;

	for (size_t i = 0; i < ao->pipelines.n; i++) {
		struct pipeline *pl = ao->pipelines.v[i];
		if ((pl->op == T_AND && status != 0) || (pl->op == T_OR && status == 0))
			continue;
		status = run_pipeline(pl);
	}
	return status;
}

/* run_background: "list &" runs in a child, with ^C ignored and stdin from /dev/null. */
static void run_background(struct andor *ao)
{
	pid_t pid = fork();

	if (pid < 0) {
		err("fork: %s", strerror(errno));
		last_status = 1;
		return;
	}
	if (pid == 0) {
		struct sigaction ign = {.sa_handler = SIG_IGN};
		entry_int = entry_quit = ign;
		restore_signals();
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			move_fd(fd, 0);
		/* a lone command need not wait in a copy of the shell: exec it here */
		struct pipeline *pl = ao->pipelines.v[0];
		if (ao->pipelines.n == 1 && pl->cmds.n == 1 && !pl->bang)
			_exit(run_simple(pl->cmds.v[0], true));
		_exit(run_andor(ao));
	}
	last_bg = pid;
	if (interactive)
		dprintf(2, "[%d]\n", pid);
	last_status = 0;
}

static void run_list(struct vec *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct andor *ao = list->v[i];
		if (ao->background)
			run_background(ao);
		else
			run_andor(ao);
	}
}

/* reap_background: collect finished background commands (and say so, if interactive). */
static void reap_background(void)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (!interactive)
			continue;
		if (WIFSIGNALED(st))
			dprintf(2, "[%d] %s\n", pid,
				sig_desc(WTERMSIG(st)) ? sig_desc(WTERMSIG(st)) : "Killed");
		else if (WEXITSTATUS(st))
			dprintf(2, "[%d] Exit %d\n", pid, WEXITSTATUS(st));
		else
			dprintf(2, "[%d] Done\n", pid);
	}
}

/* ---- main loop ------------------------------------------------------------ */

/* read_command: read lines until they form complete commands, and parse them. */
static int read_command(struct input *in, struct vec *list)
{
	struct str text = {0};

	for (;;) {
		if (interactive)
			dprintf(2, "%s", text.len ? "> " : geteuid() == 0 ? "# " : "$ ");
		if (!read_line(in, &text)) {
			if (!text.len)
				return END;
			if (interactive)
				dprintf(2, "\n");
			return syntax("syntax error: unexpected end of file");
		}

		struct vec toks = {0};
		int r = tokenize(text.s ? text.s : "", &toks);
		if (r == OK) {
			*list = (struct vec){0};
			r = parse_list(&toks, list);
		}
		if (r != MORE)
			return r;
	}
}

/* run_input: read and run commands until the input ends; the last status. */
static int run_input(struct input *in)
{
	for (;;) {
		struct vec list = {0};

		reap_background();
		int r = read_command(in, &list);
		if (r == END)
			break;
		if (r == ERROR) {
			if (interactive)
				err("%s", syntax_msg);
			else
				err("line %d: %s", in->line, syntax_msg);
			last_status = 2;
			if (!interactive)
				break;
		} else {
			run_list(&list);
		}
		arena_reset();
	}
	if (interactive)
		dprintf(2, "\n");
	return last_status;
}

/* open_script: open FILE for "sh FILE" on an fd out of the way of redirections. */
static int open_script(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		err("%s: %s", path, strerror(errno));
		exit(errno == ENOENT ? 127 : 126);
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		err("%s: %s", path, strerror(EISDIR));
		exit(126);
	}
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	return fd;
}

static bool is_regular(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static void usage(void)
{
	dprintf(2, "usage: sh [-c COMMAND [NAME [ARG...]] | FILE [ARG...]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct input in = {.fd = 0};

	import_environ();
	shell_pid = getpid();
	arg0 = argv[0];
	if (argc > 1 && !strcmp(argv[1], "-c")) {
		if (argc < 3)
			usage();
		in.fd = -1;
		in.str = argv[2];
		if (argc > 3)
			arg0 = argv[3];
		params = argv + 4;
		nparams = argc > 4 ? argc - 4 : 0;
	} else if (argc > 1) {
		if (argv[1][0] == '-' && argv[1][1])
			usage();
		in.fd = open_script(argv[1]);
		arg0 = argv[1];
		params = argv + 2;
		nparams = argc - 2;
	} else {
		interactive = isatty(0);
	}
	if (in.fd >= 0)
		in.seekable = is_regular(in.fd);

	sigaction(SIGINT, NULL, &entry_int);
	sigaction(SIGQUIT, NULL, &entry_quit);
	if (interactive) {
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	}
	return run_input(&in);
}
