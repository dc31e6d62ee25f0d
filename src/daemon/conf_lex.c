/*
 * Lexer for the configuration file (see conf_lex.h). It reads from a
 * memory image of the file, counts lines for messages and refuses bytes a
 * text file should not have (NUL, other control characters), so a binary
 * file given by mistake fails with a clear message instead of odd tokens.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/conf_lex.h"

void
conf_lex_init(struct conf_lexer *lx, const char *name, const char *text,
    size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->name = name;
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
}

static const struct conf_tok *
lex_fail(struct conf_lexer *lx, struct conf_tok *t, const char *msg)
{
	t->type = CTOK_ERROR;
	t->line = lx->line;
	snprintf(lx->err, sizeof(lx->err), "%s", msg);
	return t;
}

static bool
lex_word_char(unsigned char c)
{
	return c > ' ' && c != 0x7f && c != '{' && c != '}' && c != '"' &&
	    c != '#' && c != ';';
}

static const struct conf_tok *
lex_string(struct conf_lexer *lx, struct conf_tok *t)
{
	size_t n = 0;
	unsigned char c;

	t->type = CTOK_STRING;
	lx->p++;				/* opening quote */
	for (;;) {
		if (lx->p == lx->end)
			return lex_fail(lx, t, "unterminated string "
			    "(missing closing '\"')");
		c = (unsigned char)*lx->p++;
		if (c == '"')
			break;
		if (c == '\n')
			return lex_fail(lx, t, "unterminated string "
			    "(a string cannot span lines)");
		if (c == '\\') {
			if (lx->p == lx->end)
				return lex_fail(lx, t, "unterminated string "
				    "(missing closing '\"')");
			c = (unsigned char)*lx->p++;
			if (c != '"' && c != '\\')
				return lex_fail(lx, t, "unknown escape in "
				    "string (only \\\" and \\\\ are allowed)");
		} else if (c < ' ' && c != '\t')
			return lex_fail(lx, t, "control character in string");
		if (n + 1 >= sizeof(t->s))
			return lex_fail(lx, t, "string is too long "
			    "(at most 1023 bytes)");
		t->s[n++] = (char)c;
	}
	t->s[n] = '\0';
	return t;
}

static const struct conf_tok *
lex_scan(struct conf_lexer *lx, struct conf_tok *t)
{
	unsigned char c;
	size_t n = 0;

	memset(t, 0, offsetof(struct conf_tok, s) + 1);
	for (;;) {
		if (lx->p == lx->end) {
			t->type = CTOK_EOF;
			t->line = lx->line;
			return t;
		}
		c = (unsigned char)*lx->p;
		if (c == '\n') {
			lx->line++;
			lx->p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == ';')
			lx->p++;
		else if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else
			break;
	}
	t->line = lx->line;
	if (c == '{' || c == '}') {
		t->type = c == '{' ? CTOK_LBRACE : CTOK_RBRACE;
		t->s[0] = (char)c;
		t->s[1] = '\0';
		lx->p++;
		return t;
	}
	if (c == '"')
		return lex_string(lx, t);
	if (!lex_word_char(c))
		return lex_fail(lx, t, "unexpected control character "
		    "(is this a text file?)");
	t->type = CTOK_WORD;
	while (lx->p < lx->end && lex_word_char((unsigned char)*lx->p)) {
		if (n + 1 >= sizeof(t->s))
			return lex_fail(lx, t, "word is too long "
			    "(at most 1023 bytes)");
		t->s[n++] = *lx->p++;
	}
	t->s[n] = '\0';
	return t;
}

const struct conf_tok *
conf_lex_peek(struct conf_lexer *lx)
{
	if (!lx->peeked) {
		lex_scan(lx, &lx->peek);
		lx->peeked = true;
	}
	return &lx->peek;
}

const struct conf_tok *
conf_lex_next(struct conf_lexer *lx)
{
	conf_lex_peek(lx);
	/* An error or EOF stays the next token for good. */
	if (lx->peek.type != CTOK_ERROR && lx->peek.type != CTOK_EOF)
		lx->peeked = false;
	/* A copy, so a later peek cannot change what the caller holds. */
	lx->cur = lx->peek;
	return &lx->cur;
}
