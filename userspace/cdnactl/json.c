// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer: RFC 8259 strings (quote, backslash and every
 * control character escaped; other bytes, UTF-8 included, as they are).
 */
#include <inttypes.h>

#include "json.h"

/**
 * cdna_json_init - start writing JSON to @f
 * @j: the writer
 * @f: the stream
 */
void cdna_json_init(struct cdna_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/**
 * cdna_json_escape - @s as a JSON string, quotes included
 * @f: the stream
 * @s: the text
 */
void cdna_json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Before a value or a key: the comma that separates it from the last. */
static void separate(struct cdna_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

static void open_level(struct cdna_json *j, char c)
{
	separate(j);
	fputc(c, j->f);
	if (j->depth < CDNA_JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct cdna_json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

/**
 * cdna_json_begin_array - [
 * @j: the writer
 */
void cdna_json_begin_array(struct cdna_json *j)
{
	open_level(j, '[');
}

/**
 * cdna_json_end_array - ]
 * @j: the writer
 */
void cdna_json_end_array(struct cdna_json *j)
{
	close_level(j, ']');
}

/**
 * cdna_json_begin_object - {
 * @j: the writer
 */
void cdna_json_begin_object(struct cdna_json *j)
{
	open_level(j, '{');
}

/**
 * cdna_json_end_object - }
 * @j: the writer
 */
void cdna_json_end_object(struct cdna_json *j)
{
	close_level(j, '}');
}

/**
 * cdna_json_key - "key": (its value comes next)
 * @j: the writer
 * @key: the key
 */
void cdna_json_key(struct cdna_json *j, const char *key)
{
	separate(j);
	cdna_json_escape(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

/**
 * cdna_json_str - a string value, null when @s is NULL
 * @j: the writer
 * @s: the text
 */
void cdna_json_str(struct cdna_json *j, const char *s)
{
	if (!s) {
		cdna_json_null(j);
		return;
	}
	separate(j);
	cdna_json_escape(j->f, s);
}

/**
 * cdna_json_u64 - a number
 * @j: the writer
 * @v: the value
 */
void cdna_json_u64(struct cdna_json *j, uint64_t v)
{
	separate(j);
	fprintf(j->f, "%" PRIu64, v);
}

/**
 * cdna_json_bool - true or false
 * @j: the writer
 * @v: the value
 */
void cdna_json_bool(struct cdna_json *j, bool v)
{
	separate(j);
	fputs(v ? "true" : "false", j->f);
}

/**
 * cdna_json_null - null
 * @j: the writer
 */
void cdna_json_null(struct cdna_json *j)
{
	separate(j);
	fputs("null", j->f);
}

/**
 * cdna_json_kv_str - "key":"value" (or null)
 * @j: the writer
 * @key: the key
 * @s: the value, NULL for null
 */
void cdna_json_kv_str(struct cdna_json *j, const char *key, const char *s)
{
	cdna_json_key(j, key);
	cdna_json_str(j, s);
}

/**
 * cdna_json_kv_u64 - "key":number
 * @j: the writer
 * @key: the key
 * @v: the value
 */
void cdna_json_kv_u64(struct cdna_json *j, const char *key, uint64_t v)
{
	cdna_json_key(j, key);
	cdna_json_u64(j, v);
}

/**
 * cdna_json_kv_bool - "key":true|false
 * @j: the writer
 * @key: the key
 * @v: the value
 */
void cdna_json_kv_bool(struct cdna_json *j, const char *key, bool v)
{
	cdna_json_key(j, key);
	cdna_json_bool(j, v);
}
