// SPDX-License-Identifier: GPL-2.0
/*
 * Parser and writer of the contexts configuration file (see conf.h).
 * The parser reads the whole file before the caller applies anything, and
 * every refusal names the file and the line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cdnactl.h"
#include "conf.h"

#define MAX_WORDS	32

struct conf_reader {
	const char *name;
	unsigned int line;
	struct cdna_conf *conf;
	char *err;
	size_t errlen;
};

static __printf(2, 3) int bad(struct conf_reader *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cdna_say(CDNA_EX_INVALID, r->err, r->errlen, "%s:%u: %s",
			r->name, r->line, msg);
}

/* Split @line at white space; -1 when it has more than @max words. */
static int split(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return -1;
		words[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/**
 * cdna_conf_find - the PF of @pci in @conf
 * @conf: the configuration
 * @pci: a normalized PCI address
 *
 * Return: the PF, or NULL.
 */
struct cdna_conf_pf *cdna_conf_find(const struct cdna_conf *conf,
				    const char *pci)
{
	unsigned int i;

	for (i = 0; i < conf->npf; i++)
		if (!strcmp(conf->pf[i].pci, pci))
			return &conf->pf[i];
	return NULL;
}

/**
 * cdna_conf_add_pf - a PF with @count contexts and no settings yet
 * @conf: the configuration
 * @pci: its PCI address
 * @count: its number of contexts
 *
 * Return: 0 or -ENOMEM.
 */
int cdna_conf_add_pf(struct cdna_conf *conf, const char *pci,
		     unsigned int count)
{
	struct cdna_conf_pf *pf;
	unsigned int i;

	pf = realloc(conf->pf, (conf->npf + 1) * sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	conf->pf = pf;
	pf = &conf->pf[conf->npf];
	memset(pf, 0, sizeof(*pf));
	pf->ctx = calloc(count ? count : 1, sizeof(*pf->ctx));
	pf->mode = malloc((count ? count : 1) * sizeof(*pf->mode));
	if (!pf->ctx || !pf->mode) {
		free(pf->ctx);
		free(pf->mode);
		return -ENOMEM;
	}
	for (i = 0; i < count; i++)
		pf->mode[i] = -1;
	snprintf(pf->pci, sizeof(pf->pci), "%s", pci);
	pf->count = count;
	conf->npf++;
	return 0;
}

/* pf ADDR contexts N */
static int read_pf(struct conf_reader *r, int n, char **w)
{
	struct cdna_conf_pf *old;
	char pci[CDNA_PCI_LEN];
	unsigned long count;
	const char *why;

	if (n != 4 || strcmp(w[2], "contexts"))
		return bad(r, "expected 'pf PCI-ADDRESS contexts N'");
	if (cdna_parse_pci(w[1], pci, &why))
		return bad(r, "PF '%s': %s", w[1], why);
	old = cdna_conf_find(r->conf, pci);
	if (old)
		return bad(r, "PF %s already declared on line %u", pci,
			   old->line);
	if (cdna_parse_uint(w[3], CDNA_CONF_MAX_CTX, &count, &why))
		return bad(r, "contexts '%s': %s (at most %d)", w[3], why,
			   CDNA_CONF_MAX_CTX);
	if (cdna_conf_add_pf(r->conf, pci, (unsigned int)count))
		return bad(r, "out of memory");
	r->conf->pf[r->conf->npf - 1].line = r->line;
	return 0;
}

/* ctx PCI-ADDRESS/N setting... */
static int read_ctx(struct conf_reader *r, int n, char **w)
{
	struct cdna_ctx_spec spec;
	struct cdna_conf_pf *pf;
	char pci[CDNA_PCI_LEN], msg[200];
	const char *why;
	int ret;

	if (n < 3)
		return bad(r, "expected 'ctx PCI-ADDRESS/N setting...'");
	if (cdna_parse_ctx_spec(w[1], &spec, &why) || !spec.by_pf ||
	    cdna_parse_pci(spec.pf, pci, &why))
		return bad(r, "context '%s': write it as PF-PCI-ADDRESS/N", w[1]);
	pf = cdna_conf_find(r->conf, pci);
	if (!pf)
		return bad(r, "context '%s': no pf line for %s before it",
			   w[1], pci);
	if (spec.index >= pf->count)
		return bad(r, "context '%s': PF %s has %u contexts (line %u)",
			   w[1], pci, pf->count, pf->line);
	if (pf->ctx[spec.index].mask || pf->mode[spec.index] >= 0)
		return bad(r, "context '%s' given twice", w[1]);
	ret = cdna_set_parse(n - 2, w + 2, &pf->ctx[spec.index],
			     &pf->mode[spec.index], msg, sizeof(msg));
	if (ret) {
		pf->ctx[spec.index].mask = 0;
		pf->mode[spec.index] = -1;
		return bad(r, "context '%s': %s", w[1], msg);
	}
	return 0;
}

static int read_line(struct conf_reader *r, char *line)
{
	char *w[MAX_WORDS];
	int n = split(line, w, MAX_WORDS);

	if (n < 0)
		return bad(r, "more than %d words", MAX_WORDS);
	if (!n)
		return 0;
	if (!strcmp(w[0], "pf"))
		return read_pf(r, n, w);
	if (!strcmp(w[0], "ctx"))
		return read_ctx(r, n, w);
	return bad(r, "unknown keyword '%.32s' (pf, ctx)", w[0]);
}

/**
 * cdna_conf_parse - read and check a whole configuration file
 * @f: the file
 * @name: its name, for the messages
 * @conf: filled in; free it with cdna_conf_free(), also on failure
 * @err: "NAME:LINE: what is wrong"
 * @errlen: its size
 *
 * Return: 0 or CDNA_EX_INVALID.
 */
int cdna_conf_parse(FILE *f, const char *name, struct cdna_conf *conf,
		    char *err, size_t errlen)
{
	struct conf_reader r = {
		.name = name, .conf = conf, .err = err, .errlen = errlen,
	};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	memset(conf, 0, sizeof(*conf));
	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		r.line++;
		if (len > CDNA_CONF_LINE_MAX)
			ret = bad(&r, "line longer than %d characters",
				  CDNA_CONF_LINE_MAX);
		else if (strlen(line) != (size_t)len)
			ret = bad(&r, "a NUL byte in the line");
		else
			ret = read_line(&r, line);
	}
	if (!ret && ferror(f))
		ret = cdna_say(CDNA_EX_FAIL, err, errlen, "%s: read error",
			       name);
	free(line);
	return ret;
}

/**
 * cdna_conf_free - release what cdna_conf_parse() allocated
 * @conf: the configuration
 */
void cdna_conf_free(struct cdna_conf *conf)
{
	unsigned int i;

	for (i = 0; i < conf->npf; i++) {
		free(conf->pf[i].ctx);
		free(conf->pf[i].mode);
	}
	free(conf->pf);
	conf->pf = NULL;
	conf->npf = 0;
}

/**
 * cdna_conf_write - the configuration as cdna_conf_parse() reads it back
 * @f: the stream
 * @conf: the configuration
 *
 * Return: 0, or -1 when a write failed.
 */
int cdna_conf_write(FILE *f, const struct cdna_conf *conf)
{
	char words[CDNA_CONF_LINE_MAX];
	unsigned int i, c;

	fprintf(f, "# CDNA contexts, written by cdnactl save; read by cdnactl restore.\n");
	for (i = 0; i < conf->npf; i++) {
		const struct cdna_conf_pf *pf = &conf->pf[i];

		fprintf(f, "pf %s contexts %u\n", pf->pci, pf->count);
		for (c = 0; c < pf->count; c++) {
			size_t n;

			words[0] = '\0';
			if (pf->ctx[c].mask &&
			    cdna_policy_format(&pf->ctx[c], words,
					       sizeof(words)))
				return -1;
			n = strlen(words);
			if (pf->mode[c] >= 0)
				snprintf(words + n, sizeof(words) - n, "%smode %s",
					 n ? " " : "",
					 cdna_mode_name(pf->mode[c]));
			if (words[0])
				fprintf(f, "ctx %s/%u %s\n", pf->pci, c, words);
		}
	}
	return fflush(f) || ferror(f) ? -1 : 0;
}
