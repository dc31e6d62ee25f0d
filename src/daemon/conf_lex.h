/*
 * Tokens of the configuration language: bare words, "quoted strings",
 * braces. '#' starts a comment to the end of the line; ';' separates like
 * white space. Internal to the parser (conf.c) and its unit test.
 */
#ifndef XR_DAEMON_CONF_LEX_H
#define XR_DAEMON_CONF_LEX_H

#include <stdbool.h>
#include <stddef.h>

#define CONF_TOK_MAX	1024

enum conf_tok_type {
	CTOK_EOF = 0,
	CTOK_WORD,
	CTOK_STRING,
	CTOK_LBRACE,
	CTOK_RBRACE,
	CTOK_ERROR,		/* lexing failed; message in the lexer */
};

struct conf_tok {
	enum conf_tok_type	 type;
	int			 line;
	char			 s[CONF_TOK_MAX];
};

struct conf_lexer {
	const char	*name;		/* file name for messages */
	const char	*p;		/* next unread byte */
	const char	*end;
	int		 line;
	bool		 peeked;
	struct conf_tok	 peek;
	struct conf_tok	 cur;		/* last returned by conf_lex_next */
	char		 err[256];	/* set with CTOK_ERROR */
};

void	conf_lex_init(struct conf_lexer *, const char *name, const char *text,
	    size_t len);
/* The next token; CTOK_ERROR with lx->err set on a lexical error. */
const struct conf_tok *conf_lex_next(struct conf_lexer *);
/* Look at the next token without consuming it. */
const struct conf_tok *conf_lex_peek(struct conf_lexer *);

#endif
