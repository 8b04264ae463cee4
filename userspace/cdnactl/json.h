/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer for `cdnactl ... -j`, compact like
 * `ip -j`: the caller says begin/end and key/value, the writer places the
 * commas and escapes the strings.  Plain C: unit-tested.
 */
#ifndef CDNA_JSON_H
#define CDNA_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CDNA_JSON_DEPTH	8

/**
 * struct cdna_json - a writer
 * @f: where the text goes
 * @depth: open arrays and objects
 * @first: per depth, nothing written yet at that level
 * @after_key: a key was written, its value comes next (no comma)
 */
struct cdna_json {
	FILE *f;
	int depth;
	bool first[CDNA_JSON_DEPTH];
	bool after_key;
};

void cdna_json_init(struct cdna_json *j, FILE *f);
void cdna_json_escape(FILE *f, const char *s);
void cdna_json_begin_array(struct cdna_json *j);
void cdna_json_end_array(struct cdna_json *j);
void cdna_json_begin_object(struct cdna_json *j);
void cdna_json_end_object(struct cdna_json *j);
void cdna_json_key(struct cdna_json *j, const char *key);
void cdna_json_str(struct cdna_json *j, const char *s);
void cdna_json_u64(struct cdna_json *j, uint64_t v);
void cdna_json_bool(struct cdna_json *j, bool v);
void cdna_json_null(struct cdna_json *j);

void cdna_json_kv_str(struct cdna_json *j, const char *key, const char *s);
void cdna_json_kv_u64(struct cdna_json *j, const char *key, uint64_t v);
void cdna_json_kv_bool(struct cdna_json *j, const char *key, bool v);

#endif /* CDNA_JSON_H */
